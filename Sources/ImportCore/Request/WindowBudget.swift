/// "At most W requests in any window of T", as a pure value: when the next request of one budget may be sent.
///
/// WorkOS documents its limits as windows (500 user-management writes per 10 s, 1,000 reads per 10 s, 6,000
/// requests per 60 s per key, 50 organization deletes per 60 s), and it counts a request when it receives it,
/// before it answers. The client cannot see that instant, but it knows it lies between the send and the answer.
/// So at each moment the budget counts the requests that are still in flight plus those whose answer arrived
/// less than T ago, and lets a new request go only while that count is below W. Whatever the latency and the
/// reordering, no window of T on the server's side can then receive more than W: if W + 1 arrived in one, the
/// last of them to be sent would have seen the other W counted (each arrived less than T before it did, so each
/// was either in flight or answered less than T before it was sent). The rule needs no guess about the server's
/// algorithm: it holds for a sliding window, a fixed window and a token bucket of capacity W alike, and it fills
/// the window exactly, with no margin: the first W go at once, and the next one as soon as an answer leaves it.
///
/// Memory is bounded by W: only the answer times of the last W requests can matter (if more than W answers are
/// in the window, the budget is full anyway), so they are kept in a ring of W instants, plus the number in
/// flight. A request that failed without an answer (a timeout, a lost connection) counts from the moment its
/// failure was seen, as if that were its answer: it may have reached the server at any time before.
///
/// The value never reads a clock; its caller passes `now`, so tests drive it with made-up instants, and every
/// instant passed to it must be no earlier than the one before (a monotonic clock).
public struct WindowBudget: Sendable, Equatable {
    /// The most requests allowed in any window (W).
    public let capacity: Int
    /// The window's length (T).
    public let window: Duration
    /// Requests sent and not yet answered.
    public private(set) var inFlight = 0
    /// The answer times of the last `capacity` requests, oldest first from `next` once the ring is full.
    private var answers: [ContinuousClock.Instant] = []
    /// Where the next answer goes once the ring is full: the index of the oldest kept answer.
    private var next = 0

    /// Creates a budget of at most `capacity` requests in any `window`.
    ///
    /// - Precondition: `capacity` is at least 1 and `window` is positive.
    public init(capacity: Int, window: Duration) {
        precondition(capacity >= 1, "a window budget must allow at least one request")
        precondition(window > .zero, "a window budget's window must be positive")
        self.capacity = capacity
        self.window = window
        answers.reserveCapacity(min(capacity, 1_024))
    }

    /// How many answer times the budget keeps; never more than ``capacity``.
    public var keptAnswers: Int { answers.count }

    /// How many requests count against the budget at `now`: those in flight and those answered in
    /// `(now − window, now]`.
    public func counted(now: ContinuousClock.Instant) -> Int {
        inFlight + answers.count(where: { $0 + window > now })
    }

    /// The earliest instant, not before `now`, at which a request may be sent; nil while all W are in flight,
    /// since then only an answer can free a place.
    ///
    /// An answer never makes this instant earlier (it turns one request in flight into one answered now, which
    /// counts for a whole window more), so a caller that waits for the returned instant need not wake on
    /// answers; only a nil asks it to.
    public func earliestStart(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        let allowedAnswers = capacity - inFlight
        guard allowedAnswers > 0 else { return nil }
        // Sending is allowed once at most `allowedAnswers - 1` answers are still in the window, that is once
        // the `allowedAnswers`-th most recent answer has left it.
        guard answers.count >= allowedAnswers else { return now }
        let leaving = recentAnswer(allowedAnswers) + window
        return leaving > now ? leaving : now
    }

    /// Whether a request may be sent at `now`.
    public func allows(now: ContinuousClock.Instant) -> Bool {
        earliestStart(now: now) == now
    }

    /// Counts a request sent now: it is in flight until ``finished(at:)``.
    ///
    /// - Precondition: the budget allows a request now (``allows(now:)``); the caller checks first.
    public mutating func started() {
        precondition(inFlight < capacity, "a window budget started more requests than it holds")
        inFlight += 1
    }

    /// Records the answer (or the failure seen without an answer) of a request started earlier, at `now`.
    public mutating func finished(at now: ContinuousClock.Instant) {
        precondition(inFlight > 0, "a window budget finished a request it never started")
        inFlight -= 1
        if answers.count < capacity {
            answers.append(now)
        } else {
            answers[next] = now
            next = (next + 1) % capacity
        }
    }

    /// Gives back the place of a request counted by ``started()`` that was never sent (its wait was cancelled
    /// or a pause came first): it leaves no answer behind.
    public mutating func withdrawn() {
        precondition(inFlight > 0, "a window budget withdrew a request it never started")
        inFlight -= 1
    }

    /// The `rank`-th most recent kept answer, 1 being the latest.
    private func recentAnswer(_ rank: Int) -> ContinuousClock.Instant {
        // Before the ring is full, `next` is 0 and the answers are in order; after, the latest is at next - 1.
        let count = answers.count
        let latest = answers.count < capacity ? count - 1 : (next - 1 + count) % count
        return answers[(latest - (rank - 1) + count) % count]
    }
}
