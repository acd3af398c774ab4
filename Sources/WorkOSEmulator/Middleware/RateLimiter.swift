/// Request limits, as a pure value driven by an explicit clock so tests never sleep.
///
/// Writes and reads on `/user_management/*` have their own budgets, and so do organization deletes;
/// every API request also counts toward the optional general limit. A refused request does not use up
/// quota. Each budget is enforced by the model the limits name (``EmulatorLimiterModel``): a sliding
/// window, a fixed window aligned to the clock, or a token bucket.
struct RateLimiter: Sendable {
    /// Which budgets a request draws on.
    enum Kind: Sendable {
        /// A GET on `/user_management/*`.
        case userManagementRead
        /// Any other method on `/user_management/*`.
        case userManagementWrite
        /// A DELETE on `/organizations/*`.
        case organizationDelete
        /// Any other API path: only the general limit applies.
        case other
    }

    /// The limiter's answer.
    enum Decision: Equatable, Sendable {
        /// Go ahead.
        case allowed
        /// Refused; try again after this many whole seconds (at least 1).
        case limited(retryAfter: Int)
    }

    /// One budget's count under one model: at most `limit` requests per `length` seconds.
    struct Budget: Sendable {
        /// Sliding window: the admission times within the last window, oldest first from `head`.
        private var admitted: [Double] = []
        private var head = 0
        /// Fixed window: which window (`floor(now / length)`) the count is for, and the count.
        private var windowIndex: Double = -.infinity
        private var count = 0
        /// Token bucket: the tokens left when last looked at, and when; nil before the first request (full).
        private var tokens: Double?
        private var lastRefill: Double = 0

        /// Whether `model` admits a request at `now`; nil if so, otherwise the seconds until it would.
        mutating func check(
            model: EmulatorLimiterModel, limit: Int, length: Double, capacity: Int?, now: Double
        ) -> Double? {
            switch model {
            case .sliding:
                // Admissions count while less than a window old.
                while head < admitted.count, now - admitted[head] >= length { head += 1 }
                if head > 1_024, head * 2 > admitted.count {
                    admitted.removeFirst(head)
                    head = 0
                }
                guard admitted.count - head >= limit else { return nil }
                return admitted[admitted.count - limit] + length - now
            case .fixed:
                let index = (now / length).rounded(.down)
                if index != windowIndex {
                    windowIndex = index
                    count = 0
                }
                return count >= limit ? (index + 1) * length - now : nil
            case .token:
                let size = Double(capacity ?? limit)
                let rate = Double(limit) / length
                let available = min(size, (tokens ?? size) + max(0, now - lastRefill) * rate)
                tokens = available
                lastRefill = now
                return available >= 1 ? nil : (1 - available) / rate
            }
        }

        /// Uses up quota for a request admitted at `now`, after ``check(model:limit:length:capacity:now:)``.
        mutating func count(model: EmulatorLimiterModel, now: Double) {
            switch model {
            case .sliding: admitted.append(now)
            case .fixed: count += 1
            case .token: tokens = (tokens ?? 1) - 1
            }
        }
    }

    /// The limits enforced; nil when off.
    var limits: EmulatorRateLimits?
    private var reads = Budget()
    private var writes = Budget()
    private var general = Budget()
    private var organizationDeletes = Budget()

    /// A limiter enforcing `limits`, or nothing when nil.
    init(limits: EmulatorRateLimits?) {
        self.limits = limits
    }

    /// The kind of a request by method and path.
    static func kind(method: String, path: String) -> Kind {
        if method == "DELETE", path.hasPrefix("/organizations/") { return .organizationDelete }
        guard path.hasPrefix("/user_management/") else { return .other }
        return method == "GET" ? .userManagementRead : .userManagementWrite
    }

    /// Decides one request at time `now` (seconds on any monotonic clock).
    mutating func admit(_ kind: Kind, now: Double) -> Decision {
        guard let limits else { return .allowed }
        let model = limits.model
        let capacity = limits.tokenCapacity
        var waits: [Double] = []
        if let generalLimit = limits.general,
            let wait = general.check(
                model: model, limit: generalLimit, length: limits.generalWindow, capacity: capacity, now: now)
        {
            waits.append(wait)
        }
        switch kind {
        case .userManagementRead:
            if let wait = reads.check(
                model: model, limit: limits.reads, length: limits.window, capacity: capacity, now: now)
            {
                waits.append(wait)
            }
        case .userManagementWrite:
            if let wait = writes.check(
                model: model, limit: limits.writes, length: limits.window, capacity: capacity, now: now)
            {
                waits.append(wait)
            }
        case .organizationDelete:
            if let limit = limits.organizationDeletes,
                let wait = organizationDeletes.check(
                    model: model, limit: limit, length: limits.organizationDeleteWindow, capacity: capacity, now: now)
            {
                waits.append(wait)
            }
        case .other: break
        }
        if let longest = waits.max() {
            return .limited(retryAfter: max(1, Int(longest.rounded(.up))))
        }
        if limits.general != nil { general.count(model: model, now: now) }
        switch kind {
        case .userManagementRead: reads.count(model: model, now: now)
        case .userManagementWrite: writes.count(model: model, now: now)
        case .organizationDelete:
            if limits.organizationDeletes != nil { organizationDeletes.count(model: model, now: now) }
        case .other: break
        }
        return .allowed
    }
}
