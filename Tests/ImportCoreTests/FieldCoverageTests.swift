import Foundation
import Testing

@testable import ImportCore

@Suite("Field coverage: which fields how many users carry")
struct FieldCoverageTests {
    static func user(_ email: String, _ configure: (inout ConvertedUser) -> Void = { _ in }) -> ConvertedUser {
        var user = ConvertedUser(email: email)
        configure(&user)
        return user
    }

    @Test("counts each field once a user, hashes by type, marks fields fewer than half carry, shows no value")
    func table() {
        var coverage = FieldCoverage()
        coverage.add(
            Self.user("a@example.com") {
                $0.firstName = "Ann"
                $0.emailVerified = true
                $0.passwordHash = "$2b$10$abcdefghijklmnopqrstuv"
                $0.passwordHashType = .bcrypt
                $0.totpSecret = "JBSWY3DPEHPK3PXP"
                $0.metadata = ["team": "red"]
            })
        coverage.add(
            Self.user("b@example.com") {
                $0.firstName = "Bob"
                $0.emailVerified = false
            })
        coverage.add(
            Self.user("c@example.com") {
                $0.firstName = "Cat"
                $0.orgExternalId = "acme"
            })
        #expect(coverage.users == 3)
        #expect(coverage.counts[.firstName] == 3)
        #expect(coverage.counts[.emailVerified] == 1)
        #expect(coverage.counts[.passwordHash(.bcrypt)] == 1)
        #expect(coverage.counts[.organization] == 1)
        let table = coverage.table
        #expect(table.hasPrefix("Field coverage (3 users):\n"))
        #expect(table.contains("  first_name              3  100%\n"), "\(table)")
        #expect(table.contains("  password_hash (bcrypt)  1   33%  ← most users lack it\n"), "\(table)")
        #expect(table.contains("  password (plaintext)    0    0%  ← most users lack it\n"), "\(table)")
        for secret in ["JBSWY3DPEHPK3PXP", "$2b$10$", "red", "Ann"] {
            #expect(!table.contains(secret) && !coverage.json.contains(secret))
        }
        #expect(coverage.json.hasPrefix(#"{"fields":[{"count":3,"field":"first_name","thin":false},"#))
        #expect(coverage.json.hasSuffix(#""users":3}"#))
    }

    @Test("the table's order is fixed whatever order fields were first seen in")
    func order() {
        var coverage = FieldCoverage()
        coverage.add(
            Self.user("a@example.com") {
                $0.roleSlugs = "admin"
                $0.lastName = "Lee"
            })
        let names = coverage.rows.map(\.field.name)
        #expect(
            names == [
                "first_name", "last_name", "email_verified", "external_id", "metadata", "password (plaintext)",
                "totp_secret", "organization", "role_slugs",
            ])
    }
}
