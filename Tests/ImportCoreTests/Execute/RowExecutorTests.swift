import Foundation
import ImportCoreTestSupport
import Synchronization
import Testing
import WorkOSClient

@testable import ImportCore

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
        WorkOSUser(id: "user_1", email: "ada@example.com", firstName: "Ada", createdAt: createdAt, updatedAt: createdAt)
    }

    static func executor(
        _ api: ScriptedAPI, organization: String? = nil, configuration: ImportConfiguration = .init(),
        previouslySent: RecordSet = RecordSet()
    ) -> RowExecutor {
        var journal = ExecutionJournal.none
        journal.usersSent = previouslySent
        return RowExecutor(
            api: api,
            runner: RequestRunner(
                pacer: RequestPacer(ratePerSecond: nil), policy: RetryPolicy(maxRetries: 3), clock: .immediate),
            configuration: configuration, organizationId: organization, runId: "run", runStartedAt: runStart,
            journal: journal)
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
        #expect(result.outcome == .existed)
    }

    @Test("a taken email whose create an earlier run had sent (and not recorded) counts as imported")
    func createdEarlierInRun() async {
        let api = ScriptedAPI(
            createUser: { _, _ throws(WorkOSClientError) in throw Self.taken },
            listUsers: { _ in [Self.user(createdAt: Self.after)] })
        let result = await Self.executor(api, previouslySent: RecordSet([Self.row.recordNumber])).execute(Self.row)
        #expect(result.outcome == .imported)
    }

    /// Users found for a row whose create an earlier run had sent, made after the import started, that do not
    /// hold what the row sends: somebody signed up with the email while the import was down.
    static let signedUpMeanwhile: [(String, WorkOSUser)] = [
        (
            "other names",
            WorkOSUser(id: "user_2", email: "ada@example.com", firstName: "Eve", createdAt: after, updatedAt: after)
        ),
        ("no names", WorkOSUser(id: "user_2", email: "ada@example.com", createdAt: after, updatedAt: after)),
        (
            "verified",
            WorkOSUser(
                id: "user_2", email: "ada@example.com", firstName: "Ada", emailVerified: true, createdAt: after,
                updatedAt: after)
        ),
        (
            "an external id",
            WorkOSUser(
                id: "user_2", email: "ada@example.com", firstName: "Ada", externalId: "x", createdAt: after,
                updatedAt: after)
        ),
        (
            "metadata",
            WorkOSUser(
                id: "user_2", email: "ada@example.com", firstName: "Ada", metadata: ["a": "b"], createdAt: after,
                updatedAt: after)
        ),
    ]

    @Test(
        "a user found for a create an earlier run sent is the import's only when it holds what the row sends",
        arguments: signedUpMeanwhile)
    func foundUserMustMatchTheRow(_ label: String, _ found: WorkOSUser) async {
        let api = ScriptedAPI(
            createUser: { _, _ throws(WorkOSClientError) in throw Self.taken }, listUsers: { _ in [found] })
        let result = await Self.executor(api, previouslySent: RecordSet([Self.row.recordNumber])).execute(Self.row)
        #expect(result.outcome == .existed, "\(label)")
        #expect(result.userId == "user_2")
        // The same found user, holding exactly what the row sends, is the import's.
        let ours = ScriptedAPI(
            createUser: { _, _ throws(WorkOSClientError) in throw Self.taken },
            listUsers: { _ in [Self.user(createdAt: Self.after)] })
        let claimed = await Self.executor(ours, previouslySent: RecordSet([Self.row.recordNumber])).execute(Self.row)
        #expect(claimed.outcome == .imported)
    }

    @Test("a user the survey read and someone deleted since is created, not counted as already there")
    func surveyedUserDeletedSince() async throws {
        let api = ScriptedAPI(
            createUser: { _, _ in
                WorkOSUser(
                    id: "user_new", email: "ada@example.com", firstName: "Ada", createdAt: Self.after,
                    updatedAt: Self.after)
            },
            listUsers: { _ in [] },
            createMembership: { attempt throws(WorkOSClientError) in
                if attempt == 1 { throw .api(WorkOSAPIError(status: 404, message: "User not found: 'user_1'.")) }
                return WorkOSMembership(id: "om_1", userId: "user_new", organizationId: "org_1", status: "active")
            },
            userPages: { _ in WorkOSList(data: [Self.user(createdAt: Self.before)]) },
            getUser: { id throws(WorkOSClientError) in
                throw .api(WorkOSAPIError(status: 404, message: "User not found: '\(id)'."))
            })
        let (index, _) = await EnvironmentSurvey(
            api: api,
            runner: RequestRunner(
                pacer: RequestPacer(ratePerSecond: nil), policy: RetryPolicy(maxRetries: 1), clock: .immediate)
        ).run(organizations: [], pageLimit: 5)
        defer { index.close() }
        let executor = RowExecutor(
            api: api,
            runner: RequestRunner(
                pacer: RequestPacer(ratePerSecond: nil), policy: RetryPolicy(maxRetries: 1), clock: .immediate),
            configuration: ImportConfiguration(organization: .id("org_1")), organizationId: "org_1", runId: "run",
            runStartedAt: Self.runStart, journal: .none, environment: index)
        let result = await executor.execute(Self.row)
        #expect(result.outcome == .imported, "\(String(describing: result.failure?.message))")
        #expect(result.userId == "user_new")
        #expect(result.membership == .created)
    }

    @Test("an organization another import created first, found after the create lost the race, is not counted")
    func organizationRaceLost() async {
        let api = ScriptedAPI(
            createUser: { _, _ in Self.user(createdAt: Self.after) },
            organizationByExternalId: { externalId, attempt throws(WorkOSClientError) in
                if attempt == 1 { throw .api(WorkOSAPIError(status: 404, message: "Organization not found")) }
                return WorkOSOrganization(id: "org_theirs", name: "Acme", externalId: externalId, createdAt: Self.after)
            },
            createOrganization: { _, _ throws(WorkOSClientError) in
                throw .api(
                    WorkOSAPIError(
                        status: 400, code: "external_id_already_used", message: "This external ID is already in use."))
            })
        var row = Self.row
        row.organization = .externalId("acme", name: "Acme")
        let result = await Self.executor(api, configuration: ImportConfiguration(createOrganizations: true))
            .execute(row)
        #expect(result.outcome == .imported)
        #expect(result.organizationId == "org_theirs")
        #expect(!result.organizationCreated)
    }

    @Test("an organization the row created stays counted when a later step fails the row")
    func organizationCreatedThenRowFails() async {
        let api = ScriptedAPI(
            createUser: { _, _ throws(WorkOSClientError) in throw Self.taken },
            listUsers: { _ in [Self.user(createdAt: Self.before)] },
            organizationByExternalId: { _, _ throws(WorkOSClientError) in
                throw .api(WorkOSAPIError(status: 404, message: "Organization not found"))
            })
        var row = Self.row
        row.organization = .externalId("acme", name: "Acme")
        let result = await Self.executor(
            api, configuration: ImportConfiguration(ifExists: .fail, createOrganizations: true)
        ).execute(row)
        #expect(result.outcome == .failed)
        #expect(result.failure?.message.contains("--if-exists is fail") == true)
        #expect(result.organizationCreated, "the organization's create is counted even though the row failed")
    }

    @Test("with multiple roles off, one row sends several roles; the rest in flight wait and fail without sending")
    func multipleRolesLearnedOnce() async {
        let api = ScriptedAPI(
            createUser: { request, _ in
                WorkOSUser(
                    id: "user_" + request.email, email: request.email, createdAt: Self.after, updatedAt: Self.after)
            },
            createMembership: { _ throws(WorkOSClientError) in
                // Slow enough that the other rows reach their membership while this one is in flight.
                usleep(50_000)
                throw .api(
                    WorkOSAPIError(
                        status: 422, code: "multiple_roles_not_enabled",
                        message: "Multiple roles are not enabled for this environment."))
            })
        let executor = Self.executor(
            api, organization: "org_1", configuration: ImportConfiguration(organization: .id("org_1")))
        let results = await withTaskGroup(of: RowResult.self) { group in
            for number in 1...6 {
                var row = ImportRow(recordNumber: number, line: number + 1, email: "u\(number)@example.com")
                row.roleSlugs = ["member", "admin"]
                let named = row
                group.addTask { await executor.execute(named) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(api.log.filter { $0 == "createMembership" }.count == 1)
        #expect(api.log.filter { $0 == "createUser" }.count == 1)
        #expect(
            results.allSatisfy { $0.failure?.reason == "several roles, and the environment has multiple roles off" })
    }

    @Test("a plain taken email is somebody else's user even when WorkOS created it after the run started")
    func takenAfterStartIsNotOurs() async {
        let api = ScriptedAPI(
            createUser: { _, _ throws(WorkOSClientError) in throw Self.taken },
            listUsers: { _ in [Self.user(createdAt: Self.after)] })
        let result = await Self.executor(api).execute(Self.row)
        #expect(result.outcome == .existed)
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
        #expect(result.failure?.stage == .role)
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
