import SortedRecordFile
import Synchronization
import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The WorkOS a plan imports into: every read goes to the live environment (or to what the survey read),
/// and every write is answered the way WorkOS would answer it, from what is there, without being sent.
///
/// Running the import's own executor against it is what makes a plan's counts the import's: the same rules
/// decide, only the writes are imagined. What the plan itself would create (users, organizations,
/// memberships, factors) is remembered so later rows see it, as they would see WorkOS's: only for rows
/// whose email is on another row too (``PlanAPI/rowSharesEmail``), as no other row can ask about it.
///
/// One thing cannot be read and is assumed: that multiple roles are on when a row gives several (WorkOS says
/// so only by refusing a membership). An organization the plan creates has the environment's roles.
final class PlanAPI: WorkOSAPI {
    private struct State {
        var users = 0
        var organizations: [String: WorkOSOrganization] = [:]
        var plannedUsers: Set<RecordKey> = []
        var plannedMemberships: Set<RecordKey> = []
        var plannedFactors = 0
        var environmentRoles: [WorkOSRole]?
        var severalRoles = 0
        /// Permissions a roles file would create, by slug.
        var permissions: [String: WorkOSPermission] = [:]
        /// Roles a roles file would create or change, by ``AuthorizationEntry/roleKey``.
        var roles: [String: WorkOSRole] = [:]
    }

    private let live: any WorkOSAPI
    private let environment: EnvironmentIndex
    private let clock: ImportClock
    private let state = Mutex(State())
    /// The live reads a simulated write makes go through it, within the read budget.
    let runner: RequestRunner

    static let plannedPrefix = "planned_"

    /// Whether the row being planned shares its email with another row of the file: only such a row can ask
    /// again about a user or membership the plan would create, so only theirs need be remembered. Set for
    /// each row by ``rowHook``.
    @TaskLocal static var rowSharesEmail = true

    /// The hook the plan gives the pipeline: each row runs with ``rowSharesEmail`` set to what the pipeline
    /// knows of its email.
    static let rowHook: ImportPipeline.RowHook = { row, body in
        await PlanAPI.$rowSharesEmail.withValue(row.sharesEmail) { await body() }
    }

    init(live: any WorkOSAPI, environment: EnvironmentIndex, runner: RequestRunner, clock: ImportClock) {
        self.live = live
        self.environment = environment
        self.runner = runner
        self.clock = clock
    }

    private var now: String { Timestamp.format(clock.wallNow()) }

    /// How many memberships the plan gave several roles, each assuming multiple roles are on.
    var membershipsWithSeveralRoles: Int { state.withLock { $0.severalRoles } }

    private static func isPlanned(_ id: String) -> Bool { id.hasPrefix(plannedPrefix) }

    /// A live read, paced and retried like the import's.
    private func read<Value: Sendable>(_ operation: @escaping @Sendable () async throws(WorkOSClientError) -> Value)
        async throws(WorkOSClientError) -> Value
    {
        switch await runner.send(.userManagementRead, operation) {
        case .success(let value), .settled(let value): return value
        case .failure(let error, _): throw error
        }
    }

    // MARK: - Users

    func checkAccess() async throws(WorkOSClientError) { try await live.checkAccess() }

    func createUser(_ request: CreateUserRequest, idempotencyKey: String?) async throws(WorkOSClientError)
        -> WorkOSUser
    {
        let key = EnvironmentIndex.userKey(email: request.email)
        var taken = state.withLock { $0.plannedUsers.contains(key) }
        // The executor asks to create only a user the survey's index shows absent; without a whole index,
        // WorkOS is asked.
        if !taken, !environment.knowsAllUsers {
            let live = self.live
            let email = request.email
            taken = try await !read { () async throws(WorkOSClientError) in try await live.listUsers(email: email) }
                .isEmpty
        }
        if taken {
            throw .api(WorkOSAPIError(status: 409, code: "user_already_exists", message: "User already exists"))
        }
        // Another user holding the external id: WorkOS refuses the create (contract §9), and the survey read
        // who holds it.
        if let externalId = request.externalId, case .present(let holder) = environment.user(externalId: externalId),
            holder.email.lowercased() != request.email.lowercased()
        {
            throw .api(
                WorkOSAPIError(
                    status: 400, code: "user_creation_error", message: "Could not create user.",
                    errors: [.init(code: "external_id_already_used", message: "This external ID is already in use.")]))
        }
        let remember = Self.rowSharesEmail
        let number = state.withLock { state in
            if remember { state.plannedUsers.insert(key) }
            state.users += 1
            return state.users
        }
        let stamp = now
        return WorkOSUser(
            id: Self.plannedPrefix + "user_\(number)", email: request.email, firstName: request.firstName,
            lastName: request.lastName, emailVerified: request.emailVerified ?? false, externalId: request.externalId,
            metadata: request.metadata, createdAt: stamp, updatedAt: stamp)
    }

    func updateUser(id: String, _ request: UpdateUserRequest) async throws(WorkOSClientError) -> WorkOSUser {
        if let externalId = request.externalId, case .present(let holder) = environment.user(externalId: externalId),
            holder.id != id
        {
            throw .api(
                WorkOSAPIError(
                    status: 400, code: "external_id_already_used", message: "This external ID is already in use."))
        }
        return WorkOSUser(id: id, email: "", createdAt: now, updatedAt: now)
    }

    func deleteUser(id: String) async throws(WorkOSClientError) {}

    func getUser(id: String) async throws(WorkOSClientError) -> WorkOSUser { try await live.getUser(id: id) }

    func listUsers(email: String) async throws(WorkOSClientError) -> [WorkOSUser] {
        if state.withLock({ $0.plannedUsers.contains(EnvironmentIndex.userKey(email: email)) }) {
            return [WorkOSUser(id: Self.plannedPrefix + "user", email: email, createdAt: now, updatedAt: now)]
        }
        return try await live.listUsers(email: email)
    }

    func listUsers(after: String?) async throws(WorkOSClientError) -> WorkOSList<WorkOSUser> {
        try await live.listUsers(after: after)
    }

    // MARK: - Organizations

    func getOrganization(id: String) async throws(WorkOSClientError) -> WorkOSOrganization {
        try await live.getOrganization(id: id)
    }

    func getOrganization(externalId: String) async throws(WorkOSClientError) -> WorkOSOrganization {
        if let planned = state.withLock({ $0.organizations[externalId] }) { return planned }
        return try await live.getOrganization(externalId: externalId)
    }

    func createOrganization(_ request: CreateOrganizationRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSOrganization
    {
        state.withLock { state in
            if let externalId = request.externalId, let planned = state.organizations[externalId] { return planned }
            let organization = WorkOSOrganization(
                id: Self.plannedPrefix + "org_\(state.organizations.count + 1)", name: request.name,
                externalId: request.externalId, domains: request.domainData ?? [], metadata: request.metadata ?? [:])
            if let externalId = request.externalId { state.organizations[externalId] = organization }
            return organization
        }
    }

    func deleteOrganization(id: String) async throws(WorkOSClientError) {}

    /// Answered without being sent, as a connection made now: the plan counts it to create. WorkOS lists
    /// no connection's external id, so a connection that exists cannot be told before the create.
    func createSSOConnection(_ request: CreateSSOConnectionRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSSSOConnection
    {
        WorkOSSSOConnection(
            id: Self.plannedPrefix + "conn_" + request.externalId, organizationId: request.organizationId,
            connectionType: request.samlOptions != nil ? "GenericSAML" : "GenericOIDC", name: request.name ?? "",
            state: "draft", createdAt: now)
    }

    /// Answered without being sent: the update the plan counts.
    func updateOrganization(id: String, _ request: UpdateOrganizationRequest) async throws(WorkOSClientError)
        -> WorkOSOrganization
    {
        WorkOSOrganization(id: id, name: "", domains: request.domainData ?? [], metadata: request.metadata ?? [:])
    }

    func listOrganizationRoles(organizationId: String) async throws(WorkOSClientError) -> [WorkOSRole] {
        let planned = plannedRoles(organizationId: organizationId)
        guard Self.isPlanned(organizationId) else {
            return try await live.listOrganizationRoles(organizationId: organizationId) + planned
        }
        // A new organization has the environment's roles and none of its own.
        if let known = state.withLock({ $0.environmentRoles }) { return known + planned }
        let roles = try await live.listEnvironmentRoles()
        state.withLock { $0.environmentRoles = roles }
        return roles + planned
    }

    func listEnvironmentRoles() async throws(WorkOSClientError) -> [WorkOSRole] {
        try await live.listEnvironmentRoles() + plannedRoles(organizationId: nil)
    }

    // MARK: - Roles file

    /// The roles the plan would create that apply to the organization (or to the environment, for nil).
    private func plannedRoles(organizationId: String?) -> [WorkOSRole] {
        state.withLock { state in
            state.roles.filter { key, _ in
                !key.contains("/") || (organizationId.map { key.hasPrefix($0 + "/") } ?? false)
            }.map(\.value)
        }
    }

    func getPermission(slug: String) async throws(WorkOSClientError) -> WorkOSPermission {
        if let planned = state.withLock({ $0.permissions[slug] }) { return planned }
        return try await live.getPermission(slug: slug)
    }

    /// Answered without being sent: the permission the plan counts.
    func createPermission(_ request: CreatePermissionRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSPermission
    {
        let now = self.now
        return state.withLock { state in
            let permission = WorkOSPermission(
                id: Self.plannedPrefix + "perm_\(state.permissions.count + 1)", slug: request.slug, name: request.name,
                createdAt: now)
            state.permissions[request.slug] = permission
            return permission
        }
    }

    func deletePermission(slug: String) async throws(WorkOSClientError) {}

    func getRole(slug: String, organizationId: String?) async throws(WorkOSClientError) -> WorkOSRole {
        let key = AuthorizationEntry.roleKey(slug: slug, organizationId: organizationId)
        if let planned = state.withLock({ $0.roles[key] ?? $0.roles[slug] }) { return planned }
        // A new organization has the environment's roles only.
        guard let organizationId, !Self.isPlanned(organizationId) else {
            return try await live.getRole(slug: slug, organizationId: nil)
        }
        return try await live.getRole(slug: slug, organizationId: organizationId)
    }

    /// Answered without being sent: the role the plan counts, remembered so the rows naming it find it.
    func createRole(_ request: CreateRoleRequest, organizationId: String?, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSRole
    {
        let now = self.now
        return state.withLock { state in
            let role = WorkOSRole(
                slug: request.slug, type: organizationId == nil ? "EnvironmentRole" : "OrganizationRole",
                id: Self.plannedPrefix + "role_\(state.roles.count + 1)", name: request.name, permissions: [],
                createdAt: now)
            state.roles[AuthorizationEntry.roleKey(slug: request.slug, organizationId: organizationId)] = role
            return role
        }
    }

    /// Answered without being sent.
    func updateRole(slug: String, organizationId: String?, _ request: UpdateRoleRequest)
        async throws(WorkOSClientError) -> WorkOSRole
    {
        WorkOSRole(slug: slug, name: request.name)
    }

    /// Answered without being sent.
    func setRolePermissions(slug: String, organizationId: String?, _ request: SetRolePermissionsRequest)
        async throws(WorkOSClientError) -> WorkOSRole
    {
        let key = AuthorizationEntry.roleKey(slug: slug, organizationId: organizationId)
        return state.withLock { state in
            var role = state.roles[key] ?? WorkOSRole(slug: slug)
            role.permissions = request.permissions
            if state.roles[key] != nil { state.roles[key] = role }
            return role
        }
    }

    func deleteOrganizationRole(slug: String, organizationId: String) async throws(WorkOSClientError) {}

    // MARK: - Memberships

    func createMembership(_ request: CreateMembershipRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSMembership
    {
        let key = EnvironmentIndex.membershipKey(userId: request.userId, organizationId: request.organizationId)
        if request.roleSlugs.count > 1 { state.withLock { $0.severalRoles += 1 } }
        let remember = Self.rowSharesEmail
        if remember, state.withLock({ !$0.plannedMemberships.insert(key).inserted }) { throw Self.conflict }
        var existing: WorkOSMembership?
        if !Self.isPlanned(request.userId), !Self.isPlanned(request.organizationId) {
            switch environment.membership(userId: request.userId, organizationId: request.organizationId) {
            case .present(let found): existing = found
            case .absent: break
            case .unknown:
                let live = self.live
                existing = try await read { () async throws(WorkOSClientError) in
                    try await live.listMemberships(
                        userId: request.userId, organizationId: request.organizationId,
                        statuses: ["active", "inactive", "pending"])
                }.first
            }
        }
        let roles = request.roleSlugs.map { WorkOSMembership.Role(slug: $0) }
        switch existing?.status {
        case "active"?:
            throw Self.conflict
        case "pending"?:
            if remember { state.withLock { _ = $0.plannedMemberships.remove(key) } }
            throw .api(
                WorkOSAPIError(
                    status: 400, code: "cannot_reactivate_pending_organization_membership",
                    message: "A pending membership exists for this user; accept or revoke its invitation first."))
        case .some:
            // WorkOS reactivates an inactive membership: the answer keeps its old creation time.
            var reactivated = existing!
            reactivated.status = "active"
            reactivated.roles = roles
            return reactivated
        case nil:
            return WorkOSMembership(
                id: Self.plannedPrefix + "om", userId: request.userId, organizationId: request.organizationId,
                status: "active", roles: roles, createdAt: now)
        }
    }

    private static var conflict: WorkOSClientError {
        .api(WorkOSAPIError(status: 409, code: "conflict", message: "Membership already exists"))
    }

    func listMemberships(userId: String, organizationId: String, statuses: [String])
        async throws(WorkOSClientError) -> [WorkOSMembership]
    {
        if Self.isPlanned(userId) || Self.isPlanned(organizationId) { return [] }
        return try await live.listMemberships(userId: userId, organizationId: organizationId, statuses: statuses)
    }

    func listMemberships(organizationId: String, after: String?) async throws(WorkOSClientError)
        -> WorkOSList<WorkOSMembership>
    {
        try await live.listMemberships(organizationId: organizationId, after: after)
    }

    func deleteMembership(id: String) async throws(WorkOSClientError) {}

    func deactivateMembership(id: String) async throws(WorkOSClientError) -> WorkOSMembership {
        WorkOSMembership(id: id, userId: "", organizationId: "", status: "inactive")
    }

    func updateMembership(id: String, _ request: UpdateMembershipRequest) async throws(WorkOSClientError)
        -> WorkOSMembership
    {
        if request.roleSlugs.count > 1 { state.withLock { $0.severalRoles += 1 } }
        return WorkOSMembership(
            id: id, userId: "", organizationId: "", status: "active",
            roles: request.roleSlugs.map { WorkOSMembership.Role(slug: $0) })
    }

    // MARK: - Factors

    func enrollTOTPFactor(userId: String, _ request: EnrollTOTPRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSAuthFactor
    {
        let number = state.withLock { state in
            state.plannedFactors += 1
            return state.plannedFactors
        }
        return WorkOSAuthFactor(id: Self.plannedPrefix + "factor_\(number)", type: "totp", createdAt: now)
    }

    func listAuthFactors(userId: String) async throws(WorkOSClientError) -> [WorkOSAuthFactor] {
        if Self.isPlanned(userId) { return [] }
        return try await live.listAuthFactors(userId: userId)
    }

    func deleteAuthFactor(id: String) async throws(WorkOSClientError) {}
}
