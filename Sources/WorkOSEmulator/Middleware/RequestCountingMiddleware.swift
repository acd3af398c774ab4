import Hummingbird

/// The outermost step of every API route: names the route (`"METHOD /route-template"`, e.g.
/// `POST /user_management/organization_memberships`), counts the request in flight while it runs, and
/// counts its answer by status (`FaultMiddleware` counts a connection it closes as `reset` or `dropped`).
struct RequestCountingMiddleware: RouterMiddleware {
    /// Holds the counters.
    let state: EmulatorState

    func handle(
        _ request: Request, context: EmulatorRequestContext,
        next: (Request, EmulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let route = request.method.rawValue + " " + (context.endpointPath ?? request.uri.path)
        context.route = route
        context.othersInFlight = state.enter()
        defer { state.leave() }
        do {
            let response = try await next(request, context)
            state.record(route, status: String(response.status.code))
            return response
        } catch let error as ConnectionClosedOnPurpose {
            // Already counted as `reset` or `dropped` by the fault middleware, before the connection closed.
            throw error
        } catch let error as any HTTPResponseError {
            state.record(route, status: String(error.status.code))
            throw error
        }
    }
}
