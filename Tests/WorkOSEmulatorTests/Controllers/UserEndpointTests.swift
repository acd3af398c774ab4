import Foundation
import Testing

@testable import WorkOSEmulator

@Suite("Users")
struct UserEndpointTests {
    private let users = "POST /user_management/users"

    @Test("create stores every documented field and answers 201 with a User")
    func createAllFields() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let answer = try await client.createUser(
                #"{"email":" Ada@Example.com ","first_name":"Ada","last_name":"Lovelace","name":"Ada L","email_verified":true,"external_id":"ext-1","metadata":{"team":"math"},"password":"correct horse battery"}"#
            )
            #expect(answer.status == 201)
            #expect(problems(answer, users).isEmpty)
            #expect(answer.id.hasPrefix("user_") && answer.id.count == 31)
            #expect(answer.json?["email"] == .string("Ada@Example.com"))
            #expect(answer.json?["password"] == nil)
            let created = try #require(answer.json?["created_at"]?.stringValue)
            #expect(created.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
            let user = try #require(harness.state.snapshot().user(email: "ada@example.com"))
            #expect(user.firstName == "Ada" && user.lastName == "Lovelace" && user.emailVerified)
            #expect(user.externalID == "ext-1" && user.metadata == ["team": "math"] && user.hasPassword)
            #expect(user.createdAt == created)
        }
    }

    @Test("a duplicate email, in any case, is 400 user_creation_error / email_not_available")
    func duplicateEmail() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            try await client.createUser(#"{"email":"dup@example.com","first_name":"First"}"#)
            let answer = try await client.createUser(#"{"email":"DUP@example.com ","first_name":"Second"}"#)
            #expect(answer.status == 400)
            #expect(answer.code == "user_creation_error")
            #expect(answer.firstErrorCode == "email_not_available")
            #expect(answer.json?["message"] == .string("Could not create user."))
            #expect(problems(answer, users).isEmpty)
            #expect(harness.state.snapshot().users.map(\.firstName) == ["First"])
        }
    }

    @Test("the legacy switch answers a duplicate email with 409 user_already_exists")
    func legacyDuplicate() async throws {
        let harness = try TestEmulator { $0.legacyDuplicateEmailConflict = true }
        try await harness.test { client in
            try await client.createUser(#"{"email":"dup@example.com"}"#)
            let answer = try await client.createUser(#"{"email":"dup@example.com"}"#)
            #expect(answer.status == 409 && answer.code == "user_already_exists")
        }
    }

    @Test("a taken external_id is 400 user_creation_error / external_id_already_used")
    func duplicateExternalID() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            try await client.createUser(#"{"email":"a@example.com","external_id":"same"}"#)
            let answer = try await client.createUser(#"{"email":"b@example.com","external_id":"same"}"#)
            #expect(answer.status == 400 && answer.code == "user_creation_error")
            #expect(answer.firstErrorCode == "external_id_already_used")
            #expect(problems(answer, users).isEmpty)
        }
    }

    @Test(
        "schema violations are 422 invalid_request_parameters",
        arguments: [
            #"{"email":"a@example.com","nickname":"x"}"#,
            #"{"first_name":"no email"}"#,
            #"{"email":"not-an-email"}"#,
            #"{"email":"a b@example.com"}"#,
            #"{"email":"a..b@example.com"}"#,
            #"{"email":"mailto:a@example.com"}"#,
            #"{"email":"a@exa_mple.com"}"#,
            #"{"email":"a@example.c"}"#,
            #"{"email":42}"#,
            #"{"email":"a@example.com","email_verified":"yes"}"#,
            #"{"email":"a@example.com","email_verified":1}"#,
            #"{"email":"a@example.com","first_name":true}"#,
            #"{"email":"a@example.com","first_name":7}"#,
            #"{"email":"a@example.com","metadata":"x"}"#,
            #"{"email":"a@example.com","external_id":""}"#,
            #"{"email":"a@example.com","external_id":"caf\u00e9"}"#,
            #"{"email":"a@example.com","password_hash_type":"md5","password_hash":"abc"}"#,
            #"{"email":"a@example.com","password_hash":"$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}"#,
            #"{"email":"a@example.com","password_hash_type":"bcrypt"}"#,
            #"["email"]"#,
            #"{"email":"a@example.com""#,
        ])
    func schemaViolations(body: String) async throws {
        let harness = try TestEmulator()
        // The request is bad on purpose and this test is about the route's own answer, which strict mode
        // would give first.
        harness.state.setStrict(false)
        try await harness.test { client in
            let answer = try await client.createUser(body)
            #expect(answer.status == 422)
            #expect(answer.code == "invalid_request_parameters")
            #expect(problems(answer, users).isEmpty)
            #expect(harness.state.snapshot().users.isEmpty)
        }
    }

    @Test(
        "password and hash rules give their documented 400 codes",
        arguments: [
            (
                #"{"email":"a@example.com","password":"long enough pw","password_hash":"$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy","password_hash_type":"bcrypt"}"#,
                "password_and_password_hash_provided"
            ),
            (
                #"{"email":"a@example.com","password":"long enough pw","password_hash_type":"bcrypt"}"#,
                "password_and_password_hash_type_provided"
            ),
            (
                #"{"email":"a@example.com","password_salt_position":"prefix"}"#,
                "password_salt_position_requires_password_hash"
            ),
            (
                #"{"email":"a@example.com","password_hash":"$2b$10$short","password_hash_type":"bcrypt"}"#,
                "invalid_password_hash"
            ),
            (
                #"{"email":"a@example.com","password_hash":"plain","password_hash_type":"argon2"}"#,
                "invalid_password_hash"
            ),
            (
                #"{"email":"a@example.com","password_hash":"$2b$99$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy","password_hash_type":"bcrypt"}"#,
                "invalid_password_hash"
            ),
            (
                #"{"email":"a@example.com","password_hash":"$argon2i$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g","password_hash_type":"argon2"}"#,
                "invalid_password_hash"
            ),
            (
                #"{"email":"a@example.com","password_hash":"pbkdf2_sha256$260000$c2FsdA$aGFzaA==","password_hash_type":"pbkdf2"}"#,
                "invalid_password_hash"
            ),
            (
                #"{"email":"a@example.com","password_hash":"{SSHA}5en6G6MezRroT3XKqkdPOmY/BfQ=","password_hash_type":"ssha"}"#,
                "invalid_password_hash"
            ),
            (
                #"{"email":"a@example.com","password_hash":"{SSHA}not*base64","password_hash_type":"ssha"}"#,
                "invalid_password_hash"
            ),
            (#"{"email":"a@example.com","password":"short"}"#, "password_strength_error"),
            (#"{"email":"a@example.com","metadata":{"n":1}}"#, "invalid_metadata"),
            (
                #"{"email":"a@example.com","metadata":{"a_key_that_is_much_longer_than_forty_characters":"v"}}"#,
                "invalid_metadata"
            ),
        ])
    func passwordAndMetadataErrors(body: String, code: String) async throws {
        let harness = try TestEmulator()
        // The request is bad on purpose and this test is about the route's own answer, which strict mode
        // would give first.
        harness.state.setStrict(false)
        try await harness.test { client in
            let answer = try await client.createUser(body)
            #expect(answer.status == 400)
            #expect(answer.code == code)
            #expect(problems(answer, users).isEmpty)
            #expect(harness.state.snapshot().users.isEmpty)
        }
    }

    @Test("metadata with more than 50 keys or a value over 600 characters is invalid_metadata")
    func metadataLimits() async throws {
        let harness = try TestEmulator()
        // The request is bad on purpose and this test is about the route's own answer, which strict mode
        // would give first.
        harness.state.setStrict(false)
        try await harness.test { client in
            let many = (0..<51).map { "\"k\($0)\":\"v\"" }.joined(separator: ",")
            let tooMany = try await client.createUser(#"{"email":"a@example.com","metadata":{"# + many + "}}")
            #expect(tooMany.status == 400 && tooMany.code == "invalid_metadata")
            let long = String(repeating: "x", count: 601)
            let tooLong = try await client.createUser(#"{"email":"a@example.com","metadata":{"k":""# + long + #""}}"#)
            #expect(tooLong.status == 400 && tooLong.code == "invalid_metadata")
        }
    }

    @Test(
        "well-formed hashes of every documented type are accepted and stored opaquely",
        arguments: [
            ("bcrypt", "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"),
            ("argon2", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"),
            ("firebase-scrypt", "$firebase-scrypt$hash=aGFzaA==$salt=c2FsdA==$sk=a2V5$ss=Bw==$r=8$m=14"),
            (
                "scrypt",
                "$scrypt$v=1$n=16384,r=8,p=1,kl=64$Swhqd4iUYTtWfbCYIPeuMw$q7pfdBQMJujd5FX/qX+ozM2O6aNqP+mo1ZnHGH15XM2vlhroQfPA037UpbdfpH4H66OrSPjsUhfkAMuNoBiQvw"
            ),
            (
                "pbkdf2",
                "$pbkdf2$i=600000,d=sha256$T2ptRFh6MXhDQVh2SWZuUGdpQXBUTg$xXiyTisD7390NijyCv5ICMhFW4eDuMlzypRoLGLyIvA"
            ),
            ("pbkdf2", "$pbkdf2$i=210000,d=sha512$c2FsdA$aGFzaA"),
            ("argon2", "$argon2i$v=19$m=262144,t=3,p=8$c2FsdHNhbHQ$aGFzaGhhc2g"),
            ("ssha", "{SSHA}MTIzNDU2Nzg5MDEyMzQ1Njc4OTBzYWx0"),
            ("ssha256", "{SSHA256}MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTJzYWx0"),
        ])
    func acceptedHashes(type: String, hash: String) async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let answer = try await client.createUser(
                #"{"email":"h@example.com","password_hash":""# + hash + #"","password_hash_type":""# + type + #""}"#)
            #expect(answer.status == 201)
            #expect(!(answer.json?.serialized().contains(hash) ?? true))
            let snapshot = harness.state.snapshot()
            let user = try #require(snapshot.users.first)
            #expect(user.hasPassword && user.passwordHashType == type)
            let encoded = try JSONEncoder().encode(snapshot)
            #expect(!String(decoding: encoded, as: UTF8.self).contains(hash))
        }
    }

    @Test(
        "scrypt and pbkdf2 only in WorkOS's documented forms, and argon2 and pbkdf2 only within its ranges, else 400 invalid_password_hash",
        arguments: [
            ("scrypt", "$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA"),
            ("scrypt", "$scrypt$v=1$n=14,r=8,p=1,kl=4$c2FsdA$aGFzaA"),
            ("scrypt", "$scrypt$v=1$n=16384,r=8,p=1,kl=64$c2FsdA$aGFzaA"),
            ("scrypt", "$scrypt$v=1$n=16384,r=8,p=1,kl=4$c2FsdA==$aGFzaA=="),
            ("scrypt", "$scrypt$v=2$n=16384,r=8,p=1,kl=4$c2FsdA$aGFzaA"),
            ("pbkdf2", "$pbkdf2-sha256$600000$N2YuJcT4vwvCqBU$jQkGB.1gLoZAmA"),
            ("pbkdf2", "pbkdf2_sha256$600000$c2FsdHNhbHQ$UZ4c/9Jc0cTeFQlDDXwmGhS4i2F5mI9kVJQx5w8n3Ew="),
            ("pbkdf2", "$pbkdf2$i=29000,d=sha256$c2FsdA$aGFzaA"),
            ("pbkdf2", "$pbkdf2$i=1000001,d=sha512$c2FsdA$aGFzaA"),
            ("pbkdf2", "$pbkdf2$i=600000,d=sha1$c2FsdA$aGFzaA"),
            ("argon2", "$argon2id$v=16$m=65536,t=3,p=4$c2FsdA$aGFzaA"),
            ("argon2", "$argon2id$v=19$m=4095,t=3,p=4$c2FsdA$aGFzaA"),
            ("argon2", "$argon2id$v=19$m=65536,t=0,p=4$c2FsdA$aGFzaA"),
            ("argon2", "$argon2i$v=19$m=65536,t=2,p=4$c2FsdA$aGFzaA"),
            ("argon2", "$argon2d$v=19$m=65536,t=3,p=9$c2FsdA$aGFzaA"),
        ])
    func refusedHashForms(type: String, hash: String) async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let answer = try await client.createUser(
                #"{"email":"h@example.com","password_hash":""# + hash + #"","password_hash_type":""# + type + #""}"#)
            #expect(answer.status == 400 && answer.code == "invalid_password_hash", "\(type) \(hash)")
            #expect(harness.state.snapshot().users.isEmpty)
        }
    }

    @Test("ssha256 takes password_salt_position; other types refuse it with 422")
    func saltPosition() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let ok = try await client.createUser(
                #"{"email":"a@example.com","password_hash":"{SSHA256}MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTJzYWx0","password_hash_type":"ssha256","password_salt_position":"prefix"}"#
            )
            #expect(ok.status == 201)
            let refused = try await client.createUser(
                #"{"email":"b@example.com","password_hash":"$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy","password_hash_type":"bcrypt","password_salt_position":"prefix"}"#
            )
            #expect(refused.status == 422)
        }
    }

    @Test("get, get by external id and a missing user (404 entity_not_found with the id)")
    func getUser() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let created = try await client.createUser(#"{"email":"g@example.com","external_id":"ext/1"}"#)
            let byID = try await client.send("GET", "/user_management/users/\(created.id)")
            #expect(byID.status == 200 && byID.json == created.json)
            #expect(problems(byID, "GET /user_management/users/{id}").isEmpty)
            let byExternal = try await client.send("GET", "/user_management/users/external_id/ext%2F1")
            #expect(byExternal.status == 200 && byExternal.id == created.id)
            #expect(problems(byExternal, "GET /user_management/users/external_id/{external_id}").isEmpty)
            let missing = try await client.send("GET", "/user_management/users/user_missing")
            #expect(missing.status == 404 && missing.code == "entity_not_found")
            #expect(missing.json?["message"] == .string("User not found: 'user_missing'."))
            #expect(missing.json?["entity_id"] == .string("user_missing"))
            #expect(problems(missing, "GET /user_management/users/{id}").isEmpty)
            let missingExternal = try await client.send("GET", "/user_management/users/external_id/nope")
            #expect(missingExternal.status == 404)
        }
    }

    @Test("list filters by email ignoring case and by organization")
    func listFilters() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let ada = try await client.createUser(#"{"email":"ada@example.com"}"#)
            try await client.createUser(#"{"email":"bob@example.com"}"#)
            let org = try await client.createOrganization()
            try await client.createMembership(#"{"user_id":"\#(ada.id)","organization_id":"\#(org.id)"}"#)
            let byEmail = try await client.send("GET", "/user_management/users?email=ADA%40example.com")
            #expect(byEmail.json?["data"]?.arrayValue?.map { $0["id"] } == [.string(ada.id)])
            #expect(problems(byEmail, "GET /user_management/users").isEmpty)
            let byOrg = try await client.send("GET", "/user_management/users?organization_id=\(org.id)")
            #expect(byOrg.json?["data"]?.arrayValue?.count == 1)
            let unknownOrg = try await client.send("GET", "/user_management/users?organization_id=org_nope")
            #expect(unknownOrg.status == 422)
            #expect(problems(unknownOrg, "GET /user_management/users").isEmpty)
        }
    }

    @Test("update changes only the fields sent and checks uniqueness")
    func update() async throws {
        let harness = try TestEmulator()
        // Some requests are outside the spec on purpose and this test is about the route's own answers,
        // which strict mode would give first.
        harness.state.setStrict(false)
        try await harness.test { client in
            let ada = try await client.createUser(#"{"email":"ada@example.com","first_name":"Ada","external_id":"a"}"#)
            try await client.createUser(#"{"email":"bob@example.com","external_id":"b"}"#)
            let path = "/user_management/users/\(ada.id)"
            let updated = try await client.send(
                "PUT", path,
                json:
                    #"{"last_name":"Lovelace","metadata":{"k":"v"},"password_hash":"$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy","password_hash_type":"bcrypt"}"#
            )
            #expect(updated.status == 200)
            #expect(problems(updated, "PUT /user_management/users/{id}").isEmpty)
            #expect(updated.json?["first_name"] == .string("Ada") && updated.json?["last_name"] == .string("Lovelace"))
            #expect(harness.state.snapshot().users.first?.passwordHashType == "bcrypt")
            let takenEmail = try await client.send("PUT", path, json: #"{"email":"BOB@example.com"}"#)
            #expect(takenEmail.status == 400 && takenEmail.code == "email_not_available")
            let takenExternal = try await client.send("PUT", path, json: #"{"external_id":"b"}"#)
            #expect(takenExternal.status == 400 && takenExternal.code == "external_id_already_used")
            let badEmail = try await client.send("PUT", path, json: #"{"email":"nope"}"#)
            #expect(badEmail.status == 400 && badEmail.code == "invalid_email")
            let doubleDot = try await client.send("PUT", path, json: #"{"email":"a..b@example.com"}"#)
            #expect(doubleDot.status == 400 && doubleDot.code == "invalid_email")
            let unknown = try await client.send("PUT", path, json: #"{"role":"x"}"#)
            #expect(unknown.status == 422 && unknown.code == "invalid_request_parameters")
            let missing = try await client.send("PUT", "/user_management/users/user_x", json: "{}")
            #expect(missing.status == 404)
        }
    }

    @Test("delete removes the user and its memberships, and frees the email")
    func deleteCascades() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let ada = try await client.createUser(#"{"email":"ada@example.com"}"#)
            let org = try await client.createOrganization()
            try await client.createMembership(#"{"user_id":"\#(ada.id)","organization_id":"\#(org.id)"}"#)
            let deleted = try await client.send("DELETE", "/user_management/users/\(ada.id)")
            #expect(deleted.status == 200 && deleted.json == nil)
            let snapshot = harness.state.snapshot()
            #expect(snapshot.users.isEmpty && snapshot.memberships.isEmpty)
            #expect(try await client.send("DELETE", "/user_management/users/\(ada.id)").status == 404)
            #expect(try await client.createUser(#"{"email":"ada@example.com"}"#).status == 201)
        }
    }
}
