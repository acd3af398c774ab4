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

    static func row(_ number: Int, firstName: String? = nil, hash: Bool = false) -> ImportRow {
        var row = ImportRow(
            recordNumber: number, line: number + 1, email: "u\(number)@example.com", firstName: firstName)
        if hash {
            row.passwordHash = "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
            row.passwordHashType = .bcrypt
        }
        return row
    }

    @Test("a row taken back leaves the count as if it had never been added")
    func remove() {
        var coverage = FieldCoverage(noun: "valid row")
        coverage.add(Self.row(1, firstName: "Ann"))
        let before = coverage
        coverage.add(Self.row(2, firstName: "Bob", hash: true))
        coverage.remove(Self.row(2, firstName: "Bob", hash: true))
        #expect(coverage == before)
        #expect(coverage.counts == [.firstName: 1])
        #expect(!coverage.table.contains("password_hash"), "a hash type back at zero is not listed")
    }

    @Test("the dry run and the plan show the table under their box and carry it as coverage in --json")
    func inSummaries() throws {
        var coverage = FieldCoverage(noun: "valid row")
        coverage.add(Self.row(1, firstName: "Ann", hash: true))
        coverage.add(Self.row(2))
        coverage.add(Self.row(3, firstName: "Cat"))
        var dryRun = DryRunSummary(total: 4, usersToCreate: 3, failed: 1)
        dryRun.coverage = coverage
        var plan = PlanSummary()
        plan.coverage = coverage
        for (box, json) in [
            (SummaryFormatter.box(dryRun), SummaryFormatter.json(dryRun)),
            (SummaryFormatter.box(plan), SummaryFormatter.json(plan)),
        ] {
            let table = try #require(box.range(of: "Field coverage (3 valid rows):\n"), "\(box)")
            #expect(box[..<table.lowerBound].contains("└"), "the table comes after the box")
            #expect(box.contains("\n  password_hash (bcrypt)  1   33%  ← most users lack it\n"), "\(box)")
            #expect(box.hasSuffix("  role_slugs              0    0%  ← most users lack it\n"), "\(box)")
            #expect(box.contains("  first_name              2   66%\n"), "\(box)")
            #expect(json.contains(#""coverage":{"fields":[{"count":2,"field":"first_name","thin":false},"#), "\(json)")
            #expect(json.contains(#"{"count":1,"field":"password_hash (bcrypt)","thin":true},"#), "\(json)")
            #expect(json.contains(#"{"count":0,"field":"role_slugs","thin":true}],"users":3}"#), "\(json)")
            #expect(!box.contains("$2b$") && !json.contains("$2b$"))
        }
        #expect(!SummaryFormatter.box(PlanSummary()).contains("Field coverage"))
    }

    @Test(
        "columns pad on the right or the left to a width, and leave wider text as it is",
        arguments: [
            ("ab", 4, "ab  ", "  ab"), ("abcd", 4, "abcd", "abcd"), ("abcdef", 4, "abcdef", "abcdef"),
            ("", 2, "  ", "  "),
        ])
    func columns(text: String, width: Int, left: String, right: String) {
        #expect(TextColumns.left(text, width: width) == left)
        #expect(TextColumns.right(text, width: width) == right)
        #expect(TextColumns.width(of: [text, "x"]) == max(text.count, 1))
        #expect(TextColumns.spaces(-3).isEmpty)
    }

    @Test("a clean row counted by its set of fields counts as the same row counted field by field, for every set")
    func cleanPatternsMatchFieldByField() {
        let hashes: [PasswordHashType?] = [nil] + PasswordHashType.allCases
        for hash in hashes {
            for bits in 0..<64 {
                func has(_ bit: Int) -> Bool { bits & (1 << bit) != 0 }
                var byPattern = FieldCoverage()
                var byField = FieldCoverage()
                byPattern.addClean(
                    emailVerified: has(0), password: has(1), passwordHash: hash, firstName: has(2), lastName: has(3),
                    externalId: has(4), metadata: has(5))
                byField.add(
                    emailVerified: has(0), password: has(1), passwordHash: hash, firstName: has(2), lastName: has(3),
                    externalId: has(4), metadata: has(5), organization: false, roles: false, totpSecret: false)
                #expect(byPattern == byField, "fields \(bits), hash \(String(describing: hash))")
                #expect(byPattern.counts == byField.counts)
                #expect(byPattern.users == 1)
            }
        }
    }

    @Test("every field has its own slot, and the slots list the fields in that order")
    func slots() {
        let fields = FieldCoverage.Field.bySlot
        #expect(fields.indices.allSatisfy { fields[$0].slot == $0 })
        #expect(Set(fields).count == fields.count)
    }
}
