import Foundation
import WorkOSClient

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
public struct RowExecutor: Sendable {
    /// What the pipeline knows about an earlier row of the file with the same email.
    public struct EarlierRow: Sendable, Equatable {
        /// The earlier row's line, for messages.
        public var line: Int
        /// The user that row created or found, when it succeeded in this run.
        public var userId: String?

        /// Describes the earlier row.
        public init(line: Int, userId: String?) {
            self.line = line
            self.userId = userId
        }
    }

    let api: any WorkOSAPI
    let runner: RequestRunner
    let configuration: ImportConfiguration
    /// The organization users join, resolved once at the start; `nil` without an organization mode.
    let organizationId: String?
    /// The run's id from the journal; idempotency keys are derived from it.
    let runId: String
    /// When the journal's first run started; no user created before it was created by this import.
    let runStartedAt: Date
    /// Records whose create an earlier run of the journal had sent when it stopped: their create may have
    /// taken effect.
    let previouslySent: RecordSet
    /// Records in the journal that a row's create is about to be sent; called before the request goes out.
    let markSent: @Sendable (Int) throws(JournalError) -> Void
    /// Dates the failures.
    let clock: ImportClock

    public init(
        api: any WorkOSAPI, runner: RequestRunner, configuration: ImportConfiguration, organizationId: String?,
        runId: String, runStartedAt: Date, previouslySent: RecordSet = RecordSet(),
        markSent: @escaping @Sendable (Int) throws(JournalError) -> Void = { _ in }, clock: ImportClock = .system
    ) {
        self.api = api
        self.runner = runner
        self.configuration = configuration
        self.organizationId = organizationId
        self.runId = runId
        self.runStartedAt = runStartedAt
        self.previouslySent = previouslySent
        self.markSent = markSent
        self.clock = clock
    }

    /// Imports one row. Never throws: every problem becomes a failed ``RowResult``.
    ///
    /// - Parameter earlier: the first row of the file with the same email, when this row repeats it. Rows of
    ///   one email reach the executor one at a time, in file order.
    public func execute(_ row: ImportRow, earlier: EarlierRow? = nil) async -> RowResult {
        let user: WorkOSUser
        var outcome: RowResult.Outcome
        let note = earlier.map { "line \($0.line) of this file" }
        if let earlier, configuration.ifExists == .fail {
            let failure = makeFailure(
                row, stage: .user, userId: earlier.userId,
                message: "the email is also on line \(earlier.line) of this file, and with --if-exists fail only "
                    + "the first row of an email is imported")
            return RowResult(outcome: .failed(failure), userId: earlier.userId, membership: .none)
        }
        let step: UserStep
        if let known = earlier?.userId {
            step = .existing(WorkOSUser(id: known, email: row.email, createdAt: "", updatedAt: ""))
        } else {
            step = await ensureUser(row, mayBeOurs: earlier == nil && previouslySent.contains(row.recordNumber))
        }
        switch step {
        case .failure(let failure, let error):
            return RowResult(
                outcome: .failed(failure), userId: nil, membership: .none, halt: error.flatMap(ImportHalt.init))
        case .notSent(let error):
            return RowResult(
                outcome: .failed(makeFailure(row, stage: .user, message: error.description)), userId: nil,
                membership: .none, halt: .journal(error))
        case .created(let created):
            user = created
            outcome = .imported
        case .existing(let existing):
            switch configuration.ifExists {
            case .skip:
                user = existing
                outcome = .alreadyExisted
            case .fail:
                let failure = makeFailure(
                    row, stage: .user, userId: existing.id,
                    message: "a user with this email already exists (\(existing.id)) and --if-exists is fail")
                return RowResult(outcome: .failed(failure), userId: existing.id, membership: .none)
            case .update:
                switch await update(existing, from: row) {
                case .created(let updated), .existing(let updated):
                    user = updated
                    outcome = .updated
                case .failure(let failure, _):
                    return RowResult(outcome: .failed(failure), userId: existing.id, membership: .none)
                case .notSent(let error):
                    return RowResult(
                        outcome: .failed(makeFailure(row, stage: .user, message: error.description)),
                        userId: existing.id, membership: .none, halt: .journal(error))
                }
            }
        }
        guard let organizationId else {
            return RowResult(outcome: outcome, userId: user.id, membership: .none, note: note)
        }
        switch await ensureMembership(userId: user.id, organizationId: organizationId, row: row) {
        case .success(let membership):
            return RowResult(outcome: outcome, userId: user.id, membership: membership, note: note)
        case .failure(let error):
            return await membershipFailed(row, user: user, createdByThisRun: outcome == .imported, error: error)
        }
    }

    // MARK: - User

    private enum UserStep {
        case created(WorkOSUser)
        case existing(WorkOSUser)
        /// The row failed; `error` is WorkOS's answer when there was one.
        case failure(RowFailure, error: WorkOSClientError?)
        /// The journal could not record that the create was about to be sent, so it was not sent.
        case notSent(JournalError)
    }

    /// Creates the row's user, or finds the existing one.
    ///
    /// - Parameter mayBeOurs: an earlier run sent this row's create before it stopped, so a user found now
    ///   may be the one it created.
    private func ensureUser(_ row: ImportRow, mayBeOurs: Bool) async -> UserStep {
        let request = CreateUserRequest(
            email: row.email, firstName: row.firstName, lastName: row.lastName, password: row.password,
            passwordHash: row.passwordHash, passwordHashType: row.passwordHashType?.rawValue,
            passwordSaltPosition: row.passwordSaltPosition?.rawValue, emailVerified: row.emailVerified,
            externalId: row.externalId, metadata: row.metadata)
        let key = IdempotencyKey.make(runId: runId, record: row.recordNumber, operation: "create-user")
        do throws(JournalError) {
            try markSent(row.recordNumber)
        } catch {
            return .notSent(error)
        }
        let api = self.api
        let email = row.email
        let result = await runner.send(
            .userManagementWrite,
            { () async throws(WorkOSClientError) -> WorkOSUser in
                try await api.createUser(request, idempotencyKey: key)
            },
            settle: { () async throws(WorkOSClientError) -> RequestRunner.Settlement<WorkOSUser> in
                guard let user = try await Self.findUser(api, email: email) else { return .notFound }
                return .found(user)
            })
        switch result {
        case .success(let user):
            return .created(user)
        case .settled(let user):
            return classify(user, mayBeOurs: true)
        case .failure(let error, let ambiguous):
            guard Self.isEmailTaken(error) else {
                return .failure(makeFailure(row, stage: .user, error: error), error: error)
            }
            return await lookUpExisting(row, takenError: error, mayBeOurs: mayBeOurs || ambiguous)
        }
    }

    /// After WorkOS said the email is taken: find that user and decide whether this import created it.
    private func lookUpExisting(_ row: ImportRow, takenError: WorkOSClientError, mayBeOurs: Bool) async -> UserStep {
        let api = self.api
        let email = row.email
        let found = await runner.send(.userManagementRead) { () async throws(WorkOSClientError) -> WorkOSUser? in
            try await Self.findUser(api, email: email)
        }
        switch found {
        case .success(let user?), .settled(let user?):
            return classify(user, mayBeOurs: mayBeOurs)
        case .success(nil), .settled(nil):
            return .failure(
                makeFailure(
                    row, stage: .user,
                    message: "WorkOS says the email is taken, but no user with it could be found: "
                        + takenError.summary, error: takenError), error: takenError)
        case .failure(let error, _):
            return .failure(
                makeFailure(
                    row, stage: .user, message: "the email is taken and looking the user up failed: \(error.summary)",
                    error: error), error: error)
        }
    }

    /// A user found by email was created by this import only when this import's create may have taken effect
    /// and WorkOS did not create the user before the import started.
    private func classify(_ user: WorkOSUser, mayBeOurs: Bool) -> UserStep {
        guard mayBeOurs else { return .existing(user) }
        if let created = Timestamp.parse(user.createdAt), created < runStartedAt { return .existing(user) }
        return .created(user)
    }

    private func update(_ user: WorkOSUser, from row: ImportRow) async -> UserStep {
        let request = UpdateUserRequest(
            firstName: row.firstName, lastName: row.lastName, password: row.password, passwordHash: row.passwordHash,
            passwordHashType: row.passwordHashType?.rawValue,
            passwordSaltPosition: row.passwordSaltPosition?.rawValue, emailVerified: row.emailVerified,
            externalId: row.externalId, metadata: row.metadata)
        if request.isEmpty { return .existing(user) }
        let api = self.api
        let id = user.id
        switch await runner.send(
            .userManagementWrite,
            { () async throws(WorkOSClientError) -> WorkOSUser in
                try await api.updateUser(id: id, request)
            })
        {
        case .success(let updated), .settled(let updated):
            return .existing(updated)
        case .failure(let error, _):
            return .failure(
                makeFailure(
                    row, stage: .user, userId: user.id,
                    message: "the user exists and updating it failed: \(error.summary)", error: error), error: error)
        }
    }

    static func findUser(_ api: any WorkOSAPI, email: String) async throws(WorkOSClientError) -> WorkOSUser? {
        let wanted = email.lowercased()
        return try await api.listUsers(email: email).first { $0.email.lowercased() == wanted }
    }

    /// WorkOS's duplicate-email answers: 400 `user_creation_error` with `email_not_available`, or the legacy
    /// 409 `user_already_exists` (contract §9).
    static func isEmailTaken(_ error: WorkOSClientError) -> Bool {
        guard case .api(let apiError) = error else { return false }
        return (apiError.status == 400 && apiError.hasCode("email_not_available"))
            || (apiError.status == 409 && apiError.code == "user_already_exists")
    }

    // MARK: - Membership

    private func ensureMembership(userId: String, organizationId: String, row: ImportRow) async
        -> Swift.Result<
            RowResult.Membership, WorkOSClientError
        >
    {
        let request = CreateMembershipRequest(userId: userId, organizationId: organizationId)
        let key = IdempotencyKey.make(runId: runId, record: row.recordNumber, operation: "create-membership")
        let api = self.api
        let result = await runner.send(
            .userManagementWrite,
            { () async throws(WorkOSClientError) -> WorkOSMembership in
                try await api.createMembership(request, idempotencyKey: key)
            },
            settle: { () async throws(WorkOSClientError) -> RequestRunner.Settlement<WorkOSMembership> in
                let existing = try await api.listMemberships(userId: userId, organizationId: organizationId)
                return existing.first.map { .found($0) } ?? .notFound
            })
        switch result {
        case .success, .settled:
            return .success(.created)
        case .failure(let error, let ambiguous):
            if case .api(let apiError) = error, apiError.status == 409 {
                // An earlier attempt of this run may have created it; otherwise it was there before.
                return .success(ambiguous ? .created : .existing)
            }
            return .failure(error)
        }
    }

    private func membershipFailed(
        _ row: ImportRow, user: WorkOSUser, createdByThisRun: Bool, error: WorkOSClientError
    ) async -> RowResult {
        guard configuration.requireMembership else {
            let failure = makeFailure(
                row, stage: .membership, userId: user.id,
                message: "the user (\(user.id)) is in WorkOS but the membership failed: \(error.summary)",
                error: error)
            return RowResult(outcome: .failed(failure), userId: user.id, membership: .none)
        }
        guard createdByThisRun else {
            let failure = makeFailure(
                row, stage: .membership, userId: user.id,
                message: "the membership failed: \(error.summary); the user (\(user.id)) existed before this "
                    + "import, so it was kept", error: error)
            return RowResult(outcome: .failed(failure), userId: user.id, membership: .none)
        }
        let api = self.api
        let id = user.id
        let deletion = await runner.send(.userManagementWrite) { () async throws(WorkOSClientError) -> Void in
            try await api.deleteUser(id: id)
        }
        let message: String
        switch deletion {
        case .success, .settled:
            message =
                "the membership failed: \(error.summary); the user this import created was deleted "
                + "(--require-membership)"
            let failure = makeFailure(row, stage: .membership, message: message, error: error)
            return RowResult(outcome: .failed(failure), userId: nil, membership: .none)
        case .failure(let deleteError, _):
            if case .api(let apiError) = deleteError, apiError.status == 404 {
                let failure = makeFailure(
                    row, stage: .membership,
                    message: "the membership failed: \(error.summary); the user is gone (--require-membership)",
                    error: error)
                return RowResult(outcome: .failed(failure), userId: nil, membership: .none)
            }
            message =
                "the membership failed: \(error.summary); deleting the user (\(user.id)) also failed: "
                + deleteError.summary
            let failure = makeFailure(row, stage: .membership, userId: user.id, message: message, error: error)
            return RowResult(outcome: .failed(failure), userId: user.id, membership: .none)
        }
    }

    // MARK: - Failures

    private func makeFailure(
        _ row: ImportRow, stage: RowFailure.Stage, userId: String? = nil, message: String? = nil,
        error: WorkOSClientError? = nil
    ) -> RowFailure {
        var code: String?
        if case .api(let apiError) = error { code = apiError.mostSpecificCode }
        return RowFailure(
            recordNumber: row.recordNumber, line: row.line, email: row.email, userId: userId, stage: stage,
            message: message ?? error?.summary ?? "unknown failure", httpStatus: error?.httpStatus,
            workosCode: code, workosRequestId: error?.requestId, timestamp: clock.wallNow())
    }
}
