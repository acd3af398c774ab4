import Testing

@testable import ImportCore

/// The dry run's fast path counts a clean row's fields from its bytes; the count must be the one the full
/// check's row gives, or the coverage would depend on which path a row took.
@Suite("Field coverage of clean rows, counted from bytes")
struct CleanRowCoverageTests {
    static let header =
        "email,first_name,last_name,password,password_hash,password_hash_type,password_salt_position,email_verified,"
        + "external_id,metadata\n"

    typealias Field = FieldCoverage.Field

    /// Rows the fast path settles, and the fields each carries.
    static let cases: [(String, [Field])] = [
        (
            #"ann@example.com,Ann,Lee,,$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy,bcrypt,,true,u-1,"{""team"":""red""}""#,
            [Field.firstName, .lastName, .passwordHash(.bcrypt), .emailVerified, .externalId, .metadata]
        ),
        ("bob@example.com, , ,hunter2 ,,,,no,,{}", [.password]),
        (
            "cat@example.com,Cat,,,{SSHA256}+E+iFJ27Yu1ODPH1UNKUmzOmUT06dwfghQJRHHnMsO5zYWx0,ssha256,prefix,Y, u-3 ,{ }",
            [.firstName, .passwordHash(.ssha256), .emailVerified, .externalId]
        ),
        ("dan@example.com,,,,,,,,,", []),
        (
            #"eve@example.com,Eve,,,"$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",argon2,,0,,"#,
            [.firstName, .passwordHash(.argon2)]
        ),
        (#"fay@example.com,,Fay,,,,,1,," { ""a"" : ""b"" } ""#, [.lastName, .emailVerified, .metadata]),
    ]

    @Test(
        "a clean row counts the fields the validated row carries, no more and no less",
        arguments: cases)
    func cleanRowMatchesFullCheck(row: String, expected: [Field]) throws {
        let text = Self.header + row + "\n"
        let reader = try CSVReader(bytes: Array(text.utf8))
        let validator = try RowValidator(header: reader.header)
        var fingerprints = DuplicateEmails.Fingerprints(validator: validator)
        var fromBytes = FieldCoverage()
        let checked = reader.nextChecked(by: validator, fingerprints: &fingerprints, coverage: &fromBytes)
        guard case .clean = checked else {
            Issue.record("the row took the full check, so its bytes were not counted: \(String(describing: checked))")
            return
        }

        let full = try CSVReader(bytes: Array(text.utf8))
        guard case .record(let record)? = full.next(), case .valid(let validated, _) = validator.validate(record)
        else {
            Issue.record("the row is not valid")
            return
        }
        var fromRow = FieldCoverage()
        fromRow.add(validated)

        #expect(fromBytes.users == 1)
        #expect(fromBytes == fromRow, "bytes: \(fromBytes.counts), row: \(fromRow.counts)")
        #expect(fromBytes.counts == Dictionary(uniqueKeysWithValues: expected.map { ($0, 1) }))
    }

    @Test("a row that takes the full check is left to the caller: the pass counts nothing for it")
    func fullCheckRowIsNotCounted() throws {
        let text = "email,first_name,org_external_id\nann@example.com,Ann,acme\nnot-an-email,Bob,\n"
        let reader = try CSVReader(bytes: Array(text.utf8))
        let validator = try RowValidator(header: reader.header)
        var fingerprints = DuplicateEmails.Fingerprints(validator: validator)
        var coverage = FieldCoverage()
        var read = 0
        while let checked = reader.nextChecked(by: validator, fingerprints: &fingerprints, coverage: &coverage) {
            guard case .validated = checked else {
                Issue.record("expected the full check, got \(checked)")
                continue
            }
            read += 1
        }
        #expect(read == 2)
        #expect(coverage.users == 0)
    }
}
