import Foundation
import ImportCore
import Synchronization
import WorkOSClient

/// A closure-backed stand-in for WorkOS: each operation is a closure the test sets, and every call is logged.
public final class ScriptedAPI: WorkOSAPI {
    public let calls = Mutex<[String]>([])
    public let createUser: @Sendable (CreateUserRequest, Int) throws(WorkOSClientError) -> WorkOSUser
    public let listUsers: @Sendable (String) throws(WorkOSClientError) -> [WorkOSUser]
    public let createMembership: @Sendable (Int) throws(WorkOSClientError) -> WorkOSMembership
    public let listMemberships: @Sendable () throws(WorkOSClientError) -> [WorkOSMembership]
    public let deleteUser: @Sendable (String) throws(WorkOSClientError) -> Void
    /// One page of every user after a cursor.
    public let userPages: @Sendable (String?) throws(WorkOSClientError) -> WorkOSList<WorkOSUser>
    /// One page of an organization's memberships after a cursor; nil lists ``listMemberships`` as one page.
    public let membershipPages: (@Sendable (String, String?) throws(WorkOSClientError) -> WorkOSList<WorkOSMembership>)?
    /// The user with an id; nil answers a user with that id.
    public let getUser: (@Sendable (String) throws(WorkOSClientError) -> WorkOSUser)?
    /// The organization with an external id, by attempt; nil answers `org_1`.
    public let organizationByExternalId: (@Sendable (String, Int) throws(WorkOSClientError) -> WorkOSOrganization)?
    /// An organization create, by attempt; nil answers `org_1`.
    public let createOrganization:
        (@Sendable (CreateOrganizationRequest, Int) throws(WorkOSClientError) -> WorkOSOrganization)?
    private let attempts = Mutex<[String: Int]>([:])

    public init(
        createUser: @escaping @Sendable (CreateUserRequest, Int) throws(WorkOSClientError) -> WorkOSUser,
        listUsers: @escaping @Sendable (String) throws(WorkOSClientError) -> [WorkOSUser] = { _ in [] },
        createMembership: @escaping @Sendable (Int) throws(WorkOSClientError) -> WorkOSMembership = { _ in
            WorkOSMembership(id: "om_1", userId: "user_1", organizationId: "org_1", status: "active")
        },
        listMemberships: @escaping @Sendable () throws(WorkOSClientError) -> [WorkOSMembership] = { [] },
        deleteUser: @escaping @Sendable (String) throws(WorkOSClientError) -> Void = { _ in },
        userPages: @escaping @Sendable (String?) throws(WorkOSClientError) -> WorkOSList<WorkOSUser> = { _ in
            WorkOSList(data: [])
        },
        membershipPages: (@Sendable (String, String?) throws(WorkOSClientError) -> WorkOSList<WorkOSMembership>)? =
            nil,
        getUser: (@Sendable (String) throws(WorkOSClientError) -> WorkOSUser)? = nil,
        organizationByExternalId: (@Sendable (String, Int) throws(WorkOSClientError) -> WorkOSOrganization)? = nil,
        createOrganization: (
            @Sendable (CreateOrganizationRequest, Int) throws(WorkOSClientError) -> WorkOSOrganization
        )? =
            nil
    ) {
        self.getUser = getUser
        self.organizationByExternalId = organizationByExternalId
        self.createOrganization = createOrganization
        self.userPages = userPages
        self.membershipPages = membershipPages
        self.createUser = createUser
        self.listUsers = listUsers
        self.createMembership = createMembership
        self.listMemberships = listMemberships
        self.deleteUser = deleteUser
    }

    private func log(_ call: String) -> Int {
        calls.withLock { $0.append(call) }
        return attempts.withLock { counts in
            counts[call, default: 0] += 1
            return counts[call]!
        }
    }

    public var log: [String] { calls.withLock { $0 } }

    /// A user's factors and the factor delete, set by tests that need them; by default every user has no
    /// factor and every delete succeeds.
    public struct FactorScript: Sendable {
        public var list: @Sendable (String) throws(WorkOSClientError) -> [WorkOSAuthFactor] = { _ in [] }
        public var delete: @Sendable (String) throws(WorkOSClientError) -> Void = { _ in }
        public init() {}
    }
    public let factors = Mutex(FactorScript())

    /// Counts an attempt without logging the call (organization calls, which older tests do not expect).
    private func count(_ call: String) -> Int {
        attempts.withLock { counts in
            counts[call, default: 0] += 1
            return counts[call]!
        }
    }

    /// How many times `call` was made.
    public func attempts(_ call: String) -> Int { attempts.withLock { $0[call] ?? 0 } }

    /// Runs before the preflight's read answers, when a test sets it: to hold that answer back.
    public let beforeAccessAnswer = Mutex<(@Sendable () async -> Void)?>(nil)

    public func checkAccess() async throws(WorkOSClientError) {
        _ = log("checkAccess")
        if let hold = beforeAccessAnswer.withLock({ $0 }) { await hold() }
    }

    public func createUser(_ request: CreateUserRequest, idempotencyKey: String?) async throws(WorkOSClientError)
        -> WorkOSUser
    {
        let attempt = log("createUser")
        return try createUser(request, attempt)
    }
    public func updateUser(id: String, _ request: UpdateUserRequest) async throws(WorkOSClientError) -> WorkOSUser {
        _ = log("updateUser")
        return WorkOSUser(id: id, email: "x", firstName: request.firstName, createdAt: "", updatedAt: "")
    }
    public func deleteUser(id: String) async throws(WorkOSClientError) {
        _ = log("deleteUser")
        try deleteUser(id)
    }
    public func getUser(id: String) async throws(WorkOSClientError) -> WorkOSUser {
        _ = log("getUser")
        if let getUser { return try getUser(id) }
        return WorkOSUser(id: id, email: "x", createdAt: "", updatedAt: "")
    }
    public func listUsers(email: String) async throws(WorkOSClientError) -> [WorkOSUser] {
        _ = log("listUsers")
        return try listUsers(email)
    }
    public func listUsers(after: String?) async throws(WorkOSClientError) -> WorkOSList<WorkOSUser> {
        _ = log("listAllUsers")
        return try userPages(after)
    }
    public func getOrganization(id: String) async throws(WorkOSClientError) -> WorkOSOrganization {
        WorkOSOrganization(id: id, name: "Org")
    }
    public func getOrganization(externalId: String) async throws(WorkOSClientError) -> WorkOSOrganization {
        let attempt = count("getOrganizationByExternalId")
        if let organizationByExternalId { return try organizationByExternalId(externalId, attempt) }
        return WorkOSOrganization(id: "org_1", name: "Org", externalId: externalId)
    }
    public func createOrganization(_ request: CreateOrganizationRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSOrganization
    {
        let attempt = count("createOrganization")
        if let createOrganization { return try createOrganization(request, attempt) }
        return WorkOSOrganization(id: "org_1", name: request.name)
    }
    public func createMembership(_ request: CreateMembershipRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSMembership
    {
        let attempt = log("createMembership")
        return try createMembership(attempt)
    }
    public func listMemberships(userId: String, organizationId: String, statuses: [String])
        async throws(WorkOSClientError) -> [WorkOSMembership]
    {
        _ = log("listMemberships")
        return try listMemberships()
    }
    public func listMemberships(organizationId: String, after: String?) async throws(WorkOSClientError)
        -> WorkOSList<WorkOSMembership>
    {
        _ = log("listMembershipsOfOrganization")
        if let membershipPages { return try membershipPages(organizationId, after) }
        return WorkOSList(data: try listMemberships())
    }
    public func deleteMembership(id: String) async throws(WorkOSClientError) {
        _ = log("deleteMembership")
    }
    public func deactivateMembership(id: String) async throws(WorkOSClientError) -> WorkOSMembership {
        _ = log("deactivateMembership")
        return WorkOSMembership(id: id, userId: "user_1", organizationId: "org_1", status: "inactive")
    }
    public func updateMembership(id: String, _ request: UpdateMembershipRequest) async throws(WorkOSClientError)
        -> WorkOSMembership
    {
        _ = log("updateMembership")
        return WorkOSMembership(
            id: id, userId: "user_1", organizationId: "org_1", status: "active",
            roles: request.roleSlugs.map(WorkOSMembership.Role.init(slug:)))
    }
    public func listEnvironmentRoles() async throws(WorkOSClientError) -> [WorkOSRole] {
        _ = log("listEnvironmentRoles")
        return [WorkOSRole(slug: "member", type: "EnvironmentRole")]
    }
    public func listOrganizationRoles(organizationId: String) async throws(WorkOSClientError) -> [WorkOSRole] {
        _ = log("listOrganizationRoles")
        return [WorkOSRole(slug: "member"), WorkOSRole(slug: "admin")]
    }
    public func enrollTOTPFactor(userId: String, _ request: EnrollTOTPRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSAuthFactor
    {
        _ = log("enrollTOTPFactor")
        return WorkOSAuthFactor(id: "auth_factor_1", type: "totp", userId: userId)
    }
    public func listAuthFactors(userId: String) async throws(WorkOSClientError) -> [WorkOSAuthFactor] {
        _ = log("listAuthFactors")
        let list = factors.withLock { $0.list }
        return try list(userId)
    }
    public func deleteAuthFactor(id: String) async throws(WorkOSClientError) {
        _ = log("deleteAuthFactor")
        let delete = factors.withLock { $0.delete }
        try delete(id)
    }
    public func deleteOrganization(id: String) async throws(WorkOSClientError) {
        _ = log("deleteOrganization")
    }
}

extension ImportClock {
    /// A clock whose sleeps return at once: retries and pacing take no real time in a test.
    public static var immediate: ImportClock {
        ImportClock(
            now: { ContinuousClock.now }, wallNow: { Date() }, sleepUntil: { _ in try Task.checkCancellation() })
    }
}
