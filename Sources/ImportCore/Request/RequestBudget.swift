/// Which of WorkOS's rate budgets a request draws on (contract §7).
///
/// Every request counts toward the general per-key budget (6,000 per 60 s). Requests under
/// `/user_management/*` also count toward one of two environment budgets: writes (500 per 10 s) or reads
/// (1,000 per 10 s). The importer paces each budget on its own, so a look-up never spends write budget.
public enum RequestBudget: Sendable, Hashable {
    /// A POST, PUT or DELETE under `/user_management/*`: creates, updates, memberships, deletions.
    case userManagementWrite
    /// A GET under `/user_management/*`: user and membership look-ups, the preflight.
    case userManagementRead
    /// Any other path (organizations): only the general budget applies.
    case generalOnly
    /// `DELETE /organizations/{id}`: WorkOS's own limit of 50 per 60 s per API key, on top of the general one.
    case organizationDelete
    /// A user-management write answered without being sent (a plan's): it draws on no budget at all, the
    /// general one included, and waits for nothing.
    case unsentWrite

    /// The budget of the look-up that checks whether a request of this budget took effect.
    var settleBudget: RequestBudget {
        switch self {
        case .userManagementWrite, .userManagementRead, .unsentWrite: .userManagementRead
        case .generalOnly, .organizationDelete: .generalOnly
        }
    }
}

/// One of WorkOS's documented limits: at most ``requests`` in any window of ``window``.
public struct WindowLimit: Sendable, Equatable {
    /// The most requests allowed in any one window (W).
    public var requests: Int
    /// The window's length (T).
    public var window: Duration

    /// Creates a limit of `requests` per `window`.
    ///
    /// - Precondition: `requests` is at least 1 and `window` is positive.
    public init(requests: Int, per window: Duration) {
        precondition(requests >= 1, "a window limit must allow at least one request")
        precondition(window > .zero, "a window limit's window must be positive")
        self.requests = requests
        self.window = window
    }

    /// The window of 10 s over which `--rate-limit` and `--read-rate-limit` are averages.
    public static let rateWindow = Duration.seconds(10)

    /// The limit whose average is `perSecond` over windows of `window` (10 s unless given): `perSecond × 10`
    /// requests per 10 s, at least one. This is how `--rate-limit N` keeps its meaning of N per second.
    public static func average(_ perSecond: Double, over window: Duration = rateWindow) -> WindowLimit {
        let seconds = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        let requests = (perSecond * seconds).rounded(.down)
        return WindowLimit(requests: requests >= 1 ? Int(min(requests, 1e9)) : 1, per: window)
    }

    /// The average rate the limit allows, in requests per second.
    public var averageRate: Double {
        let seconds = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        return Double(requests) / seconds
    }
}

/// The limits a run paces itself to, one per budget; nil leaves that budget unpaced.
public struct PacingRates: Sendable, Equatable {
    /// User-management writes (`--rate-limit`). WorkOS allows 500 per 10 s per environment.
    public var writes: WindowLimit?
    /// User-management reads (`--read-rate-limit`). WorkOS allows 1,000 per 10 s per environment.
    public var reads: WindowLimit?
    /// Every request of the run together. WorkOS allows 6,000 per 60 s per API key.
    public var general: WindowLimit?
    /// Organization deletes. WorkOS allows 50 per 60 s per API key, on top of the general limit.
    public var organizationDeletes: WindowLimit?

    /// WorkOS's write limit: 500 per 10 s.
    public static let documentedWrites = WindowLimit(requests: 500, per: .seconds(10))
    /// WorkOS's read limit: 1,000 per 10 s.
    public static let documentedReads = WindowLimit(requests: 1_000, per: .seconds(10))
    /// WorkOS's per-key limit on every request: 6,000 per 60 s.
    public static let documentedGeneral = WindowLimit(requests: 6_000, per: .seconds(60))
    /// WorkOS's organization-delete limit: 50 per 60 s.
    public static let documentedOrganizationDeletes = WindowLimit(requests: 50, per: .seconds(60))

    /// The defaults: WorkOS's documented limits, in full. The window pacing counts each request from its send
    /// until a window after its answer, so filling them draws no 429 whatever the latency.
    public static let `default` = PacingRates(
        writes: documentedWrites, reads: documentedReads, general: documentedGeneral)
    /// No pacing at all (a 429 still pauses the budget it hit).
    public static let off = PacingRates(writes: nil, reads: nil, general: nil, organizationDeletes: nil)

    /// Creates a set of limits; organization deletes default to WorkOS's 50 per 60 s.
    public init(
        writes: WindowLimit?, reads: WindowLimit?, general: WindowLimit?,
        organizationDeletes: WindowLimit? = PacingRates.documentedOrganizationDeletes
    ) {
        self.writes = writes
        self.reads = reads
        self.general = general
        self.organizationDeletes = organizationDeletes
    }
}
