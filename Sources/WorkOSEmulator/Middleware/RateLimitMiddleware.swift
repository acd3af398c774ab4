import Hummingbird

/// WorkOS's budgets (``RateLimiter``): over a limit the answer is `429 rate_limit_exceeded` with
/// `Retry-After` in whole seconds, and the request does no work and uses up no quota.
struct RateLimitMiddleware: RouterMiddleware {
    /// Holds the limiter.
    let state: EmulatorState

    func handle(
        _ request: Request, context: EmulatorRequestContext,
        next: (Request, EmulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        let kind = RateLimiter.kind(method: request.method.rawValue, path: request.uri.path)
        if case .limited(let retryAfter) = state.admit(kind) {
            throw APIError.rateLimited(retryAfter: retryAfter)
        }
        return try await next(request, context)
    }
}
