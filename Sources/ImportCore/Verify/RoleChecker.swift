import WorkOSClient

/// Reads back a roles file's rows (`verify --roles`): each role must exist (an organization role in its
/// organization) with at least the row's permissions. Its verdicts are ``RowDrift``s whose line is the roles
/// file's and whose `email` column holds the roles file's path, so they read apart from the users' rows.
///
/// Kinds: `role-missing`, `role-permissions` (the permissions the role lacks, and those it has),
/// `organization-missing` (an organization role's organization), `invalid-row`, `read-failed`.
struct RoleChecker {
    let api: any WorkOSAPI
    let runner: RequestRunner

    /// Every row of `file`, in line order: the rows the file gets wrong as `invalid-row`, the others read back.
    func check(_ file: RoleFile) async -> [RowDrift] {
        await RowDrift.fileRows(
            path: file.path, problems: file.problems.map { ($0.line, $0.message) }, definitions: file.definitions
        ) { definition in await check(definition, path: file.path) }
    }

    /// One row's verdict.
    func check(_ definition: RoleDefinition, path: String) async -> RowDrift {
        var drift = RowDrift(line: definition.line, email: path, differences: [])
        do throws(WorkOSClientError) {
            var organizationId: String?
            if let organization = definition.organization {
                guard
                    let id = try await runner.readUnlessMissing({ () async throws(WorkOSClientError) in
                        switch organization {
                        case .id(let id): try await api.getOrganization(id: id).id
                        case .externalId(let externalId, _): try await api.getOrganization(externalId: externalId).id
                        }
                    })
                else {
                    drift.differences.append(
                        Difference(kind: "organization-missing", expected: organization.label, found: ""))
                    return drift
                }
                organizationId = id
            }
            let slug = definition.slug
            let scope = organizationId
            guard
                let role = try await runner.readUnlessMissing({ () async throws(WorkOSClientError) in
                    try await api.getRole(slug: slug, organizationId: scope)
                })
            else {
                drift.differences.append(Difference(kind: "role-missing", expected: slug, found: ""))
                return drift
            }
            let has = role.permissions ?? []
            let missing = definition.permissions.filter { !has.contains($0) }
            if !missing.isEmpty {
                drift.differences.append(
                    Difference(
                        kind: "role-permissions", expected: missing.joined(separator: ","),
                        found: has.joined(separator: ",")))
            }
        } catch {
            drift.readFailure = error.summary
            drift.differences.append(Difference(kind: "read-failed", expected: "", found: error.summary))
        }
        return drift
    }
}
