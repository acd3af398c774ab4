import WorkOSClient

extension RowExecutor {
    /// The roles step: with several roles, the first such row finds out whether the environment takes them
    /// and the others wait; the roles must exist in the organization. An organization whose roles answer
    /// 404 may have been deleted since it was looked up: it is looked up again (made again when missing).
    func checkRoles(_ attempt: inout RowAttempt) async throws(RowStop) {
        guard let target = attempt.membershipTarget else { return }
        let (roles, row) = (attempt.roles, attempt.row)
        if roles.count > 1 {
            switch await directory.multipleRolesTurn() {
            case .off: throw .stop(RowResult(failed: multipleRolesFailure(roles, row: row, error: nil)))
            case .ask: attempt.askingMultipleRoles = true
            case .send: break
            }
        }
        guard !roles.isEmpty else { return }
        var failure = await checkRoles(roles, organizationId: target, row: row)
        if failure?.httpStatus == 404, let organization = attempt.organizationNamed,
            let replaced = await directory.replaceIfGone(organization, id: target)
        {
            switch replaced {
            case .success(let found):
                attempt.membershipTarget = found.id
                attempt.organizationCreated = attempt.organizationCreated || found.created
                failure = await checkRoles(roles, organizationId: found.id, row: row)
            case .failure(let problem):
                throw .stop(organizationFailed(row, problem))
            }
        }
        if let failure { throw .stop(RowResult(failed: failure)) }
    }

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

    func multipleRolesFailure(_ roles: [String], row: ImportRow, error: WorkOSClientError?) -> RowFailure {
        makeFailure(
            row, stage: .role,
            message: "the row gives \(roles.count) roles (\(roles.joined(separator: ", "))) but the WorkOS "
                + "environment has multiple roles turned off, so a membership holds one role; turn multiple roles "
                + "on in the WorkOS dashboard, or give the row one role", error: error,
            reason: "several roles, and the environment has multiple roles off")
    }
}
