import Foundation
import Testing
import WorkOSClient

@Suite("User fields")
struct UserFieldsTests {
    static let fields = UserFields(
        firstName: "Ada", lastName: "Lovelace", password: "pw", passwordHash: "$2b$10$x", passwordHashType: "bcrypt",
        passwordSaltPosition: "prefix", emailVerified: true, externalId: "x1", metadata: ["k": "v"])

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("the create body is the address beside the very fields the update body sends")
    func createIsAddressPlusFields() throws {
        let created = try Self.json(CreateUserRequest(email: "ada@example.com", fields: Self.fields))
        let updated = try Self.json(UpdateUserRequest(fields: Self.fields))
        // `email` sorts before every other key, so it comes first and the rest is the update body.
        #expect(created == #"{"email":"ada@example.com","# + updated.dropFirst())
        #expect(
            updated == #"{"email_verified":true,"external_id":"x1","first_name":"Ada","last_name":"Lovelace","#
                + #""metadata":{"k":"v"},"password":"pw","password_hash":"$2b$10$x","password_hash_type":"bcrypt","#
                + #""password_salt_position":"prefix"}"#)
    }

    @Test("the requests read and write the fields as their own")
    func fieldsReadThrough() {
        var request = CreateUserRequest(email: "ada@example.com", firstName: "Ada")
        #expect(request.firstName == "Ada")
        request.lastName = "Lovelace"
        #expect(request.fields.lastName == "Lovelace")
        var update = UpdateUserRequest()
        #expect(update.isEmpty)
        update.externalId = "x1"
        #expect(!update.isEmpty)
        #expect(update.fields == UserFields(externalId: "x1"))
    }
}
