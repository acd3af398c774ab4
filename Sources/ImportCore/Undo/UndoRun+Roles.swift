import WorkOSClient

extension UndoRun {
    /// Deletes the roles a roles file created, newest first: the organization roles (before their
    /// organizations), or the environment roles, which the spec gives no delete, so each is left and
    /// listed. A role a membership still holds (409 `role_has_assignments`) is left, and listed with why.
    func deleteRoles(organizationRoles: Bool, done: Set<UndoItem>, report: ReportBox) async {
        let api = self.api
        let roles = plan.authorization.rolesCreated.reversed().filter {
            ($0.organizationId != nil) == organizationRoles && !done.contains(UndoItem(kind: .role, id: $0.roleKey))
        }
        for role in roles {
            if stop.isRequested {
                report.withLock {
                    $0.interrupted = true
                    $0.notAttempted += 1
                }
                continue
            }
            let item = UndoItem(kind: .role, id: role.roleKey)
            guard let organizationId = role.organizationId else {
                settle(
                    item,
                    .left(
                        "WorkOS has no API to delete an environment role; delete it in the dashboard (Roles) if no "
                            + "one needs it"), into: report)
                continue
            }
            let slug = role.slug
            let result = await runner.send(.generalOnly) { () async throws(WorkOSClientError) in
                try await api.deleteOrganizationRole(slug: slug, organizationId: organizationId)
            }
            switch result {
            case .success, .settled:
                settle(item, .deleted, into: report)
            case .failure(let error, _):
                if Self.isNotFound(error) {
                    settle(item, .deleted, into: report)
                } else if case .api(let apiError) = error, apiError.status == 409 {
                    settle(
                        item, .left("a membership of its organization still holds it (\(apiError.summary))"),
                        into: report)
                } else {
                    settle(item, .left("deleting it failed: \(error.summary)"), into: report)
                }
            }
        }
    }

    /// Deletes the permissions a roles file created, newest first, after the roles (WorkOS takes a deleted
    /// permission off every role that grants it).
    func deletePermissions(done: Set<UndoItem>, report: ReportBox) async {
        let api = self.api
        for permission in plan.authorization.permissionsCreated.reversed() {
            let item = UndoItem(kind: .permission, id: permission.slug)
            guard !done.contains(item) else { continue }
            if stop.isRequested {
                report.withLock {
                    $0.interrupted = true
                    $0.notAttempted += 1
                }
                continue
            }
            let slug = permission.slug
            let outcome = await delete(.generalOnly) { () async throws(WorkOSClientError) in
                try await api.deletePermission(slug: slug)
            }
            settle(item, outcome, into: report)
        }
    }
}
