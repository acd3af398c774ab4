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

    /// Whether the row being executed shares its email with another row of the file. The pipeline sets it
    /// for each row; a plan's API reads it, since only such a row can ask again about a user or membership
    /// the plan would create, so only theirs need be remembered.
    @TaskLocal public static var rowSharesEmail = true

    let api: any WorkOSAPI
    let runner: RequestRunner
    let configuration: ImportConfiguration
    /// The organization users join, resolved once at the start; `nil` without an organization mode.
    private(set) var organizationId: String?
    /// The run's one organization when `--create-org-if-missing` may create it: it goes through the
    /// ``directory`` like a row's (journaled, counted, undone, made again when someone deletes it).
    private(set) var runOrganization: RowOrganization?
    /// The organizations rows name, shared by every row in flight.
    let directory: OrganizationDirectory
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
    /// Records whose membership create, and whose factor enrollment, an earlier run had sent.
    let previousMemberships: RecordSet
    let previousFactors: RecordSet
    /// Records in the journal that a row's membership create or factor enrollment is about to be sent.
    let markStepSent: @Sendable (Int, SentStep) throws(JournalError) -> Void
    /// What a survey read of the environment before the first row: a user or membership it found is not
    /// created again (no write at all), one it knows is absent is created without asking first.
    let environment: EnvironmentIndex

    public init(
        api: any WorkOSAPI, runner: RequestRunner, configuration: ImportConfiguration, organizationId: String?,
        runId: String, runStartedAt: Date, previouslySent: RecordSet = RecordSet(),
        markSent: @escaping @Sendable (Int) throws(JournalError) -> Void = { _ in }, clock: ImportClock = .system,
        organizationJournal: OrganizationJournal = OrganizationJournal(),
        previousMemberships: RecordSet = RecordSet(), previousFactors: RecordSet = RecordSet(),
        markStepSent: @escaping @Sendable (Int, SentStep) throws(JournalError) -> Void = { _, _ in },
        environment: EnvironmentIndex = .empty
    ) {
        self.environment = environment
        self.previousMemberships = previousMemberships
        self.previousFactors = previousFactors
        self.markStepSent = markStepSent
        self.api = api
        self.runner = runner
        self.configuration = configuration
        self.organizationId = organizationId
        self.runId = runId
        self.runStartedAt = runStartedAt
        self.previouslySent = previouslySent
        self.markSent = markSent
        self.clock = clock
        self.directory = OrganizationDirectory(
            api: api, runner: runner, runId: runId, runStartedAt: runStartedAt,
            mayCreate: configuration.createOrganizations,
            journal: OrganizationDirectory.Journal(
                previouslySent: organizationJournal.previouslySent,
                previouslyCreated: organizationJournal.previouslyCreated, markSent: organizationJournal.markSent,
                recordCreated: organizationJournal.recordCreated, recordMissing: organizationJournal.recordMissing))
    }

    /// What the executor needs from the journal about organizations.
    public struct OrganizationJournal: Sendable {
        public var previouslySent: Set<String>
        public var previouslyCreated: Set<String>
        public var markSent: @Sendable (String) throws(JournalError) -> Void
        public var recordCreated: @Sendable (_ id: String, _ externalId: String) throws(JournalError) -> Void
        /// Records that an organization this import had sent a create for is gone and is created again.
        public var recordMissing: @Sendable (_ externalId: String) throws(JournalError) -> Void

        public init(
            previouslySent: Set<String> = [], previouslyCreated: Set<String> = [],
            markSent: @escaping @Sendable (String) throws(JournalError) -> Void = { _ in },
            recordCreated: @escaping @Sendable (String, String) throws(JournalError) -> Void = { _, _ in },
            recordMissing: @escaping @Sendable (String) throws(JournalError) -> Void = { _ in }
        ) {
            self.previouslySent = previouslySent
            self.previouslyCreated = previouslyCreated
            self.markSent = markSent
            self.recordCreated = recordCreated
            self.recordMissing = recordMissing
        }
    }

    /// Finds the run's one organization (`--org-external-id` with `--create-org-if-missing`) through the
    /// same ``OrganizationDirectory`` the rows' organizations go through, creating it when it is missing: its
    /// create is journaled before and after it is sent, counted, and undone like any other.
    ///
    /// - Returns: the executor whose rows join that organization, and whether this run's create made it.
    public func resolvingRunOrganization(externalId: String, name: String) async -> Result<
        (executor: RowExecutor, created: Bool), RunOrganizationFailure
    > {
        let organization = RowOrganization.externalId(externalId, name: name)
        switch await directory.resolve(organization) {
        case .success(let found):
            var executor = self
            executor.organizationId = found.id
            executor.runOrganization = organization
            return .success((executor, found.created))
        case .failure(let failure):
            return .failure(
                RunOrganizationFailure(
                    message: failure.message, error: failure.error, journalError: failure.journalError))
        }
    }

    /// Why the run's organization could not be found or created.
    public struct RunOrganizationFailure: Error, Sendable {
        public var message: String
        /// WorkOS's answer, when it gave one.
        public var error: WorkOSClientError?
        /// The journal could not record the create.
        public var journalError: JournalError?
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
        var note = earlier.map { "line \($0.line) of this file" }
        if let earlier, configuration.ifExists == .fail, !(earlier.addsOrganization && earlier.createdByThisImport) {
            let failure = makeFailure(
                row, stage: .user, userId: earlier.userId,
                message: "the email is also on line \(earlier.line) of this file, and with --if-exists fail only "
                    + "the first row of an email is imported",
                reason: "repeats an earlier row's email, and "
                    + "--if-exists is fail")
            return RowResult(failed: failure)
        }

        // The organization and its roles, before anything is created.
        var organizationCreated = false
        var membershipTarget: String? = organizationId
        let roles = row.roleSlugs ?? configuration.roleSlugs
        let organizationNamed = row.organization ?? runOrganization
        if let organization = organizationNamed {
            switch await directory.resolve(organization) {
            case .success(let found):
                membershipTarget = found.id
                organizationCreated = found.created
            case .failure(let failure):
                var result = RowResult(failed: makeFailure(row, failure))
                result.halt = failure.journalError.map(ImportHalt.journal)
                return result
            }
        }
        // Several roles: the first such row finds out whether the environment takes them, the others wait.
        var askingMultipleRoles = false
        defer { if askingMultipleRoles { directory.settleMultipleRoles(nil) } }
        if membershipTarget != nil, roles.count > 1 {
            switch await directory.multipleRolesTurn() {
            case .off:
                var result = RowResult(failed: multipleRolesFailure(roles, row: row, error: nil))
                result.organizationCreated = organizationCreated
                return result
            case .ask:
                askingMultipleRoles = true
            case .send:
                break
            }
        }
        if let target = membershipTarget, !roles.isEmpty {
            var failure = await checkRoles(roles, organizationId: target, row: row)
            // A 404 for the organization's roles: someone may have deleted it since it was looked up.
            if failure?.httpStatus == 404, let organization = organizationNamed,
                let replaced = await directory.replaceIfGone(organization, id: target)
            {
                switch replaced {
                case .success(let found):
                    membershipTarget = found.id
                    organizationCreated = organizationCreated || found.created
                    failure = await checkRoles(roles, organizationId: found.id, row: row)
                case .failure(let problem):
                    var result = RowResult(failed: makeFailure(row, problem))
                    result.halt = problem.journalError.map(ImportHalt.journal)
                    return result
                }
            }
            if let failure {
                var result = RowResult(failed: failure)
                result.organizationCreated = organizationCreated
                return result
            }
        }

        // The user.
        let user: WorkOSUser
        var outcome: UserOutcome
        var fresh = false
        var changedFields: [String] = []
        let step: UserStep
        var fromSurvey = false
        /// The row again without the survey, keeping the organization this attempt created.
        func again() async -> RowResult {
            if askingMultipleRoles {
                // This attempt learned nothing; the next one asks again (or waits for another row's answer).
                directory.settleMultipleRoles(nil)
                askingMultipleRoles = false
            }
            var result = await execute(row, earlier: earlier, trustSurvey: false)
            result.organizationCreated = result.organizationCreated || organizationCreated
            return result
        }
        if let known = earlier?.userId {
            step = .existing(WorkOSUser(id: known, email: row.email, createdAt: "", updatedAt: ""))
        } else if earlier != nil {
            // An earlier row of this email settled but is no longer remembered: look before creating.
            step = await findThenCreate(row)
        } else if trustSurvey, case .present(let known) = environment.user(email: row.email) {
            fromSurvey = true
            step = classify(known, row: row, mayBeOurs: previouslySent.contains(row.recordNumber))
        } else {
            step = await ensureUser(row, mayBeOurs: previouslySent.contains(row.recordNumber))
        }
        switch step {
        case .failure(let failure, let error):
            var result = RowResult(failed: failure, halt: error.flatMap(ImportHalt.init))
            result.organizationCreated = organizationCreated
            return result
        case .notSent(let error):
            return RowResult(failed: makeFailure(row, stage: .user, message: error.description), halt: .journal(error))
        case .created(let created, let isFresh):
            user = created
            outcome = .imported
            fresh = isFresh
        case .existing(let existing):
            if earlier?.createdByThisImport == true {
                user = existing
                outcome = .existed
                break
            }
            switch configuration.ifExists {
            case .skip:
                user = existing
                outcome = .existed
            case .fail:
                let failure = makeFailure(
                    row, stage: .user, userId: existing.id,
                    message: "a user with this email already exists (\(existing.id)) and --if-exists is fail")
                return RowResult(failed: failure)
            case .update:
                if earlier != nil {
                    // The earlier row of the email already set the user's fields (the checks across rows
                    // make sure they agree).
                    user = existing
                    outcome = .existed
                    break
                }
                let changes = Self.changes(to: existing, from: row)
                guard !changes.isEmpty else {
                    user = existing
                    outcome = .existed
                    break
                }
                changedFields = changes
                switch await update(existing, from: row) {
                case .created(let updated, _), .existing(let updated):
                    user = updated
                    outcome = .updated
                case .failure(let failure, _):
                    if fromSurvey, failure.httpStatus == 404 { return await again() }
                    return RowResult(failed: failure)
                case .notSent(let error):
                    var failure = makeFailure(row, stage: .user, message: error.description)
                    failure.userId = existing.id
                    return RowResult(failed: failure, halt: .journal(error))
                }
            }
        }
        var result = RowResult(outcome: outcome, userId: user.id, note: note)
        result.changedFields = changedFields
        result.organizationCreated = organizationCreated
        // A membership or factor found on a user this import created is this import's; only on another
        // user does a resume need the journal's word that this row had sent it.
        let userIsOurs = outcome == .imported

        // The membership.
        if var target = membershipTarget {
            var membership = await ensureMembership(
                userId: user.id, organizationId: target, roles: roles, row: row, userIsOurs: userIsOurs)
            // A 404 for a user only the survey vouched for: it may have been deleted since.
            if case .failure(.failed(let error)) = membership, error.httpStatus == 404, fromSurvey,
                await isGone(userId: user.id)
            {
                return await again()
            }
            // A 404 otherwise: the user is there (just created or found), so the organization may have been
            // deleted since it was looked up; it is looked up again, made again when missing, and joined.
            if case .failure(.failed(let error)) = membership, error.httpStatus == 404,
                let organization = organizationNamed,
                let replaced = await directory.replaceIfGone(organization, id: target)
            {
                switch replaced {
                case .success(let found):
                    target = found.id
                    organizationCreated = organizationCreated || found.created
                    result.organizationCreated = organizationCreated
                    membership = await ensureMembership(
                        userId: user.id, organizationId: target, roles: roles, row: row, userIsOurs: userIsOurs)
                case .failure(let problem):
                    if let error = problem.journalError {
                        membership = .failure(.journal(error))
                    } else {
                        membership = .failure(.refused(makeFailure(row, problem)))
                    }
                }
            }
            result.organizationId = target
            switch membership {
            case .success(let membership):
                result.membership = membership.outcome
                result.membershipId = membership.outcome.changed ? membership.id : nil
                if let remark = membership.note { note = [note, remark].compactMap { $0 }.joined(separator: "; ") }
                result.note = note
            case .failure(let problem):
                let failure: RowFailure
                switch problem {
                case .journal(let error):
                    return RowResult(
                        failed: makeFailure(row, stage: .membership, message: error.description), halt: .journal(error))
                case .refused(let refused):
                    failure = refused
                case .failed(let error):
                    failure = makeFailure(
                        row, stage: .membership, userId: user.id,
                        message: configuration.requireMembership
                            ? "the membership failed: \(error.summary)"
                            : "the user (\(user.id)) is in WorkOS but the membership failed: \(error.summary)",
                        error: error)
                }
                var failed = await membershipFailed(
                    row, user: user, createdByThisRun: outcome == .imported, failure: failure)
                failed.organizationCreated = organizationCreated
                return failed
            }
        }

        // The TOTP factor.
        if let totp = row.totp {
            if earlier?.factorSettled == true {
                result.factor = .existing
            } else {
                switch await ensureFactor(totp, userId: user.id, row: row, mayExist: !fresh, userIsOurs: userIsOurs) {
                case .success(let factor):
                    result.factor = factor.outcome
                    result.factorId = factor.id
                case .failure(let failure):
                    if fromSurvey, failure.httpStatus == 404, await isGone(userId: user.id) { return await again() }
                    return result.failing(failure)
                }
            }
        }
        return result
    }

    /// Whether WorkOS says the user no longer exists (404); `false` when it is there or cannot say.
    private func isGone(userId: String) async -> Bool {
        let api = self.api
        let answer = await runner.send(.userManagementRead) { () async throws(WorkOSClientError) -> WorkOSUser in
            try await api.getUser(id: userId)
        }
        if case .failure(let error, _) = answer { return error.httpStatus == 404 }
        return false
    }

    // MARK: - Roles

    /// Checks the row's roles against the organization's (fetched once per organization), and several roles
    /// against what WorkOS said about multiple roles; returns the row's failure, if any.
    private func checkRoles(_ roles: [String], organizationId: String, row: ImportRow) async -> RowFailure? {
        if roles.count > 1, directory.multipleRolesOff {
            return multipleRolesFailure(roles, row: row, error: nil)
        }
        switch await directory.roles(of: organizationId) {
        case .failure(let failure):
            return makeFailure(row, failure)
        case .success(let known):
            let unknown = roles.filter { !known.contains($0) }
            guard !unknown.isEmpty else { return nil }
            let noun = unknown.count == 1 ? "role" : "roles"
            let existing = known.sorted().joined(separator: ", ")
            return makeFailure(
                row, stage: .role,
                message: "\(noun) \(unknown.map { DisplayText.quoted($0) }.joined(separator: ", ")) "
                    + "\(unknown.count == 1 ? "does" : "do") not exist in organization \(row.organization?.label ?? organizationId); "
                    + "its roles are \(existing.isEmpty ? "(none)" : existing)",
                reason: "a role does not exist in the organization")
        }
    }

    private func multipleRolesFailure(_ roles: [String], row: ImportRow, error: WorkOSClientError?) -> RowFailure {
        makeFailure(
            row, stage: .role,
            message: "the row gives \(roles.count) roles (\(roles.joined(separator: ", "))) but the WorkOS "
                + "environment has multiple roles turned off, so a membership holds one role; turn multiple roles "
                + "on in the WorkOS dashboard, or give the row one role", error: error,
            reason: "several roles, and the environment has multiple roles off")
    }

    // MARK: - User

    private enum UserStep {
        /// This import created the user; `fresh` when this very request did, so it can have no factor yet.
        case created(WorkOSUser, fresh: Bool)
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
            return .created(user, fresh: true)
        case .settled(let user):
            return classify(user, row: row, mayBeOurs: true)
        case .failure(let error, let ambiguous):
            guard Self.isEmailTaken(error) else {
                return .failure(makeFailure(row, stage: .user, error: error), error: error)
            }
            return await lookUpExisting(row, takenError: error, mayBeOurs: mayBeOurs || ambiguous)
        }
    }

    /// After WorkOS said the email is taken: find that user and decide whether this import created it.
    private func lookUpExisting(_ row: ImportRow, takenError: WorkOSClientError, mayBeOurs: Bool) async -> UserStep {
        switch await lookUp(row.email) {
        case .success(let user?), .settled(let user?):
            return classify(user, row: row, mayBeOurs: mayBeOurs)
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

    /// The user with this email, looked up within the read budget and with retries.
    private func lookUp(_ email: String) async -> RequestRunner.Result<WorkOSUser?> {
        let api = self.api
        return await runner.send(.userManagementRead) { () async throws(WorkOSClientError) -> WorkOSUser? in
            try await Self.findUser(api, email: email)
        }
    }

    /// A user found by email was created by this import only when this import's create may have taken effect,
    /// WorkOS did not create the user before the import started, and the user holds exactly what the create
    /// sent (``isAsSent(_:by:)``): someone who signed up with the email while the import was down made a
    /// user too, after the import started, and that one is theirs, not the import's to count or undo.
    private func classify(_ user: WorkOSUser, row: ImportRow, mayBeOurs: Bool) -> UserStep {
        guard mayBeOurs else { return .existing(user) }
        if let created = Timestamp.parse(user.createdAt), created < runStartedAt { return .existing(user) }
        guard Self.isAsSent(user, by: row) else { return .existing(user) }
        return .created(user, fresh: false)
    }

    /// Whether the user holds what the row's create sends: the names, the external id, the metadata and
    /// `email_verified` (WorkOS's defaults where the row leaves them out: no names, no external id, empty
    /// metadata, not verified). A password cannot be read back, so it is not compared.
    public static func isAsSent(_ user: WorkOSUser, by row: ImportRow) -> Bool {
        func text(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        return text(user.firstName) == text(row.firstName) && text(user.lastName) == text(row.lastName)
            && text(user.externalId) == text(row.externalId) && (user.metadata ?? [:]) == (row.metadata ?? [:])
            && user.emailVerified == (row.emailVerified ?? false)
    }

    /// For a row whose email an earlier row of the file settled, when that row's user is no longer
    /// remembered: find the user by email, and create it only if it is not there.
    private func findThenCreate(_ row: ImportRow) async -> UserStep {
        switch await lookUp(row.email) {
        case .success(let user?), .settled(let user?):
            // The earlier row counted it (created or found); this row only joins it.
            return .existing(user)
        case .success(nil), .settled(nil), .failure:
            return await ensureUser(row, mayBeOurs: previouslySent.contains(row.recordNumber))
        }
    }

    /// The row's columns whose values differ from the user's, by column name; a password always counts,
    /// since WorkOS never shows one back. Metadata is compared whole, as an update replaces it.
    public static func changes(to user: WorkOSUser, from row: ImportRow) -> [String] {
        var changed: [String] = []
        if let first = row.firstName, first != user.firstName { changed.append("first_name") }
        if let last = row.lastName, last != user.lastName { changed.append("last_name") }
        if let verified = row.emailVerified, verified != user.emailVerified { changed.append("email_verified") }
        if let externalId = row.externalId, externalId != user.externalId { changed.append("external_id") }
        if let metadata = row.metadata, metadata != (user.metadata ?? [:]) { changed.append("metadata") }
        if row.password != nil || row.passwordHash != nil { changed.append("password") }
        return changed
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

    /// A membership that is in place.
    private struct MembershipStep {
        var outcome: MembershipOutcome
        var id: String?
        /// A remark for the row's line (roles that differ and were left as they are).
        var note: String?
    }

    /// Why a membership is not in place.
    private enum MembershipProblem: Error {
        /// WorkOS refused it in a way `--require-membership` does not undo a user for.
        case refused(RowFailure)
        /// The create failed; `--require-membership` may roll the user back.
        case failed(WorkOSClientError)
        /// The journal could not record that the create was about to be sent, so it was not sent.
        case journal(JournalError)
    }

    /// Creates the membership, or finds it in place and, under `--if-exists update`, gives it the row's roles.
    ///
    /// - Parameter userIsOurs: this import created the user, so a membership found on it that WorkOS made after
    ///   the import started is this import's. For another user, the journal's `sent` step says whether an
    ///   earlier run of this row may have made it; it is written only then, not for every row.
    private func ensureMembership(
        userId: String, organizationId: String, roles: [String], row: ImportRow, userIsOurs: Bool
    ) async -> Swift.Result<MembershipStep, MembershipProblem> {
        let request = CreateMembershipRequest(userId: userId, organizationId: organizationId, roleSlugs: roles)
        let key = IdempotencyKey.make(runId: runId, record: row.recordNumber, operation: "create-membership")
        let mayBeOurs = userIsOurs || previousMemberships.contains(row.recordNumber)
        if case .present(let known) = environment.membership(userId: userId, organizationId: organizationId),
            known.status == "active"
        {
            return await existingMembership(
                userId: userId, organizationId: organizationId, roles: roles, row: row, mayBeOurs: mayBeOurs,
                known: known)
        }
        if !userIsOurs {
            do throws(JournalError) {
                try markStepSent(row.recordNumber, .membership)
            } catch {
                return .failure(.journal(error))
            }
        }
        let api = self.api
        let result = await runner.send(
            .userManagementWrite,
            { () async throws(WorkOSClientError) -> WorkOSMembership in
                try await api.createMembership(request, idempotencyKey: key)
            },
            settle: { () async throws(WorkOSClientError) -> RequestRunner.Settlement<WorkOSMembership> in
                let existing = try await api.listMemberships(
                    userId: userId, organizationId: organizationId, statuses: ["active"])
                return existing.first.map { .found($0) } ?? .notFound
            })
        if roles.count > 1, case .success = result { directory.settleMultipleRoles(true) }
        switch result {
        case .success(let membership):
            // WorkOS answers 201 when it reactivates an inactive membership, which it made long ago.
            if let created = membership.createdAt.flatMap(Timestamp.parse), created < runStartedAt {
                return .success(MembershipStep(outcome: .reactivated, id: membership.id))
            }
            return .success(MembershipStep(outcome: .created, id: membership.id))
        case .settled(let membership):
            return .success(MembershipStep(outcome: classify(membership, mayBeOurs: true), id: membership.id))
        case .failure(let error, let ambiguous):
            guard case .api(let apiError) = error else { return .failure(.failed(error)) }
            if apiError.status == 409 {
                return await existingMembership(
                    userId: userId, organizationId: organizationId, roles: roles, row: row,
                    mayBeOurs: mayBeOurs || ambiguous)
            }
            if apiError.hasCode("multiple_roles_not_enabled") {
                directory.noteMultipleRolesOff()
                return .failure(.refused(multipleRolesFailure(roles, row: row, error: error)))
            }
            if apiError.hasCode("invalid_role") {
                return .failure(
                    .refused(
                        makeFailure(
                            row, stage: .role, userId: userId,
                            message: "WorkOS refused the roles: \(error.summary)", error: error)))
            }
            if apiError.hasCode("cannot_reactivate_pending_organization_membership") {
                return .failure(
                    .refused(
                        makeFailure(
                            row, stage: .membership, userId: userId,
                            message: "the user has a pending invitation to this organization, which WorkOS will "
                                + "not turn into a membership (\(error.summary)); accept or revoke the "
                                + "invitation, then run again", error: error)))
            }
            return .failure(.failed(error))
        }
    }

    /// The membership WorkOS says exists: created by this import or not, and with which roles.
    ///
    /// - Parameter known: the membership as the survey read it, so it need not be listed again.
    private func existingMembership(
        userId: String, organizationId: String, roles: [String], row: ImportRow, mayBeOurs: Bool,
        known: WorkOSMembership? = nil
    ) async -> Swift.Result<MembershipStep, MembershipProblem> {
        guard !roles.isEmpty || mayBeOurs else { return .success(MembershipStep(outcome: .existing)) }
        let api = self.api
        let membership: WorkOSMembership
        if let known {
            membership = known
        } else {
            let listed = await runner.send(.userManagementRead) {
                () async throws(WorkOSClientError) -> [WorkOSMembership] in
                try await api.listMemberships(userId: userId, organizationId: organizationId, statuses: ["active"])
            }
            switch listed {
            case .success(let found), .settled(let found):
                // WorkOS said it exists; a list that does not show it yet cannot say more.
                guard let first = found.first else { return .success(MembershipStep(outcome: .existing)) }
                membership = first
            case .failure(let error, _):
                return .failure(.failed(error))
            }
        }
        let outcome = classify(membership, mayBeOurs: mayBeOurs)
        guard !roles.isEmpty, Set(membership.roleSlugs) != Set(roles) else {
            return .success(MembershipStep(outcome: outcome, id: membership.id))
        }
        guard configuration.ifExists == .update else {
            let has = membership.roleSlugs.isEmpty ? "no role" : membership.roleSlugs.joined(separator: ", ")
            return .success(
                MembershipStep(
                    outcome: outcome, id: membership.id,
                    note: "has \(has), the row says \(roles.joined(separator: ", ")); --if-exists update sets them"))
        }
        let request = UpdateMembershipRequest(roleSlugs: roles)
        let id = membership.id
        let updated = await runner.send(.userManagementWrite) {
            () async throws(WorkOSClientError) -> WorkOSMembership in
            try await api.updateMembership(id: id, request)
        }
        switch updated {
        case .success, .settled:
            return .success(MembershipStep(outcome: outcome == .created ? .created : .rolesUpdated, id: id))
        case .failure(let error, _):
            if case .api(let apiError) = error, apiError.hasCode("multiple_roles_not_enabled") {
                directory.noteMultipleRolesOff()
                return .failure(.refused(multipleRolesFailure(roles, row: row, error: error)))
            }
            return .failure(
                .refused(
                    makeFailure(
                        row, stage: .role, userId: userId,
                        message: "the user is a member, but setting the roles failed: \(error.summary)",
                        error: error)))
        }
    }

    /// A membership found in place was created by this import when this import may have sent its create
    /// and WorkOS made it after the import started.
    private func classify(_ membership: WorkOSMembership, mayBeOurs: Bool) -> MembershipOutcome {
        guard mayBeOurs else { return .existing }
        // Without a creation time, this import's own create that may have taken effect is the likelier cause.
        guard let created = membership.createdAt.flatMap(Timestamp.parse) else { return .created }
        return created >= runStartedAt ? .created : .existing
    }

    // MARK: - Factor

    /// Enrolls the row's TOTP secret, unless the user already has a TOTP factor.
    ///
    /// WorkOS lets a user hold several factors, so a second enrollment would not fail: it would add a
    /// duplicate. A user this very request created has none; any other user's factors are listed first, and
    /// an enrollment that may have taken effect is settled by listing them again.
    private func ensureFactor(
        _ totp: TOTPEnrollment, userId: String, row: ImportRow, mayExist: Bool, userIsOurs: Bool
    ) async -> Swift.Result<(outcome: FactorOutcome, id: String?), RowFailure> {
        let api = self.api
        @Sendable func existingTOTP() async throws(WorkOSClientError) -> WorkOSAuthFactor? {
            try await api.listAuthFactors(userId: userId).first { $0.type == "totp" }
        }
        if mayExist {
            let listed = await runner.send(.userManagementRead) {
                () async throws(WorkOSClientError) -> WorkOSAuthFactor? in try await existingTOTP()
            }
            switch listed {
            case .success(let factor?), .settled(let factor?):
                // One this row's enrollment made in an earlier run that died before it could record it: on a
                // user this import created, or where the journal says this row had sent it.
                if userIsOurs || previousFactors.contains(row.recordNumber),
                    let created = factor.createdAt.flatMap(Timestamp.parse), created >= runStartedAt
                {
                    return .success((.enrolled, factor.id))
                }
                return .success((.existing, nil))
            case .success(nil), .settled(nil):
                break
            case .failure(let error, _):
                return .failure(
                    makeFailure(
                        row, stage: .factor, userId: userId,
                        message: "the user's factors could not be listed, so no TOTP factor was enrolled: "
                            + error.summary, error: error))
            }
        }
        let request = EnrollTOTPRequest(secret: totp.secret, issuer: totp.issuer, user: totp.user)
        let key = IdempotencyKey.make(runId: runId, record: row.recordNumber, operation: "enroll-totp")
        if !userIsOurs {
            do throws(JournalError) {
                try markStepSent(row.recordNumber, .factor)
            } catch {
                return .failure(makeFailure(row, stage: .factor, userId: userId, message: error.description))
            }
        }
        let enrolled = await runner.send(
            .userManagementWrite,
            { () async throws(WorkOSClientError) -> WorkOSAuthFactor in
                try await api.enrollTOTPFactor(userId: userId, request, idempotencyKey: key)
            },
            settle: { () async throws(WorkOSClientError) -> RequestRunner.Settlement<WorkOSAuthFactor> in
                try await existingTOTP().map { .found($0) } ?? .notFound
            })
        switch enrolled {
        case .success(let factor), .settled(let factor):
            return .success((.enrolled, factor.id))
        case .failure(let error, _):
            return .failure(
                makeFailure(
                    row, stage: .factor, userId: userId,
                    message: "the user is in WorkOS but enrolling the TOTP factor failed: \(error.summary)",
                    error: error))
        }
    }

    /// The row's failure when its membership is not in place; under `--require-membership` a user this
    /// row created is deleted again, so no user is left without the membership the file asked for.
    private func membershipFailed(
        _ row: ImportRow, user: WorkOSUser, createdByThisRun: Bool, failure: RowFailure
    ) async -> RowResult {
        var failure = failure
        failure.userId = user.id
        guard configuration.requireMembership else {
            var failed = RowResult(failed: failure)
            failed.userCreated = createdByThisRun
            return failed
        }
        guard createdByThisRun else {
            failure.message += "; the user (\(user.id)) existed before this import, so it was kept"
            return RowResult(failed: failure)
        }
        let api = self.api
        let id = user.id
        let deletion = await runner.send(.userManagementWrite) { () async throws(WorkOSClientError) -> Void in
            try await api.deleteUser(id: id)
        }
        switch deletion {
        case .success, .settled:
            failure.message += "; the user this import created was deleted (--require-membership)"
            failure.userId = nil
        case .failure(let deleteError, _):
            if case .api(let apiError) = deleteError, apiError.status == 404 {
                failure.message += "; the user is gone (--require-membership)"
                failure.userId = nil
            } else {
                failure.message += "; deleting the user (\(user.id)) also failed: " + deleteError.summary
            }
        }
        var failed = RowResult(failed: failure)
        failed.userCreated = failure.userId != nil
        return failed
    }

    // MARK: - Failures

    private func makeFailure(
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

    private func makeFailure(_ row: ImportRow, _ failure: OrganizationDirectory.Failure) -> RowFailure {
        makeFailure(row, stage: failure.stage, message: failure.message, error: failure.error, reason: failure.reason)
    }
}
