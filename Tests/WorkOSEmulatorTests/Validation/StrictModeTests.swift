import Foundation
import HTTPTypes
import Hummingbird
import ImportCoreTestSupport
import Testing

@testable import WorkOSEmulator

@Suite("Strict mode: every request checked against WorkOS's spec")
struct StrictModeTests {
    @Test("a request the spec allows is answered and records nothing")
    func conformingRequest() async throws {
        let emulator = try TestEmulator()
        try await emulator.test { client in
            let created = try await client.createUser(
                #"{"email":"a@example.com","first_name":"A","metadata":{"k":"v"},"password_hash_type":"bcrypt","password_hash":"$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}"#
            )
            #expect(created.status == 201)
            let listed = try await client.send(
                "GET", "/user_management/users?limit=100&email=a%40example.com&order=asc")
            #expect(listed.status == 200)
            let organization = try await client.createOrganization(
                #"{"name":"Acme","external_id":"acme","domain_data":[{"domain":"acme.com","state":"pending"}]}"#)
            #expect(organization.status == 201)
            let membership = try await client.createMembership(
                #"{"user_id":"\#(created.id)","organization_id":"\#(organization.id)","role_slugs":["member"]}"#)
            #expect(membership.status == 201)
            let memberships = try await client.send(
                "GET",
                "/user_management/organization_memberships?user_id=\(created.id)&statuses=active,inactive&limit=100")
            #expect(memberships.status == 200)
            #expect(emulator.takeViolations().isEmpty)
        }
    }

    @Test(
        "a body outside the schema is refused with 422 before any work, and recorded with its route and problem",
        arguments: [
            (
                #"{"email":"a@example.com","nickname":"x"}"#,
                "Unknown field 'nickname'. Remove it from the request body."
            ),
            (#"{"first_name":"A"}"#, "email is required."),
            (#"{"email":"a@example.com","email_verified":"yes"}"#, "email_verified must be a boolean or null."),
            (#"{"email":5}"#, "email must be a string."),
            (#"["a@example.com"]"#, "The request body must be an object."),
        ])
    func refusedBody(body: String, problem: String) async throws {
        let emulator = try TestEmulator()
        try await emulator.test { client in
            let answer = try await client.createUser(body)
            #expect(answer.status == 422 && answer.code == "invalid_request_parameters")
            #expect(answer.json?["message"] == .string(problem))
            #expect(emulator.state.snapshot().users.isEmpty)
            let violations = emulator.takeViolations()
            #expect(
                violations.first
                    == RequestViolation(
                        method: "POST", path: "/user_management/users", problem: problem, refused: true))
        }
    }

    @Test("a value outside an enum or const, nested or not, is refused and named by its path")
    func enumsAndNesting() async throws {
        let emulator = try TestEmulator { $0.seed = EmulatorSeed(users: [.init(id: "user_A", email: "a@example.com")]) }
        try await emulator.test { client in
            let factor = try await client.send(
                "POST", "/user_management/users/user_A/auth_factors", json: #"{"type":"sms"}"#)
            #expect(factor.status == 422)
            #expect(factor.json?["message"] == .string("type must be one of: totp."))
            let organization = try await client.createOrganization(
                #"{"name":"Acme","domain_data":[{"domain":"acme.com","state":"done","color":"red"}]}"#)
            #expect(organization.status == 422)
            let problems = emulator.takeViolations().map(\.problem)
            #expect(problems.contains("type must be one of: totp."))
            #expect(problems.contains("Unknown field 'domain_data[0].color'. Remove it from the request body."))
            #expect(problems.contains("domain_data[0].state must be one of: pending, verified."))
        }
    }

    @Test("problems a route answers with its own code get that answer and are still recorded")
    func routeCodesKept() async throws {
        let emulator = try TestEmulator()
        try await emulator.test { client in
            let metadata = try await client.createUser(#"{"email":"a@example.com","metadata":{"n":1}}"#)
            #expect(metadata.status == 400 && metadata.code == "invalid_metadata")
            let both = try await client.createUser(
                #"{"email":"b@example.com","password":"secret-password-1","password_hash":"x","password_hash_type":"bcrypt"}"#
            )
            #expect(both.status == 400 && both.code == "password_and_password_hash_provided")
            let violations = emulator.takeViolations()
            #expect(violations.count == 2)
            #expect(violations.allSatisfy { !$0.refused && $0.path == "/user_management/users" })
            #expect(violations.first?.problem == "metadata.n must be a string.")
        }
    }

    @Test("query parameters: a bad value is refused, an unknown name is recorded and answered as usual")
    func queryParameters() async throws {
        let emulator = try TestEmulator()
        try await emulator.test { client in
            let badLimit = try await client.send("GET", "/user_management/users?limit=many")
            #expect(badLimit.status == 422)
            #expect(badLimit.json?["message"] == .string("limit must be an integer."))
            let badStatus = try await client.send(
                "GET", "/user_management/organization_memberships?user_id=user_A&statuses=active,gone")
            #expect(badStatus.status == 422)
            let unknown = try await client.send("GET", "/user_management/users?email=a%40example.com&page=2")
            #expect(unknown.status == 200)
            let violations = emulator.takeViolations()
            #expect(
                violations.map(\.problem) == [
                    "limit must be an integer.", "statuses must be one of: active, inactive, pending.",
                    "Unknown query parameter 'page'.",
                ])
            #expect(violations.map(\.refused) == [true, true, false])
            #expect(violations.last?.path == "/user_management/users")
        }
    }

    @Test(
        "a route WorkOS does not have answers 404 and is recorded",
        arguments: [
            ("DELETE", "/user_management/auth_factors/auth_factor_1"), ("GET", "/organizations/org_1/roles"),
            ("PATCH", "/user_management/users/user_1"), ("POST", "/user_management/users/import"),
        ])
    func unknownRoutes(method: String, path: String) async throws {
        let emulator = try TestEmulator()
        try await emulator.test { client in
            let answer = try await client.send(method, path)
            #expect(answer.status == 404 && answer.code == "not_found")
            #expect(
                emulator.takeViolations() == [
                    RequestViolation(
                        method: method, path: path, problem: "WorkOS's API has no such route (it is not in the spec).",
                        refused: true)
                ])
        }
    }

    @Test("off, nothing is checked or recorded and the routes answer as they always do")
    func off() async throws {
        let emulator = try TestEmulator(strict: false)
        try await emulator.test { client in
            let answer = try await client.createUser(#"{"email":"a@example.com","nickname":"x"}"#)
            #expect(answer.status == 422)
            #expect(try await client.send("GET", "/user_management/users?page=2").status == 200)
            #expect(try await client.send("DELETE", "/user_management/auth_factors/x").status == 404)
            #expect(emulator.takeViolations().isEmpty)
        }
    }

    @Test("the control routes show and clear the violations, and PUT /_emulate/config switches strict mode")
    func controlRoutes() async throws {
        let emulator = try TestEmulator(strict: false)
        try await emulator.test { client in
            let on = try await client.send("PUT", "/_emulate/config", json: #"{"strict":true}"#, apiKey: nil)
            #expect(on.status == 200 && on.json?["strict"] == .bool(true))
            #expect(emulator.state.snapshot().settings.strict)
            try await client.send("GET", "/user_management/users?page=2")
            let shown = try await client.send("GET", "/_emulate/violations", apiKey: nil)
            #expect(shown.json?["count"] == .number(1))
            #expect(
                shown.json?["violations"]?.arrayValue?.first
                    == .object([
                        "method": .string("GET"), "path": .string("/user_management/users"),
                        "problem": .string("Unknown query parameter 'page'."), "refused": .bool(false),
                    ]))
            let taken = try await client.send("DELETE", "/_emulate/violations", apiKey: nil)
            #expect(taken.json?["count"] == .number(1))
            let after = try await client.send("GET", "/_emulate/violations", apiKey: nil)
            #expect(after.json?["count"] == .number(0))
        }
    }

    @Test("the log keeps the first thousand violations and counts them all")
    func logIsBounded() {
        var log = ViolationLog()
        let one = RequestViolation(method: "GET", path: "/x", problem: "p", refused: false)
        for _ in 0..<1_200 { log.append([one]) }
        #expect(log.count == 1_200)
        #expect(log.violations.count == ViolationLog.limit)
    }
}

@Suite("The emulator's routes are WorkOS's")
struct RoutesMatchSpecTests {
    /// Routes WorkOS documents outside its spec file that the emulator serves, each with where it is
    /// documented. Empty today; `POST /connections` (API reference, "Create a Connection") would go here.
    static let documentedElsewhere: [String: String] = [
        "POST /connections": "WorkOS API reference, SSO: Create a Connection"
    ]

    /// The emulator's own routes, not WorkOS's.
    static let ownRoutes: Set<String> = [
        "GET /health", "GET /_emulate/state", "GET /_emulate/counters", "PUT /_emulate/config",
        "GET /_emulate/violations", "DELETE /_emulate/violations", "POST /_emulate/sign_in",
    ]

    @Test("every route the emulator serves is an operation of the spec, documented, or its own")
    func routesAreSpecOperations() throws {
        let state = try EmulatorState(configuration: EmulatorConfiguration())
        let routes = EmulatorApplication.router(state: state).routes.map { "\($0.method.rawValue) \($0.path)" }
        #expect(routes.count > 20)
        let rules = RequestRules.spec
        let outside = routes.filter { route in
            guard !Self.ownRoutes.contains(route) else { return false }
            let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
            return rules.specOperations[RequestRules.key(method: parts[0], path: parts[1])] == nil
                && Self.documentedElsewhere[route] == nil
        }
        #expect(outside.isEmpty, "routes WorkOS does not have: \(outside)")
        let unchecked = routes.filter { route in
            guard !Self.ownRoutes.contains(route), Self.documentedElsewhere[route] == nil else { return false }
            let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
            return rules.operations[RequestRules.key(method: parts[0], path: parts[1])] == nil
        }
        #expect(unchecked.isEmpty, "routes strict mode has no rules for: \(unchecked)")
        #expect(Set(Self.documentedElsewhere.keys) == Set(RequestRules.documentedOutsideTheSpec.keys))
        #expect(Set(routes).isSuperset(of: Self.ownRoutes))
    }

    @Test("factors are deleted at the spec's DELETE /auth/factors/{id} and nowhere else")
    func factorDeletionRoute() throws {
        let state = try EmulatorState(configuration: EmulatorConfiguration())
        let routes = Set(EmulatorApplication.router(state: state).routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(routes.contains("DELETE /auth/factors/{id}"))
        #expect(!routes.contains { $0.contains("/user_management/auth_factors") })
    }

    /// The repository's root: the nearest folder above this file that holds Package.swift, so moving the
    /// file to another folder does not move it.
    static let root: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.pathComponents.count > 1,
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path)
        {
            folder.deleteLastPathComponent()
        }
        return folder
    }()
    /// WorkOS's spec beside the repository, where the project keeps it.
    static let spec = root.deletingLastPathComponent().appendingPathComponent("shared/workos-openapi.yaml")

    /// Whether the spec and a Python with PyYAML are here to run the extraction script.
    static let canExtract: Bool = {
        guard FileManager.default.fileExists(atPath: spec.path) else { return false }
        return (try? python(["-c", "import yaml"]))?.status == 0
    }()

    private static func python(_ arguments: [String]) throws -> (status: Int32, output: Data) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("python-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = try ChildProcess.spawn(
            "/usr/bin/env", ["python3"] + arguments, in: root.path, environment: ProcessInfo.processInfo.environment,
            standardOutput: output.path, standardError: "/dev/null")
        // Bounded: the extraction reads one YAML file and takes about a second.
        let deadline = ContinuousClock.now + .seconds(120)
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.signal(SIGKILL)
                throw ChildProcess.SpawnError(description: "python3 \(arguments) was still running after 120 s")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return (process.terminationStatus ?? -1, try Data(contentsOf: output))
    }

    @Test("the committed request rules are what the script extracts from the spec")
    func generatedFileIsCurrent() throws {
        try #require(
            RoutesMatchSpecTests.canExtract,
            "needs ../shared/workos-openapi.yaml beside the repository and python3 with PyYAML (pip install pyyaml)")
        let generated = try Self.python(["scripts/extract-request-schemas.py", Self.spec.path, "-"])
        #expect(generated.status == 0)
        let committed = try Data(
            contentsOf: Self.root.appendingPathComponent(
                "Sources/WorkOSEmulator/Validation/SpecRequests.generated.swift"))
        #expect(
            generated.output == committed,
            "run scripts/extract-request-schemas.py ../shared/workos-openapi.yaml Sources/WorkOSEmulator/Validation/SpecRequests.generated.swift"
        )
    }

    @Test("the compiled rules cover the spec's operations and every operation the emulator serves")
    func rulesCompiled() {
        let rules = RequestRules.spec
        #expect(rules.specOperations.count > 150)
        #expect(rules.operations.count == 49)
        #expect(rules.operations[RequestRules.key(method: "GET", path: "/webhook_endpoints")]?.query["limit"] != nil)
        #expect(rules.operations[RequestRules.key(method: "POST", path: "/user_management/users")]?.body != nil)
        #expect(
            rules.operations[RequestRules.key(method: "GET", path: "/user_management/organization_memberships")]?
                .query["statuses"]?.commaSeparated == true)
    }
}
