import Foundation
import WorkOSClient

/// Compares one row with what WorkOS holds, reading only: the user and the fields the row gives, its
/// organization, the membership and its roles, and a TOTP factor where the row has a secret. Passwords
/// cannot be read back and are not compared.
struct RowChecker: Sendable {
    let api: any WorkOSAPI
    let runner: RequestRunner
    let environment: EnvironmentIndex
    /// The roles a membership has when its row names none (`--role`).
    let defaultRoles: [String]
    /// The run's one organization: nil without one; `.missing` when it does not exist.
    let runOrganization: OrganizationState?
    /// The rows' organizations, each looked up once (never created), as the import finds them.
    private let organizations: OrganizationDirectory

    enum OrganizationState: Sendable, Equatable {
        case found(String)
        case missing
    }

    /// A read that failed for good.
    struct ReadFailed: Error {
        var message: String
    }

    init(
        api: any WorkOSAPI, runner: RequestRunner, environment: EnvironmentIndex, defaultRoles: [String],
        runOrganization: OrganizationState?
    ) {
        self.api = api
        self.runner = runner
        self.environment = environment
        self.defaultRoles = defaultRoles
        self.runOrganization = runOrganization
        self.organizations = OrganizationDirectory(
            api: api, runner: runner, runId: "verify", runStartedAt: Date(), mayCreate: false)
    }

    /// Compares the row with WorkOS.
    ///
    /// - Parameter candidates: earlier rows of the row's email naming their organization the other way
    ///   (``DuplicateEmails/sameOrganizationCandidates(for:)``): when one is the row's organization with
    ///   another role, the import fails the row, and so the row is reported as contradicting that line.
    func check(_ row: ImportRow, candidates: [OrganizationCandidate]? = nil) async -> RowDrift {
        var drift = RowDrift(line: row.line, email: row.email, differences: [])
        if let candidates, let organization = row.organization,
            case .success(let earlier?) = await organizations.firstSameOrganization(
                as: organization, among: candidates),
            earlier.rolesDiffer
        {
            let column = earlier.column == ImportColumn.orgId.rawValue ? "org_external_id" : "org_id"
            let finding = CrossRowFinding(
                kind: .roleDiffersUnderAnotherName(column: column, earlierColumn: earlier.column), line: row.line,
                earlierLine: earlier.line)
            drift.differences.append(Difference(kind: "contradicts-earlier-row", expected: "", found: finding.message))
            return drift
        }
        do throws(ReadFailed) {
            guard let user = try await user(email: row.email) else {
                drift.differences.append(Difference(kind: "user-missing", expected: row.email, found: ""))
                return drift
            }
            drift.differences += Self.fieldDifferences(user, row)
            if let organization = try await organization(of: row) {
                guard case .found(let organizationId) = organization else {
                    drift.differences.append(
                        Difference(
                            kind: "organization-missing", expected: row.organization?.label ?? "", found: ""))
                    return drift
                }
                drift.differences += try await membershipDifferences(
                    userId: user.id, organizationId: organizationId, roles: row.roleSlugs ?? defaultRoles)
            }
            if let totp = row.totp {
                drift.differences += try await factorDifferences(userId: user.id, totp)
            }
        } catch {
            drift.readFailure = error.message
            drift.differences.append(Difference(kind: "read-failed", expected: "", found: error.message))
        }
        return drift
    }

    /// The fields the row gives that the user does not hold alike.
    static func fieldDifferences(_ user: WorkOSUser, _ row: ImportRow) -> [Difference] {
        var differences: [Difference] = []
        func compare(_ kind: String, _ expected: String?, _ found: String?) {
            guard let expected, expected != (found ?? "") else { return }
            differences.append(Difference(kind: kind, expected: expected, found: found ?? ""))
        }
        compare("first_name", row.firstName, user.firstName)
        compare("last_name", row.lastName, user.lastName)
        compare("email_verified", row.emailVerified.map(String.init), String(user.emailVerified))
        compare("external_id", row.externalId, user.externalId)
        if let metadata = row.metadata, metadata != (user.metadata ?? [:]) {
            differences.append(
                Difference(kind: "metadata", expected: Self.json(metadata), found: Self.json(user.metadata ?? [:])))
        }
        return differences
    }

    private static func json(_ metadata: [String: String]) -> String {
        DeterministicJSON.string(metadata)
    }

    private func read<Value: Sendable>(
        _ what: String, _ operation: @escaping @Sendable () async throws(WorkOSClientError) -> Value
    ) async throws(ReadFailed) -> Value {
        switch await runner.send(.userManagementRead, operation) {
        case .success(let value), .settled(let value): return value
        case .failure(let error, _): throw ReadFailed(message: "\(what) could not be read: \(error.summary)")
        }
    }

    private func user(email: String) async throws(ReadFailed) -> WorkOSUser? {
        switch environment.user(email: email) {
        case .present(let user): return user
        case .absent: return nil
        case .unknown:
            let api = self.api
            return try await read("the user") { () async throws(WorkOSClientError) in
                try await RowExecutor.findUser(api, email: email)
            }
        }
    }

    /// The row's organization: nil when it has none.
    private func organization(of row: ImportRow) async throws(ReadFailed) -> OrganizationState? {
        guard let organization = row.organization else { return runOrganization }
        switch await organizations.resolve(organization) {
        case .success(let found):
            return .found(found.id)
        case .failure(let failure):
            // With no WorkOS error the directory found no such organization; with one, it could not read.
            guard let error = failure.error else { return .missing }
            throw ReadFailed(message: "the organization could not be read: \(error.summary)")
        }
    }

    private func membershipDifferences(userId: String, organizationId: String, roles: [String])
        async throws(ReadFailed) -> [Difference]
    {
        let membership: WorkOSMembership?
        switch environment.membership(userId: userId, organizationId: organizationId) {
        case .present(let found): membership = found
        case .absent: membership = nil
        case .unknown:
            let api = self.api
            membership = try await read("the membership") { () async throws(WorkOSClientError) in
                try await api.listMemberships(
                    userId: userId, organizationId: organizationId, statuses: ["active", "inactive", "pending"]
                ).first
            }
        }
        guard let membership else {
            return [Difference(kind: "membership-missing", expected: organizationId, found: "")]
        }
        if membership.status != "active" {
            return [Difference(kind: "membership-" + membership.status, expected: "active", found: membership.status)]
        }
        guard !roles.isEmpty, Set(roles) != Set(membership.roleSlugs) else { return [] }
        return [
            Difference(
                kind: "roles", expected: roles.sorted().joined(separator: ","),
                found: membership.roleSlugs.sorted().joined(separator: ","))
        ]
    }

    /// What differs between the row's TOTP factor and the user's. WorkOS lists a factor's issuer and user,
    /// never its secret, so those two are compared where the row gives them (left out, WorkOS picks them);
    /// a user with several TOTP factors matches when one of them does.
    private func factorDifferences(userId: String, _ totp: TOTPEnrollment) async throws(ReadFailed)
        -> [Difference]
    {
        let api = self.api
        let factors = try await read("the user's factors") { () async throws(WorkOSClientError) in
            try await api.listAuthFactors(userId: userId).filter { $0.type == "totp" }
        }
        guard let first = factors.first else {
            return [Difference(kind: "factor-missing", expected: "totp", found: "")]
        }
        return Self.factorDifferences(first: first, all: factors, totp)
    }

    /// The differences of the row's factor from the user's TOTP factors: none when one of them matches,
    /// else those from the first.
    static func factorDifferences(first: WorkOSAuthFactor, all factors: [WorkOSAuthFactor], _ totp: TOTPEnrollment)
        -> [Difference]
    {
        func differences(_ factor: WorkOSAuthFactor) -> [Difference] {
            var found: [Difference] = []
            if let issuer = totp.issuer, factor.totp?.issuer != issuer {
                found.append(Difference(kind: "totp_issuer", expected: issuer, found: factor.totp?.issuer ?? ""))
            }
            if let user = totp.user, factor.totp?.user != user {
                found.append(Difference(kind: "totp_user", expected: user, found: factor.totp?.user ?? ""))
            }
            return found
        }
        if factors.contains(where: { differences($0).isEmpty }) { return [] }
        return differences(first)
    }
}
