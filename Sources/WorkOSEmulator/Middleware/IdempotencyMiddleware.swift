import Hummingbird

/// Replays the first answer to a POST that repeats an `Idempotency-Key` on the same route, with
/// `Idempotent-Replayed: true`, without doing the work again. Switched off by
/// ``EmulatorConfiguration/honorsIdempotencyKeys``, then every retry does the work again.
struct IdempotencyMiddleware: RouterMiddleware {
    /// Holds the cache.
    let state: EmulatorState

    func handle(
        _ request: Request, context: EmulatorRequestContext,
        next: (Request, EmulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        guard request.method == .post, let key = request.headers[.idempotencyKey], state.honorsIdempotencyKeys
        else { return try await next(request, context) }
        switch await state.claimIdempotencyKey(route: context.route, key: key) {
        case .response(var response)?:
            response.headers[.idempotentReplayed] = "true"
            return response
        case .error(let error)?:
            var replayed = error
            replayed.headers[.idempotentReplayed] = "true"
            throw replayed
        case nil:
            break
        }
        do {
            let response = try await next(request, context)
            state.finishIdempotencyKey(route: context.route, key: key, answer: .response(response))
            return response
        } catch let error as APIError {
            state.finishIdempotencyKey(route: context.route, key: key, answer: .error(error))
            throw error
        } catch {
            state.finishIdempotencyKey(route: context.route, key: key, answer: nil)
            throw error
        }
    }
}
