import Hummingbird

/// Refuses anything but `Authorization: Bearer <configured key>` with `401 unauthorized`, before any work.
struct AuthMiddleware: RouterMiddleware {
    /// The accepted header value.
    let expected: String

    /// Accepts `apiKey` only.
    init(apiKey: String) {
        expected = "Bearer " + apiKey
    }

    func handle(
        _ request: Request, context: EmulatorRequestContext,
        next: (Request, EmulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        guard request.headers[.authorization] == expected else { throw APIError.unauthorized }
        return try await next(request, context)
    }
}
