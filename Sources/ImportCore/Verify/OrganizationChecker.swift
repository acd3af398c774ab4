import WorkOSClient

/// Reads back an organizations file's rows (`verify --organizations`, or a package's `organizations.csv`):
/// each organization must exist with at least the row's domains, in the row's state, and the row's metadata.
/// Its verdicts are ``RowDrift``s whose line is the organizations file's and whose `email` column holds that
/// file's path, as ``RoleChecker``'s do.
///
/// Kinds: `organization-missing`, `domain-missing` (a domain the organization lacks, with the state the row
/// gives it), `domain-state` (a domain the row marks verified that is pending), `metadata` (a key the
/// organization lacks or holds with another value), `invalid-row`, `read-failed`. An organization may hold
/// more domains and metadata than its row: only what the row says is checked, as the import adds and never
/// removes.
struct OrganizationChecker {
    let api: any WorkOSAPI
    let runner: RequestRunner

    /// Every row of `file`, in line order.
    func check(_ file: OrganizationFile) async -> [RowDrift] {
        await RowDrift.fileRows(
            path: file.path, problems: file.problems.map { ($0.line, $0.message) }, definitions: file.definitions
        ) { definition in await check(definition, path: file.path) }
    }

    /// One row's verdict.
    func check(_ definition: OrganizationDefinition, path: String) async -> RowDrift {
        var drift = RowDrift(line: definition.line, email: path, differences: [])
        do throws(WorkOSClientError) {
            let organization = definition.organization
            guard
                let found = try await runner.readUnlessMissing({ () async throws(WorkOSClientError) in
                    switch organization {
                    case .id(let id): try await api.getOrganization(id: id)
                    case .externalId(let externalId, _): try await api.getOrganization(externalId: externalId)
                    }
                })
            else {
                drift.differences.append(
                    Difference(kind: "organization-missing", expected: organization.label, found: ""))
                return drift
            }
            drift.differences = Self.differences(found, definition)
        } catch {
            drift.readFailure = error.summary
            drift.differences.append(Difference(kind: "read-failed", expected: "", found: error.summary))
        }
        return drift
    }

    /// What `organization` lacks of `definition`, as the import's own comparison finds it.
    static func differences(_ organization: WorkOSOrganization, _ definition: OrganizationDefinition) -> [Difference] {
        let difference = OrganizationDifference(organization: organization, definition: definition)
        var differences = difference.missingDomains.map {
            Difference(kind: "domain-missing", expected: "\($0.domain) (\($0.state))", found: "")
        }
        differences += difference.domainsToVerify.map {
            Difference(kind: "domain-state", expected: "\($0) verified", found: "\($0) pending")
        }
        differences += difference.metadataKeys.map { key in
            Difference(
                kind: "metadata", expected: "\(key)=\(definition.metadata?[key] ?? "")",
                found: organization.metadata[key].map { "\(key)=\($0)" } ?? "")
        }
        return differences
    }
}
