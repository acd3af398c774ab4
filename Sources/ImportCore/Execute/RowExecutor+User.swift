import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension RowExecutor {
    /// The user the user step settled on, and how.
    struct SettledUser {
        var user: WorkOSUser
        var outcome: UserOutcome
        /// This very request created the user, so it can have no factor yet.
        var fresh = false
        /// The columns an `--if-exists update` changed.
        var changedFields: [String] = []
    }

    /// The user step: the row's user is created, or found (from an earlier row of its email, the survey or
    /// WorkOS), then `--if-exists` applies to one that existed.
    func settleUser(_ attempt: inout RowAttempt) async throws(RowStop) -> SettledUser {
        let row = attempt.row
        let step: UserStep
        if let known = attempt.earlier?.userId {
            step = .existing(WorkOSUser(id: known, email: row.email, createdAt: "", updatedAt: ""))
        } else if attempt.earlier != nil {
            // An earlier row of this email settled but is no longer remembered: look before creating.
            step = await findThenCreate(row)
        } else if attempt.trustSurvey, case .present(let known) = environment.user(email: row.email) {
            attempt.fromSurvey = true
            step = classify(known, row: row, mayBeOurs: journal.usersSent.contains(row.recordNumber))
        } else {
            step = await ensureUser(row, mayBeOurs: journal.usersSent.contains(row.recordNumber))
        }
        switch step {
        case .failure(let failure, let error):
            throw .stop(RowResult(failed: failure, halt: error.flatMap(ImportHalt.init)))
        case .notSent(let error):
            throw .stop(
                RowResult(failed: makeFailure(row, stage: .user, message: error.description), halt: .journal(error)))
        case .created(let created, let fresh):
            return SettledUser(user: created, outcome: .imported, fresh: fresh)
        case .existing(let existing):
            return try await applyIfExists(to: existing, attempt)
        }
    }

    /// `--if-exists` for a user that was there: kept, refused, or given the row's fields. A row repeating an
    /// email whose earlier row created or already updated the user only joins it.
    private func applyIfExists(to existing: WorkOSUser, _ attempt: RowAttempt) async throws(RowStop) -> SettledUser {
        let row = attempt.row
        let unchanged = SettledUser(user: existing, outcome: .existed)
        if attempt.earlier?.createdByThisImport == true { return unchanged }
        switch configuration.ifExists {
        case .skip:
            return unchanged
        case .fail:
            throw .stop(
                RowResult(
                    failed: makeFailure(
                        row, stage: .user, userId: existing.id,
                        message: "a user with this email already exists (\(existing.id)) and --if-exists is fail")))
        case .update:
            // The earlier row of the email already set the user's fields (the checks across rows make sure
            // they agree).
            if attempt.earlier != nil { return unchanged }
            let changes = Self.changes(to: existing, from: row)
            guard !changes.isEmpty else { return unchanged }
            switch await update(existing, from: row) {
            case .created(let updated, _), .existing(let updated):
                return SettledUser(user: updated, outcome: .updated, changedFields: changes)
            case .failure(let failure, _):
                if attempt.fromSurvey, failure.httpStatus == 404 { throw .again }
                throw .stop(RowResult(failed: failure))
            case .notSent(let error):
                var failure = makeFailure(row, stage: .user, message: error.description)
                failure.userId = existing.id
                throw .stop(RowResult(failed: failure, halt: .journal(error)))
            }
        }
    }

    indirect enum UserStep {
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
        let request = CreateUserRequest(email: row.email, fields: row.user)
        let key = IdempotencyKey.make(runId: runId, record: row.recordNumber, operation: "create-user")
        do throws(JournalError) {
            try journal.markUserSent(row.recordNumber)
        } catch {
            return .notSent(error)
        }
        let api = self.api
        let email = row.email
        let result = await runner.send(
            writes,
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
            return await ensureUser(row, mayBeOurs: journal.usersSent.contains(row.recordNumber))
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
        let request = UpdateUserRequest(fields: row.user)
        if request.isEmpty { return .existing(user) }
        let api = self.api
        let id = user.id
        switch await runner.send(
            writes,
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
}
