/// Fixed-window request limits, as a pure value driven by an explicit clock so tests never sleep.
///
/// Writes and reads on `/user_management/*` have their own windows, and so do organization deletes;
/// every API request also counts toward the optional general limit. A refused request does not use up
/// quota.
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

    private struct Window: Sendable {
        var start: Double = -.infinity
        var count = 0

        /// Counts a request if `limit` allows it; otherwise returns the seconds left in the window.
        mutating func check(limit: Int, length: Double, now: Double) -> Double? {
            if now - start >= length {
                start = now
                count = 0
            }
            if count >= limit { return start + length - now }
            return nil
        }
    }

    /// The limits enforced; nil when off.
    var limits: EmulatorRateLimits?
    private var reads = Window()
    private var writes = Window()
    private var general = Window()
    private var organizationDeletes = Window()

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
        var waits: [Double] = []
        if let generalLimit = limits.general,
            let wait = general.check(limit: generalLimit, length: limits.generalWindow, now: now)
        {
            waits.append(wait)
        }
        switch kind {
        case .userManagementRead:
            if let wait = reads.check(limit: limits.reads, length: limits.window, now: now) { waits.append(wait) }
        case .userManagementWrite:
            if let wait = writes.check(limit: limits.writes, length: limits.window, now: now) { waits.append(wait) }
        case .organizationDelete:
            if let limit = limits.organizationDeletes,
                let wait = organizationDeletes.check(limit: limit, length: limits.organizationDeleteWindow, now: now)
            {
                waits.append(wait)
            }
        case .other: break
        }
        if let longest = waits.max() {
            return .limited(retryAfter: max(1, Int(longest.rounded(.up))))
        }
        if limits.general != nil { general.count += 1 }
        switch kind {
        case .userManagementRead: reads.count += 1
        case .userManagementWrite: writes.count += 1
        case .organizationDelete: if limits.organizationDeletes != nil { organizationDeletes.count += 1 }
        case .other: break
        }
        return .allowed
    }
}
