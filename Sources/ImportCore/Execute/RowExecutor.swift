import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Carries one valid row through WorkOS: create the user (or find the existing one), apply `--if-exists`,
/// then ensure the organization membership.
///
/// Exactly-once: the create carries an `Idempotency-Key` derived from the run and the record, identical on
/// every retry and after a resume. Where the server ignores the key, correctness comes from the email: an
/// ambiguous failure is settled by looking the user up before retrying. A user found by email counts as
/// created by this import only when this import's own create for the row may have taken effect (an
/// ambiguous failure in this run, or a create an earlier run had sent when it died) *and* WorkOS created the
/// user after the import started. A plain "email taken" answer means somebody else's user: it is never
/// counted as imported and never deleted by `--require-membership`, whatever its `created_at` says.
///
/// A row goes through steps, each in its own file: organization (`RowExecutor+Organization.swift`), roles,
/// user, membership, factor. Each step goes on with what it found, or stops the row with its result
/// (``RowStop``).
public struct RowExecutor: Sendable {
    /// What the pipeline knows about an earlier row of the file with the same email.
    public struct EarlierRow: Sendable, Equatable {
        /// The earlier row's line, for messages.
        public var line: Int
        /// The user that row created or found, when it succeeded in this run and is still remembered.
        public var userId: String?
        /// That row's run created the user (so `--if-exists fail` does not refuse this row).
        public var createdByThisImport: Bool
        /// That row enrolled the user's TOTP factor or found one.
        public var factorSettled: Bool
        /// This row names an organization none of the earlier rows of the email named: another membership
        /// of the same user, not a repeat.
        public var addsOrganization: Bool

        /// Describes the earlier row.
        public init(
            line: Int, userId: String?, createdByThisImport: Bool = false, factorSettled: Bool = false,
            addsOrganization: Bool = false
        ) {
            self.line = line
            self.userId = userId
            self.createdByThisImport = createdByThisImport
            self.factorSettled = factorSettled
            self.addsOrganization = addsOrganization
        }
    }

    let api: any WorkOSAPI
    let runner: RequestRunner
    let configuration: ImportConfiguration
    /// The organization users join, resolved once at the start; `nil` without an organization mode.
    var organizationId: String?
    /// The run's one organization when `--create-org-if-missing` may create it: it goes through the
    /// ``directory`` like a row's (journaled, counted, undone, made again when someone deletes it).
    var runOrganization: RowOrganization?
    /// The organizations rows name, shared by every row in flight.
    let directory: OrganizationDirectory
    /// The run's id from the journal; idempotency keys are derived from it.
    let runId: String
    /// When the journal's first run started; no user created before it was created by this import.
    let runStartedAt: Date
    /// What an earlier run of the journal had sent, and where this run writes that a request is about to go.
    let journal: ExecutionJournal
    /// Dates the failures.
    let clock: ImportClock
    /// What a survey read of the environment before the first row: a user or membership it found is not
    /// created again (no write at all), one it knows is absent is created without asking first.
    let environment: EnvironmentIndex
    /// The budget the row's writes draw on: a plan, whose writes are answered without being sent, says
    /// ``RequestBudget/unsentWrite`` so they draw on none.
    let writes: RequestBudget

    /// - Parameters:
    ///   - journal: the run's journal (``ExecutionJournal/init(writingTo:resuming:)``), or
    ///     ``ExecutionJournal/none`` for a run that keeps none.
    ///   - writes: the budget of the row's writes; ``RequestBudget/unsentWrite`` when `api` answers them
    ///     without sending them.
    public init(
        api: any WorkOSAPI, runner: RequestRunner, configuration: ImportConfiguration, organizationId: String?,
        runId: String, runStartedAt: Date, journal: ExecutionJournal, clock: ImportClock = .system,
        environment: EnvironmentIndex = .empty, writes: RequestBudget = .userManagementWrite
    ) {
        self.api = api
        self.runner = runner
        self.configuration = configuration
        self.organizationId = organizationId
        self.runId = runId
        self.runStartedAt = runStartedAt
        self.journal = journal
        self.clock = clock
        self.environment = environment
        self.writes = writes
        self.directory = OrganizationDirectory(
            api: api, runner: runner, runId: runId, runStartedAt: runStartedAt,
            mayCreate: configuration.createOrganizations, journal: journal.organizations)
    }

    /// Imports one row. Never throws: every problem becomes a failed ``RowResult``.
    ///
    /// The order keeps a row from leaving half an identity behind: its organization is found (or created)
    /// and its roles checked first, so a row naming a missing organization or an unknown role fails before
    /// any user exists; then the user, the membership and the TOTP factor.
    ///
    /// - Parameter earlier: the first row of the file with the same email, when this row repeats it. Rows of
    ///   one email reach the executor one at a time, in file order.
    public func execute(_ row: ImportRow, earlier: EarlierRow? = nil) async -> RowResult {
        await execute(row, earlier: earlier, trustSurvey: true)
    }

    /// Imports one row; without `trustSurvey` the survey's word on the user is not taken, and WorkOS is
    /// asked. A user the survey read may have been deleted since: when a later request about it answers
    /// 404, the row is done again without the survey, so it creates the user instead of counting one that
    /// is gone as already there.
    private func execute(_ row: ImportRow, earlier: EarlierRow?, trustSurvey: Bool) async -> RowResult {
        if let refused = refuseRepeat(row, earlier: earlier) { return refused }
        var attempt = RowAttempt(
            row: row, earlier: earlier, trustSurvey: trustSurvey, roles: row.roleSlugs ?? configuration.roleSlugs,
            organizationNamed: row.organization ?? runOrganization, membershipTarget: organizationId)
        var ended: RowResult?
        do throws(RowStop) {
            ended = try await steps(&attempt)
        } catch {
            if case .stop(let stopped) = error { ended = stopped }
        }
        // A row that asked whether several roles are taken and learnt nothing lets the next one ask.
        if attempt.askingMultipleRoles { directory.settleMultipleRoles(nil) }
        var result: RowResult
        if let ended {
            result = ended
        } else {
            result = await execute(row, earlier: earlier, trustSurvey: false)
        }
        // An organization this attempt created stays created, whatever became of the row.
        result.organizationCreated = result.organizationCreated || attempt.organizationCreated
        return result
    }

    /// The row's steps in order: each goes on with what it found, or stops the row with its result.
    private func steps(_ attempt: inout RowAttempt) async throws(RowStop) -> RowResult {
        try await resolveOrganization(&attempt)
        try await checkRoles(&attempt)
        let user = try await settleUser(&attempt)
        var result = RowResult(
            outcome: user.outcome, userId: user.user.id, note: attempt.earlier.map { "line \($0.line) of this file" })
        result.changedFields = user.changedFields
        result = try await joinOrganization(&attempt, user: user, result: result)
        return try await enrollFactor(attempt, user: user, result: result)
    }

    /// Why a step does not let the row go on.
    indirect enum RowStop: Error {
        /// The row ends with this result.
        case stop(RowResult)
        /// A user only the survey vouched for is gone: the row is done again, asking WorkOS instead.
        case again
    }

    /// One attempt at a row: what the steps found so far, for the steps after them.
    struct RowAttempt {
        let row: ImportRow
        /// The first row of the file with the same email, when this row repeats it.
        let earlier: EarlierRow?
        /// The survey's word on the user may be taken.
        let trustSurvey: Bool
        /// The membership's roles: the row's, or `--role`'s.
        let roles: [String]
        /// The organization the row joins by name: its own, or the run's when that one may be created.
        let organizationNamed: RowOrganization?
        /// The id of the organization the user joins, once found.
        var membershipTarget: String?
        /// This attempt created the organization.
        var organizationCreated = false
        /// This row asks WorkOS whether several roles are taken; other such rows wait for its answer.
        var askingMultipleRoles = false
        /// The user came from the survey, not from WorkOS just now.
        var fromSurvey = false
    }

    /// With `--if-exists fail`, a row repeating an earlier row's email fails before any request, unless it
    /// adds another organization to a user that row created.
    private func refuseRepeat(_ row: ImportRow, earlier: EarlierRow?) -> RowResult? {
        guard let earlier, configuration.ifExists == .fail, !(earlier.addsOrganization && earlier.createdByThisImport)
        else { return nil }
        return RowResult(
            failed: makeFailure(
                row, stage: .user, userId: earlier.userId,
                message: "the email is also on line \(earlier.line) of this file, and with --if-exists fail only "
                    + "the first row of an email is imported",
                reason: "repeats an earlier row's email, and "
                    + "--if-exists is fail"))
    }

    /// Whether WorkOS says the user no longer exists (404); `false` when it is there or cannot say.
    func isGone(userId: String) async -> Bool {
        let api = self.api
        let answer = await runner.send(.userManagementRead) { () async throws(WorkOSClientError) -> WorkOSUser in
            try await api.getUser(id: userId)
        }
        if case .failure(let error, _) = answer { return error.httpStatus == 404 }
        return false
    }

    // MARK: - Failures

    func makeFailure(
        _ row: ImportRow, stage: RowFailure.Stage, userId: String? = nil, message: String? = nil,
        error: WorkOSClientError? = nil, reason: String? = nil
    ) -> RowFailure {
        var code: String?
        if case .api(let apiError) = error { code = apiError.mostSpecificCode }
        return RowFailure(
            recordNumber: row.recordNumber, line: row.line, email: row.email, userId: userId,
            organization: row.organization?.label, stage: stage,
            message: message ?? error?.summary ?? "unknown failure", httpStatus: error?.httpStatus,
            workosCode: code, workosRequestId: error?.requestId, timestamp: clock.wallNow(), reason: reason)
    }

    func makeFailure(_ row: ImportRow, _ failure: OrganizationDirectory.Failure) -> RowFailure {
        makeFailure(row, stage: failure.stage, message: failure.message, error: failure.error, reason: failure.reason)
    }
}
