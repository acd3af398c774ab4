import WorkOSClient

/// What an import needs from the world outside the file: WorkOS, the clock, where text goes, how to be
/// stopped, and how run ids are made.
///
/// The command builds the real one; tests build one with a scripted API, a manual clock and captured
/// output, and run ``ImportRun`` in process. Nothing in ImportCore reaches for a global instead.
public struct ImportContext: Sendable {
    /// WorkOS, or a stand-in. A dry run is given ``OfflineAPI``, which refuses every call.
    public var api: any WorkOSAPI
    /// Time and sleeping.
    public var clock: ImportClock
    /// Per-row lines and the summary.
    public var stdout: any TextSink
    /// Warnings, progress and messages.
    public var stderr: any TextSink
    /// Whether stderr is a terminal: a live progress line instead of periodic plain ones.
    public var stderrIsTerminal: Bool
    /// Colour the per-row marks on stdout.
    public var color: Bool
    /// Set by Ctrl-C (or a test) to stop reading new rows.
    public var stop: StopSignal
    /// Makes the id of a new journal; the command draws a random UUID.
    public var makeRunId: @Sendable () -> String
    /// Called once by an import beside its preflight, with the run's runner (its pacing and retries): what
    /// the command reads of the environment then (its webhook endpoints). What it returns goes to stderr
    /// once the key has passed, before the first write, and never after a refused journal or key.
    public var beforeFirstWrite: (@Sendable (RequestRunner) async -> String)? = nil

    /// Creates a context.
    public init(
        api: any WorkOSAPI, clock: ImportClock = .system, stdout: any TextSink, stderr: any TextSink,
        stderrIsTerminal: Bool = false, color: Bool = false, stop: StopSignal = StopSignal(),
        makeRunId: @escaping @Sendable () -> String
    ) {
        self.api = api
        self.clock = clock
        self.stdout = stdout
        self.stderr = stderr
        self.stderrIsTerminal = stderrIsTerminal
        self.color = color
        self.stop = stop
        self.makeRunId = makeRunId
    }
}

/// The API of a dry run: every call fails, so a dry run provably sends nothing.
public struct OfflineAPI: WorkOSAPI {
    public init() {}

    private static var refusal: WorkOSClientError {
        .transport(message: "a dry run sends no request", requestMayHaveBeenProcessed: false)
    }

    public func checkAccess() async throws(WorkOSClientError) { throw Self.refusal }
    public func createUser(_ request: CreateUserRequest, idempotencyKey: String?) async throws(WorkOSClientError)
        -> WorkOSUser
    { throw Self.refusal }
    public func updateUser(id: String, _ request: UpdateUserRequest) async throws(WorkOSClientError) -> WorkOSUser {
        throw Self.refusal
    }
    public func deleteUser(id: String) async throws(WorkOSClientError) { throw Self.refusal }
    public func getUser(id: String) async throws(WorkOSClientError) -> WorkOSUser { throw Self.refusal }
    public func listUsers(email: String) async throws(WorkOSClientError) -> [WorkOSUser] { throw Self.refusal }
    public func listUsers(after: String?) async throws(WorkOSClientError) -> WorkOSList<WorkOSUser> {
        throw Self.refusal
    }
    public func getOrganization(id: String) async throws(WorkOSClientError) -> WorkOSOrganization {
        throw Self.refusal
    }
    public func getOrganization(externalId: String) async throws(WorkOSClientError) -> WorkOSOrganization {
        throw Self.refusal
    }
    public func createOrganization(_ request: CreateOrganizationRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSOrganization
    { throw Self.refusal }
    public func createMembership(_ request: CreateMembershipRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSMembership
    { throw Self.refusal }
    public func listMemberships(userId: String, organizationId: String, statuses: [String])
        async throws(WorkOSClientError) -> [WorkOSMembership]
    { throw Self.refusal }
    public func listMemberships(organizationId: String, after: String?) async throws(WorkOSClientError)
        -> WorkOSList<WorkOSMembership>
    { throw Self.refusal }
    public func deleteMembership(id: String) async throws(WorkOSClientError) { throw Self.refusal }
    public func deactivateMembership(id: String) async throws(WorkOSClientError) -> WorkOSMembership {
        throw Self.refusal
    }
    public func updateMembership(id: String, _ request: UpdateMembershipRequest) async throws(WorkOSClientError)
        -> WorkOSMembership
    { throw Self.refusal }
    public func listOrganizationRoles(organizationId: String) async throws(WorkOSClientError) -> [WorkOSRole] {
        throw Self.refusal
    }
    public func listEnvironmentRoles() async throws(WorkOSClientError) -> [WorkOSRole] { throw Self.refusal }
    public func enrollTOTPFactor(userId: String, _ request: EnrollTOTPRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSAuthFactor
    { throw Self.refusal }
    public func listAuthFactors(userId: String) async throws(WorkOSClientError) -> [WorkOSAuthFactor] {
        throw Self.refusal
    }
    public func deleteAuthFactor(id: String) async throws(WorkOSClientError) { throw Self.refusal }
    public func deleteOrganization(id: String) async throws(WorkOSClientError) { throw Self.refusal }
}
