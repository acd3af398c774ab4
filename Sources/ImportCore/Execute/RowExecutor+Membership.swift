import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension RowExecutor {
    /// The membership step: the user joins the organization with the row's roles. A 404 for a user only the
    /// survey vouched for does the row again without the survey; a 404 otherwise means the organization may
    /// have been deleted since it was looked up: it is looked up again, made again when missing, and joined.
    func joinOrganization(_ attempt: inout RowAttempt, user: SettledUser, result: RowResult) async throws(RowStop)
        -> RowResult
    {
        guard var target = attempt.membershipTarget else { return result }
        let row = attempt.row
        // A membership found on a user this import created is this import's; only on another user does a
        // resume need the journal's word that this row had sent it.
        let userIsOurs = user.outcome == .imported
        let id = user.user.id
        var membership = await ensureMembership(
            userId: id, organizationId: target, roles: attempt.roles, row: row, userIsOurs: userIsOurs)
        if case .failure(.failed(let error)) = membership, error.httpStatus == 404, attempt.fromSurvey,
            await isGone(userId: id)
        {
            throw .again
        }
        if case .failure(.failed(let error)) = membership, error.httpStatus == 404,
            let organization = attempt.organizationNamed,
            let replaced = await directory.replaceIfGone(organization, id: target)
        {
            switch replaced {
            case .success(let found):
                target = found.id
                attempt.organizationCreated = attempt.organizationCreated || found.created
                membership = await ensureMembership(
                    userId: id, organizationId: target, roles: attempt.roles, row: row, userIsOurs: userIsOurs)
            case .failure(let problem):
                membership = .failure(
                    problem.journalError.map { MembershipProblem.journal($0) } ?? .refused(makeFailure(row, problem)))
            }
        }
        var result = result
        result.organizationId = target
        switch membership {
        case .success(let membership):
            result.membership = membership.outcome
            result.membershipId = membership.outcome.changed ? membership.id : nil
            if let remark = membership.note {
                result.note = [result.note, remark].compactMap { $0 }.joined(separator: "; ")
            }
            return result
        case .failure(.journal(let error)):
            throw .stop(
                RowResult(
                    failed: makeFailure(row, stage: .membership, message: error.description), halt: .journal(error)))
        case .failure(.refused(let refused)):
            throw .stop(await membershipFailed(row, user: user.user, createdByThisRun: userIsOurs, failure: refused))
        case .failure(.failed(let error)):
            let failure = makeFailure(
                row, stage: .membership, userId: id,
                message: configuration.requireMembership
                    ? "the membership failed: \(error.summary)"
                    : "the user (\(id)) is in WorkOS but the membership failed: \(error.summary)",
                error: error)
            throw .stop(await membershipFailed(row, user: user.user, createdByThisRun: userIsOurs, failure: failure))
        }
    }

    /// A membership that is in place.
    private struct MembershipStep {
        var outcome: MembershipOutcome
        var id: String?
        /// A remark for the row's line (roles that differ and were left as they are).
        var note: String?
    }

    /// Why a membership is not in place.
    private indirect enum MembershipProblem: Error {
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
        let mayBeOurs = userIsOurs || journal.membershipsSent.contains(row.recordNumber)
        if case .present(let known) = environment.membership(userId: userId, organizationId: organizationId),
            known.status == "active"
        {
            return await existingMembership(
                userId: userId, organizationId: organizationId, roles: roles, row: row, mayBeOurs: mayBeOurs,
                known: known)
        }
        if !userIsOurs {
            do throws(JournalError) {
                try journal.markSent(row.recordNumber, step: .membership)
            } catch {
                return .failure(.journal(error))
            }
        }
        let api = self.api
        let result = await runner.send(
            writes,
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
            return .failure(refusal(apiError, error, roles: roles, row: row, userId: userId))
        }
    }

    /// What a failed membership create means: WorkOS refused the roles or a pending invitation stands in the
    /// way (the row fails, and `--require-membership` undoes no user for it), or the create failed.
    private func refusal(
        _ apiError: WorkOSAPIError, _ error: WorkOSClientError, roles: [String], row: ImportRow, userId: String
    ) -> MembershipProblem {
        if apiError.hasCode("multiple_roles_not_enabled") {
            directory.noteMultipleRolesOff()
            return .refused(multipleRolesFailure(roles, row: row, error: error))
        }
        if apiError.hasCode("invalid_role") {
            return .refused(
                makeFailure(
                    row, stage: .role, userId: userId, message: "WorkOS refused the roles: \(error.summary)",
                    error: error))
        }
        if apiError.hasCode("cannot_reactivate_pending_organization_membership") {
            return .refused(
                makeFailure(
                    row, stage: .membership, userId: userId,
                    message: "the user has a pending invitation to this organization, which WorkOS will "
                        + "not turn into a membership (\(error.summary)); accept or revoke the "
                        + "invitation, then run again", error: error))
        }
        return .failed(error)
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
        let updated = await runner.send(writes) {
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
        let deletion = await runner.send(writes) { () async throws(WorkOSClientError) -> Void in
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

}
