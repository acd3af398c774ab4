import HTTPTypes
import Hummingbird

/// Sets `X-Request-ID` on every answer, errors included: the caller's own id echoed when it sent one,
/// otherwise a new `req_…` id. Runs first, for every route.
struct RequestIDMiddleware: RouterMiddleware {
    /// Makes the ids.
    let state: EmulatorState

    func handle(
        _ request: Request, context: EmulatorRequestContext,
        next: (Request, EmulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        let id = request.headers[.requestID] ?? state.makeRequestID()
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.requestID] = id
        return response
    }
}

extension HTTPField.Name {
    /// `X-Request-ID`, on every answer.
    static let requestID = Self("X-Request-ID")!
    /// `Idempotency-Key`, on POSTs that may be retried.
    static let idempotencyKey = Self("Idempotency-Key")!
    /// `Idempotent-Replayed: true`, on an answer replayed for a repeated key.
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}
