import Foundation
import Testing

@testable import WorkOSEmulator

/// A metadata object of `keys` one-letter values.
private func metadata(keys: Int) -> String {
    "{" + (1...keys).map { "\"k\($0)\":\"v\"" }.joined(separator: ",") + "}"
}

/// The two limit policies, as a client of the emulator sees them.
@Suite("Metadata and external_id limits")
struct FieldLimitsTests {
    @Test(
        "documented limits (the default): 10 ASCII metadata keys, external_id up to 64",
        arguments: [
            (#"{"email":"a@example.com","metadata":\#(metadata(keys: 10))}"#, 201, nil),
            (#"{"email":"a@example.com","metadata":\#(metadata(keys: 11))}"#, 400, "invalid_metadata"),
            (#"{"email":"a@example.com","metadata":{"city":"Z\u00fcrich"}}"#, 400, "invalid_metadata"),
            (#"{"email":"a@example.com","metadata":{"caf\u00e9":"x"}}"#, 400, "invalid_metadata"),
            (#"{"email":"a@example.com","external_id":"\#(String(repeating: "x", count: 64))"}"#, 201, nil),
            (
                #"{"email":"a@example.com","external_id":"\#(String(repeating: "x", count: 65))"}"#, 422,
                "invalid_request_parameters"
            ),
        ] as [(String, Int, String?)])
    func documented(body: String, status: Int, code: String?) async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let answer = try await client.createUser(body)
            #expect(answer.status == status)
            #expect(answer.code == code)
            #expect(problems(answer, "POST /user_management/users").isEmpty)
            #expect(harness.state.snapshot().settings.limits == .documented)
        }
    }

    @Test(
        "spec limits: 50 metadata keys of any text, external_id up to 128",
        arguments: [
            (#"{"email":"a@example.com","metadata":\#(metadata(keys: 50))}"#, 201, nil),
            (#"{"email":"a@example.com","metadata":\#(metadata(keys: 51))}"#, 400, "invalid_metadata"),
            (#"{"email":"a@example.com","metadata":{"city":"Z\u00fcrich"}}"#, 201, nil),
            (#"{"email":"a@example.com","external_id":"\#(String(repeating: "x", count: 128))"}"#, 201, nil),
            (
                #"{"email":"a@example.com","external_id":"\#(String(repeating: "x", count: 129))"}"#, 422,
                "invalid_request_parameters"
            ),
        ] as [(String, Int, String?)])
    func spec(body: String, status: Int, code: String?) async throws {
        let harness = try TestEmulator { $0.fieldLimits = .spec }
        // The request is bad on purpose and this test is about the route's own answer, which strict mode
        // would give first.
        harness.state.setStrict(false)
        try await harness.test { client in
            let answer = try await client.createUser(body)
            #expect(answer.status == status)
            #expect(answer.code == code)
            #expect(problems(answer, "POST /user_management/users").isEmpty)
        }
    }

    @Test("PUT /_emulate/config switches the limits for later requests, and the state shows them")
    func switchWhileRunning() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let eleven = #"{"email":"a@example.com","metadata":\#(metadata(keys: 11))}"#
            #expect(try await client.createUser(eleven).status == 400)
            let changed = try await client.send("PUT", "/_emulate/config", json: #"{"limits":"spec"}"#, apiKey: nil)
            #expect(changed.status == 200)
            #expect(changed.json?["limits"] == .string("spec"))
            #expect(try await client.createUser(eleven).status == 201)
            #expect(harness.state.snapshot().settings.limits == .spec)
            let bad = try await client.send("PUT", "/_emulate/config", json: #"{"limits":"loose"}"#, apiKey: nil)
            #expect(bad.status == 400 && bad.code == "invalid_config")
            harness.state.setFieldLimits(.documented)
            #expect(
                try await client.createUser(
                    #"{"email":"b@example.com","external_id":"\#(String(repeating: "x", count: 65))"}"#
                ).status == 422)
        }
    }

    @Test("updates and organizations are held to the same limits")
    func updatesAndOrganizations() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let user = try await client.createUser(#"{"email":"a@example.com"}"#)
            let update = try await client.send(
                "PUT", "/user_management/users/\(user.id)", json: #"{"metadata":\#(metadata(keys: 11))}"#)
            #expect(update.status == 400 && update.code == "invalid_metadata")
            let external = try await client.send(
                "PUT", "/user_management/users/\(user.id)",
                json: #"{"external_id":"\#(String(repeating: "x", count: 65))"}"#)
            #expect(external.status == 422)
            let organization = try await client.createOrganization(
                #"{"name":"Acme","external_id":"\#(String(repeating: "x", count: 65))"}"#)
            #expect(organization.status == 422)
        }
    }

    @Test("a state file written before limits existed reads as the documented limits")
    func oldStateFile() throws {
        let json =
            #"{"faults":{"latency_ms":0,"latency_jitter_ms":0,"error_share":0,"reset_share":0,"commit_then_drop_share":0},"honors_idempotency_keys":true}"#
        let settings = try JSONDecoder().decode(EmulatorSnapshot.Settings.self, from: Data(json.utf8))
        #expect(settings.limits == .documented)
    }
}
