import Hummingbird

/// First answers to POSTs by `Idempotency-Key`, so a retried request gets the same answer and does not
/// do the work twice. Keys are scoped to the route; answers are kept for the run. A key whose first
/// request is still running is held, and requests repeating it wait for that answer.
struct IdempotencyCache: Sendable {
    /// A stored answer: the response written, or the API error thrown.
    enum Answer: Sendable {
        /// A response; its body is a buffer, so it can be written again.
        case response(Response)
        /// An error answer.
        case error(APIError)
    }

    /// What a request repeating a key gets.
    enum Claim: Sendable {
        /// Nobody had the key: do the work.
        case owner
        /// The stored first answer.
        case replay(Answer)
        /// The request that held the key gave it up without an answer: claim again.
        case retry
    }

    private enum Slot: Sendable {
        case pending([CheckedContinuation<Claim, Never>])
        case done(Answer)
    }

    private var slots: [String: Slot] = [:]

    /// Claims `key` on `route`. Returns the claim, or nil after parking `waiter`, which is resumed with
    /// ``Claim/retry`` once the first request finishes.
    mutating func claim(route: String, key: String, waiter: CheckedContinuation<Claim, Never>) -> Claim? {
        let composite = route + "\u{0}" + key
        switch slots[composite] {
        case nil:
            slots[composite] = .pending([])
            return .owner
        case .done(let answer)?:
            return .replay(answer)
        case .pending(let waiters)?:
            slots[composite] = .pending(waiters + [waiter])
            return nil
        }
    }

    /// Stores the first answer for a claimed key (or frees the key when nil) and wakes the requests waiting.
    mutating func finish(route: String, key: String, answer: Answer?) {
        let composite = route + "\u{0}" + key
        guard case .pending(let waiters)? = slots[composite] else { return }
        slots[composite] = answer.map(Slot.done)
        for waiter in waiters { waiter.resume(returning: .retry) }
    }
}
