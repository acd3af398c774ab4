import Foundation
import ImportCore
import Testing

@Suite("Example files")
struct ValidationExamplesTests {
    private func outcome(of name: String) -> [String] {
        describeImport(path: repositoryRoot.appendingPathComponent("examples/\(name)").path)
    }

    @Test(
        "The valid examples import every row",
        arguments: [
            ("example-input.csv", 10), ("just-email.csv", 3), ("names-and-verified.csv", 5),
            ("plaintext-password.csv", 2), ("password-hash.csv", 3), ("metadata.csv", 4), ("organizations.csv", 4),
        ])
    func validExamples(name: String, rows: Int) {
        let lines = outcome(of: name)
        #expect(lines.count == rows)
        #expect(lines.allSatisfy { $0.hasPrefix("valid ") }, "\(lines)")
    }

    @Test("Every row of the bad-rows example fails, each with its own message")
    func badRows() {
        let lines = outcome(of: "bad-rows.csv")
        let expected = [
            "email is missing", "nothing comes after the \"@\"", "it has no \"@\"", "it contains a space",
            "its domain has no dot", "more than one \"@\"", "email_verified \"maybe\"", "metadata is invalid JSON",
            "metadata must be a JSON object", "is an object", "longer than 40 characters", "more than once",
            "password_hash_type is blank", "password_hash is blank", "\"md5\" is not supported",
            "is not a bcrypt hash", "is not an argon2 hash", "is not a firebase-scrypt hash", "must be ASCII only",
            "WorkOS documents at most 64", "two dots in a row", "starts with \"mailto:\"",
            "top-level domain \"c\" is shorter than 2 letters",
            "with 260,000 iterations; WorkOS accepts sha256 with 600,000",
            "is too short for an ssha hash", "metadata has 11 keys", "expected 9 fields, found 10",
            "expected 9 fields, found 8",
            "text after its closing quote",
        ]
        #expect(lines.count == expected.count)
        for (line, fragment) in zip(lines, expected) {
            #expect(!line.hasPrefix("valid"), "\(line)")
            #expect(line.contains(fragment), "\(line) should mention \(fragment)")
        }
    }
}
