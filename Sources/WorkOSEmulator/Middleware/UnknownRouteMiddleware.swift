import Hummingbird

/// Answers a path or method the API does not have with the API's `404 not_found` body, and counts it
/// under `"METHOD (unknown route)"`; in strict mode it is also a ``RequestViolation`` (outside the
/// emulator's own `/_emulate/*`).
struct UnknownRouteMiddleware: RouterMiddleware {
    /// Holds the counters.
    let state: EmulatorState

    func handle(
        _ request: Request, context: EmulatorRequestContext,
        next: (Request, EmulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            state.record(request.method.rawValue + " (unknown route)", status: "404")
            if state.isStrict, !request.uri.path.hasPrefix("/_emulate/") {
                state.recordViolations([
                    RequestViolation(
                        method: request.method.rawValue, path: request.uri.path,
                        problem: "WorkOS's API has no such route (it is not in the spec).", refused: true)
                ])
            }
            throw APIError.routeNotFound
        }
    }
}
