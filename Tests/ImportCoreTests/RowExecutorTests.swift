import Foundation
import Synchronization
import Testing
import WorkOSClient

@testable import ImportCore

/// A closure-backed stand-in for WorkOS: each operation is a closure the test sets, and every call is logged.
final class ScriptedAPI: WorkOSAPI {
    let calls = Mutex<[String]>([])
    let createUser: @Sendable (CreateUserRequest, Int) throws(WorkOSClientError) -> WorkOSUser
    let listUsers: @Sendable (String) throws(WorkOSClientError) -> [WorkOSUser]
    let createMembership: @Sendable (Int) throws(WorkOSClientError) -> WorkOSMembership
    let listMemberships: @Sendable () throws(WorkOSClientError) -> [WorkOSMembership]
    let deleteUser: @Sendable (String) throws(WorkOSClientError) -> Void
    private let attempts = Mutex<[String: Int]>([:])

    init(
        createUser: @escaping @Sendable (CreateUserRequest, Int) throws(WorkOSClientError) -> WorkOSUser,
        listUsers: @escaping @Sendable (String) throws(WorkOSClientError) -> [WorkOSUser] = { _ in [] },
        createMembership: @escaping @Sendable (Int) throws(WorkOSClientError) -> WorkOSMembership = { _ in
            WorkOSMembership(id: "om_1", userId: "user_1", organizationId: "org_1", status: "active")
        },
        listMemberships: @escaping @Sendable () throws(WorkOSClientError) -> [WorkOSMembership] = { [] },
        deleteUser: @escaping @Sendable (String) throws(WorkOSClientError) -> Void = { _ in }
    ) {
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

    var log: [String] { calls.withLock { $0 } }

    func checkAccess() async throws(WorkOSClientError) {
        _ = log("checkAccess")
    }

    func createUser(_ request: CreateUserRequest, idempotencyKey: String?) async throws(WorkOSClientError)
        -> WorkOSUser
    {
        let attempt = log("createUser")
        return try createUser(request, attempt)
    }
    func updateUser(id: String, _ request: UpdateUserRequest) async throws(WorkOSClientError) -> WorkOSUser {
        _ = log("updateUser")
        return WorkOSUser(id: id, email: "x", firstName: request.firstName, createdAt: "", updatedAt: "")
    }
    func deleteUser(id: String) async throws(WorkOSClientError) {
        _ = log("deleteUser")
        try deleteUser(id)
    }
    func listUsers(email: String) async throws(WorkOSClientError) -> [WorkOSUser] {
        _ = log("listUsers")
        return try listUsers(email)
    }
    func getOrganization(id: String) async throws(WorkOSClientError) -> WorkOSOrganization {
        WorkOSOrganization(id: id, name: "Org")
    }
    func getOrganization(externalId: String) async throws(WorkOSClientError) -> WorkOSOrganization {
        WorkOSOrganization(id: "org_1", name: "Org", externalId: externalId)
    }
    func createOrganization(_ request: CreateOrganizationRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSOrganization
    {
        WorkOSOrganization(id: "org_1", name: request.name)
    }
    func createMembership(_ request: CreateMembershipRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSMembership
    {
        let attempt = log("createMembership")
        return try createMembership(attempt)
    }
    func listMemberships(userId: String, organizationId: String) async throws(WorkOSClientError)
        -> [WorkOSMembership]
    {
        _ = log("listMemberships")
        return try listMemberships()
    }
}

@Suite("Row executor: exactly-once decisions")
struct RowExecutorTests {
    static let runStart = Date(timeIntervalSince1970: 1_800_000_000)
    static let before = "2026-01-01T00:00:00.000Z"
    static let after = "2027-12-01T00:00:00.000Z"
    static let row = ImportRow(recordNumber: 7, line: 8, email: "ada@example.com", firstName: "Ada")
    static let taken = WorkOSClientError.api(
        WorkOSAPIError(
            status: 400, code: "user_creation_error", message: "Could not create user.",
            errors: [.init(code: "email_not_available")]))
    static let dropped = WorkOSClientError.transport(message: "connection reset", requestMayHaveBeenProcessed: true)

    static func user(createdAt: String) -> WorkOSUser {
        WorkOSUser(id: "user_1", email: "ada@example.com", createdAt: createdAt, updatedAt: createdAt)
    }

    static func executor(
        _ api: ScriptedAPI, organization: String? = nil, configuration: ImportConfiguration = .init(),
        previouslySent: RecordSet = RecordSet()
    ) -> RowExecutor {
        RowExecutor(
            api: api,
            runner: RequestRunner(
                pacer: RequestPacer(ratePerSecond: nil), policy: RetryPolicy(maxRetries: 3), sleep: { _ in }),
            configuration: configuration, organizationId: organization, runId: "run", runStartedAt: runStart,
            previouslySent: previouslySent)
    }

    @Test("a created user is imported")
    func created() async {
        let api = ScriptedAPI(createUser: { _, _ in Self.user(createdAt: Self.after) })
        let result = await Self.executor(api).execute(Self.row)
        #expect(result.outcome == .imported)
        #expect(result.userId == "user_1")
    }

    @Test("a dropped create is settled by email before retrying, and counts as imported when it took effect")
    func droppedCreateIsSettled() async {
        let api = ScriptedAPI(
            createUser: { _, _ throws(WorkOSClientError) in throw Self.dropped },
            listUsers: { _ in [Self.user(createdAt: Self.after)] })
        let result = await Self.executor(api).execute(Self.row)
        #expect(result.outcome == .imported)
        #expect(api.log == ["createUser", "listUsers"])
    }

    @Test("a dropped create that did not take effect is retried")
    func droppedCreateIsRetried() async {
        let api = ScriptedAPI(
            createUser: { _, attempt throws(WorkOSClientError) in
                if attempt == 1 { throw Self.dropped }
                return Self.user(createdAt: Self.after)
            })
        let result = await Self.executor(api).execute(Self.row)
        #expect(result.outcome == .imported)
        #expect(api.log == ["createUser", "listUsers", "createUser"])
    }

    @Test("a taken email of a user created before the run counts as already existed")
    func existedBefore() async {
        let api = ScriptedAPI(
            createUser: { _, _ throws(WorkOSClientError) in throw Self.taken },
            listUsers: { _ in [Self.user(createdAt: Self.before)] })
        let result = await Self.executor(api).execute(Self.row)
        #expect(result.outcome == .alreadyExisted)
    }

    @Test("a taken email whose create an earlier run had sent (and not recorded) counts as imported")
    func createdEarlierInRun() async {
        let api = ScriptedAPI(
            createUser: { _, _ throws(WorkOSClientError) in throw Self.taken },
            listUsers: { _ in [Self.user(createdAt: Self.after)] })
        let result = await Self.executor(api, previouslySent: RecordSet([Self.row.recordNumber])).execute(Self.row)
        #expect(result.outcome == .imported)
    }

    @Test("a plain taken email is somebody else's user even when WorkOS created it after the run started")
    func takenAfterStartIsNotOurs() async {
        let api = ScriptedAPI(
            createUser: { _, _ throws(WorkOSClientError) in throw Self.taken },
            listUsers: { _ in [Self.user(createdAt: Self.after)] })
        let result = await Self.executor(api).execute(Self.row)
        #expect(result.outcome == .alreadyExisted)
    }

    @Test("--require-membership deletes a user this run created when the membership fails")
    func requireMembershipDeletesOwnUser() async {
        let api = ScriptedAPI(
            createUser: { _, _ in Self.user(createdAt: Self.after) },
            createMembership: { _ throws(WorkOSClientError) in
                throw .api(WorkOSAPIError(status: 422, code: "invalid_role", message: "Role 'x' is not a valid role."))
            })
        let result = await Self.executor(
            api, organization: "org_1", configuration: ImportConfiguration(requireMembership: true)
        ).execute(Self.row)
        #expect(result.failure?.stage == .membership)
        #expect(result.failure?.workosCode == "invalid_role")
        #expect(api.log.contains("deleteUser"))
    }

    @Test("--require-membership never deletes a user that existed before the run")
    func requireMembershipKeepsExistingUser() async {
        let api = ScriptedAPI(
            createUser: { _, _ throws(WorkOSClientError) in throw Self.taken },
            listUsers: { _ in [Self.user(createdAt: Self.before)] },
            createMembership: { _ throws(WorkOSClientError) in
                throw .api(WorkOSAPIError(status: 422, code: "invalid_role", message: "bad role"))
            })
        let result = await Self.executor(
            api, organization: "org_1", configuration: ImportConfiguration(requireMembership: true)
        ).execute(Self.row)
        #expect(result.failure != nil)
        #expect(!api.log.contains("deleteUser"))
        #expect(result.failure?.message.contains("kept") == true)
    }

    @Test("an existing membership counts as success, not as created")
    func existingMembership() async {
        let api = ScriptedAPI(
            createUser: { _, _ in Self.user(createdAt: Self.after) },
            createMembership: { _ throws(WorkOSClientError) in
                throw .api(WorkOSAPIError(status: 409, code: "conflict", message: "Membership already exists"))
            })
        let result = await Self.executor(api, organization: "org_1").execute(Self.row)
        #expect(result.outcome == .imported)
        #expect(result.membership == .existing)
    }

    @Test("a dropped membership create is settled by listing before retrying")
    func droppedMembershipIsSettled() async {
        let api = ScriptedAPI(
            createUser: { _, _ in Self.user(createdAt: Self.after) },
            createMembership: { _ throws(WorkOSClientError) in throw Self.dropped },
            listMemberships: {
                [WorkOSMembership(id: "om_9", userId: "user_1", organizationId: "org_1", status: "active")]
            })
        let result = await Self.executor(api, organization: "org_1").execute(Self.row)
        #expect(result.membership == .created)
        #expect(api.log.filter { $0 == "createMembership" }.count == 1)
    }

    @Test("a refusal that retrying cannot fix fails the row with WorkOS's code and no retry")
    func permanentFailure() async {
        let api = ScriptedAPI(
            createUser: { _, _ throws(WorkOSClientError) in
                throw .api(
                    WorkOSAPIError(status: 400, code: "invalid_password_hash", message: "bad hash", requestId: "req_1"))
            })
        let result = await Self.executor(api).execute(Self.row)
        #expect(result.failure?.httpStatus == 400)
        #expect(result.failure?.workosCode == "invalid_password_hash")
        #expect(result.failure?.workosRequestId == "req_1")
        #expect(api.log == ["createUser"])
    }
}
