/// Which organization, if any, imported users join.
public enum OrganizationTarget: Sendable, Equatable {
    /// Users only, no memberships.
    case none
    /// An organization known by its WorkOS id (`--org-id`); it must exist.
    case id(String)
    /// An organization known by its external id (`--org-external-id`); created with `createWithName` when
    /// missing and that name is given (`--create-org-if-missing --org-name`).
    case externalId(String, createWithName: String?)

    /// Whether resolving the target may create an organization (`--create-org-if-missing`).
    public var mayCreate: Bool {
        if case .externalId(_, let name?) = self { return !name.isEmpty }
        return false
    }

    /// A stable description for the journal, so a resumed run can refuse a different target.
    public var journalDescription: String {
        switch self {
        case .none: "none"
        case .id(let id): "id:\(id)"
        case .externalId(let externalId, _): "external:\(externalId)"
        }
    }
}

/// What to do when WorkOS says a row's email is already taken (`--if-exists`).
public enum ExistingUserPolicy: String, Sendable, CaseIterable {
    /// Count the row as already existed and still ensure the membership.
    case skip
    /// Like skip, and also update the user's fields from the row.
    case update
    /// Fail the row.
    case fail
}

/// When a run whose rows keep failing stops by itself (`--max-failures`), so a systematic mistake (a wrong
/// organization role, a hash of the wrong type) does not fail a million rows one by one. The run stops
/// like an interruption: the rows not yet sent stay in the journal for the next run.
public enum FailureLimit: Sendable, Equatable {
    /// The default: stop after this many rows in a row failed at WorkOS, with no success between them.
    /// Rows the file itself gets wrong (validation) do not count: they cost no request and a dry run shows
    /// them.
    case consecutive(Int)
    /// `--max-failures N`: stop once this many rows of this run have failed, for any reason.
    case total(Int)
    /// `--max-failures off`: never stop for failures.
    case off

    /// The default limit.
    public static let `default` = FailureLimit.consecutive(100)
}

/// Everything that shapes how rows are sent to WorkOS; built by the command from its flags.
public struct ImportConfiguration: Sendable {
    public var organization: OrganizationTarget
    public var ifExists: ExistingUserPolicy
    /// Delete a user this run created when its membership cannot be created, and fail the row.
    public var requireMembership: Bool
    /// Create the organizations rows name by `org_external_id` when they are missing, with their `org_name`
    /// (`--create-org-if-missing` without `--org-external-id`).
    public var createOrganizations = false
    /// The roles of every membership whose row gives none (`--role`, repeatable); empty for the
    /// environment's default role.
    public var roleSlugs: [String] = []
    /// Read what the environment holds before the first row (``EnvironmentSurvey``), so rows whose users
    /// and memberships exist send no write; `--no-survey` turns it off.
    public var survey = true
    /// The most rows in flight at once (`--concurrency`): a ceiling the adaptive limit stays under, or the
    /// pinned number with ``fixedConcurrency``.
    public var concurrency: Int
    /// Keep exactly ``concurrency`` rows in flight instead of adapting (`--fixed-concurrency`).
    public var fixedConcurrency: Bool
    /// Retries after the first attempt of each request.
    public var maxRetries: Int
    /// The rate each of WorkOS's budgets is paced to (`--rate-limit`, `--read-rate-limit`).
    public var rates: PacingRates
    /// When failing rows stop the run.
    public var maxFailures: FailureLimit
    /// The metadata and external_id limits every row is validated against (`--limits`), in a dry run and
    /// an import alike, so both refuse the same rows.
    public var limits: FieldLimits

    /// The default ceiling on rows in flight when writes are paced: a whole window of WorkOS's writes (500)
    /// can be in flight at once, which half a second away from WorkOS is what sends a window's writes without
    /// spreading them out. The limit climbs only as far as the latency it sees calls for
    /// (``AdaptiveConcurrency/WindowDemand``), so near WorkOS it stays at a handful.
    public static let defaultConcurrency = 500
    /// The default ceiling with `--rate-limit off`: no window says how many rows are enough, so the limit
    /// climbs while latency is steady, up to this.
    public static let unpacedConcurrency = 64
    /// Where an adaptive limit starts until the preflight's answer time moves it (and stays, with
    /// `--rate-limit off`), and the pinned number for `--fixed-concurrency` without `--concurrency`.
    public static let startingConcurrency = 10

    public init(
        organization: OrganizationTarget = .none, ifExists: ExistingUserPolicy = .skip,
        requireMembership: Bool = false, concurrency: Int = ImportConfiguration.defaultConcurrency,
        fixedConcurrency: Bool = false, maxRetries: Int = 5, rates: PacingRates = .default,
        maxFailures: FailureLimit = .default,
        limits: FieldLimits = .documented, createOrganizations: Bool = false, roleSlugs: [String] = []
    ) {
        self.createOrganizations = createOrganizations
        self.roleSlugs = roleSlugs
        self.organization = organization
        self.ifExists = ifExists
        self.requireMembership = requireMembership
        self.concurrency = concurrency
        self.fixedConcurrency = fixedConcurrency
        self.maxRetries = maxRetries
        self.rates = rates
        self.maxFailures = maxFailures
        self.limits = limits
    }

    /// Where Little's law starts the rows in flight when a request takes `latency`: the rows the write
    /// budget's average rate allows a second, times the requests a row sends (its user, and its membership
    /// when the run has an organization), times `latency`. `nil` without a write rate (`--rate-limit off`).
    public func startingRows(latency: Duration) -> Int? {
        let requestsPerRow = organization == .none ? 1 : 2
        return AdaptiveConcurrency.littlesLawRows(
            rowsPerSecond: rates.writes.map { $0.averageRate / Double(requestsPerRow) }, latency: latency,
            requestsPerRow: requestsPerRow)
    }

    /// The limit on rows in flight this configuration asks for.
    public var concurrencyLimit: AdaptiveConcurrency {
        fixedConcurrency
            ? .fixed(concurrency)
            : AdaptiveConcurrency(
                initial: Self.startingConcurrency, ceiling: concurrency,
                demand: rates.writes.map { AdaptiveConcurrency.WindowDemand(writesPerWindow: $0.requests) })
    }
}
