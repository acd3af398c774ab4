import Foundation
import Testing

@testable import WorkOSEmulator

@Suite("JSON, schema checker and seeds")
struct SupportTests {
    @Test("the schema checker catches a missing field, a wrong type and a wrong const")
    func checkerCatchesErrors() throws {
        let user = try JSONValue.parse(
            #"{"object":"user","id":"user_1","email":"a@b.c","first_name":null,"last_name":null,"profile_picture_url":null,"email_verified":false,"external_id":null,"last_sign_in_at":null,"created_at":"x","updated_at":"x"}"#
        )
        let operation = "GET /user_management/users/{id}"
        #expect(SchemaValidator.shared.problems(user, operation: operation, status: 200).isEmpty)
        guard case .object(var fields) = user else { return }
        fields["email"] = nil
        #expect(!SchemaValidator.shared.problems(.object(fields), operation: operation, status: 200).isEmpty)
        fields["email"] = .number(1)
        #expect(!SchemaValidator.shared.problems(.object(fields), operation: operation, status: 200).isEmpty)
        fields["email"] = .string("a@b.c")
        fields["object"] = .string("organization")
        #expect(!SchemaValidator.shared.problems(.object(fields), operation: operation, status: 200).isEmpty)
    }

    @Test(
        "request bodies decode through JSONDecoder, round-trip, and malformed text is refused",
        arguments: [
            (#"{"a":[1,2.5,true,null,"x\"y\u00e9"]}"#, true), (#"{"a":1,}"#, false), ("[01]", false), ("tru", false),
            (#""\ud83d\ude00""#, true), ("{} x", false), ("[1,]", false), (#"{"a":",}"}"#, true),
            (#"{"a":"\\",}"#, false),
        ])
    func parser(text: String, valid: Bool) throws {
        let parsed = try? JSONValue.parse(text)
        #expect((parsed != nil) == valid)
        if let parsed {
            #expect(try JSONValue.parse(parsed.serialized()) == parsed)
        }
    }

    @Test("a decoded body keeps null apart from missing, and numbers apart from booleans")
    func decodedKinds() throws {
        let value = try JSONValue.parse(#"{"n":1,"z":0,"t":true,"f":false,"nil":null,"s":"1"}"#)
        #expect(
            value
                == .object([
                    "n": .number(1), "z": .number(0), "t": .bool(true), "f": .bool(false), "nil": .null,
                    "s": .string("1"),
                ]))
        #expect(value["missing"] == nil && value["nil"] == .null)
    }

    @Test("a seed preloads users that then count as existing, and bad seeds are refused")
    func seeds() async throws {
        let seed = try JSONDecoder().decode(
            EmulatorSeed.self,
            from: Data(
                #"{"users":[{"email":"old@example.com","external_id":"e1","password_hash":"$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy","password_hash_type":"bcrypt"}],"organizations":[{"name":"Acme","external_id":"acme"}],"memberships":[{"user_email":"OLD@example.com","organization_external_id":"acme","role_slugs":["admin"]}]}"#
                    .utf8))
        let harness = try TestEmulator { $0.seed = seed }
        try await harness.test { client in
            let duplicate = try await client.createUser(#"{"email":"old@example.com"}"#)
            #expect(duplicate.status == 400 && duplicate.firstErrorCode == "email_not_available")
            let snapshot = harness.state.snapshot()
            #expect(snapshot.users.first?.passwordHashType == "bcrypt")
            #expect(snapshot.memberships.first?.roleSlugs == ["admin"])
        }
        #expect(throws: EmulatorError.self) {
            _ = try TestEmulator {
                $0.seed = EmulatorSeed(users: [.init(email: "a@example.com"), .init(email: "A@example.com")])
            }
        }
    }

    @Test("ids carry their prefix and a 26-character Crockford ULID that sorts by time")
    func identifiers() {
        var generator = IdentifierGenerator()
        let first = generator.make("user", now: 1_800_000_000)
        let second = generator.make("user", now: 1_800_000_000)
        #expect(first.hasPrefix("user_") && first.count == 31)
        #expect(first.dropFirst(5).allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
        #expect(first < second)
        #expect(Timestamp.iso8601(1_768_478_400.5) == "2026-01-15T12:00:00.500Z")
    }
}
