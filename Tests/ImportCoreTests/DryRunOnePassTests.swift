import Testing

@testable import ImportCore

@Suite("The dry run's one pass")
struct DryRunOnePassTests {
    /// Clean rows, rows the validator reads in full (an organization, a bad email), a malformed row, and
    /// repeats of an address (in another case), an external_id and an organization's name.
    static let text = """
        email,first_name,external_id,org_external_id,org_name
        ann@example.com,Ann,u-1,,
        bob@example.com,Bob,u-2,acme,Acme
        not-an-email,Cat,u-3,,
        dan@example.com,Dan,"u-4,oops
        ANN@example.com,Ann,u-1,,
        eve@example.com,Eve,u-2,acme,Acme Inc
        fay@example.com,Fay,u-6,acme,

        """

    static func open(_ text: String) throws -> (CSVReader, RowValidator) {
        let reader = try CSVReader(bytes: Array(text.utf8))
        return (reader, try RowValidator(header: reader.header))
    }

    /// The fingerprints the checking pass takes, and what it read.
    static func checkingPass(_ text: String) throws -> (DuplicateEmails.Fingerprints, [CheckedRecord]) {
        let (fingerprints, checked, _) = try countingPass(text)
        return (fingerprints, checked)
    }

    /// The checking pass, with the coverage it counts: clean rows from their bytes, others as the dry run
    /// counts them, from the valid row.
    static func countingPass(_ text: String) throws -> (DuplicateEmails.Fingerprints, [CheckedRecord], FieldCoverage) {
        let (reader, validator) = try open(text)
        var fingerprints = DuplicateEmails.Fingerprints(validator: validator)
        var coverage = FieldCoverage()
        var checked: [CheckedRecord] = []
        while let next = reader.nextChecked(by: validator, fingerprints: &fingerprints, coverage: &coverage) {
            if case .validated(_, .valid(let row, _)) = next { coverage.add(row) }
            checked.append(next)
        }
        return (fingerprints, checked, coverage)
    }

    @Test("the checking pass takes the fingerprints a separate read takes, and checks every row as before")
    func sameFingerprints() throws {
        let (fromChecking, checked) = try Self.checkingPass(Self.text)
        let (reader, validator) = try Self.open(Self.text)
        var fromScan = DuplicateEmails.Fingerprints(validator: validator)
        reader.forEachRow { _, _, cells in fromScan.add(cells) }
        #expect(fromChecking == fromScan)
        #expect(fromChecking.emailBuckets.count == 6, "every well-formed row with an address counts")
        let (plain, plainValidator) = try Self.open(Self.text)
        var expected: [CheckedRecord] = []
        while let next = plain.nextChecked(by: plainValidator) { expected.append(next) }
        #expect(checked == expected)
    }

    @Test("the checking pass counts every valid row's fields once, clean or not, and no failed row's")
    func coverageInThePass() throws {
        let (_, checked, coverage) = try Self.countingPass(Self.text)
        var expected = FieldCoverage()
        let (reader, validator) = try Self.open(Self.text)
        while let read = reader.next() {
            if case .record(let record) = read, case .valid(let row, _) = validator.validate(record) {
                expected.add(row)
            }
        }
        #expect(checked.contains { if case .clean = $0 { true } else { false } }, "some rows took the fast path")
        #expect(coverage == expected)
        #expect(coverage.users == 5, "7 rows, an invalid email and a malformed row")
        #expect(coverage.counts[.externalId] == 5)
        #expect(coverage.counts[.organization] == 3)
    }

    @Test("fingerprints from the checking pass find what a scan of the file finds")
    func sameFindings() throws {
        let (fingerprints, _) = try Self.checkingPass(Self.text)
        let resolved = try DuplicateEmails.resolve(fingerprints) { () throws -> (CSVReader, RowValidator) in
            try Self.open(Self.text)
        }
        let scanned = try DuplicateEmails.scan { () throws -> (CSVReader, RowValidator) in try Self.open(Self.text) }
        #expect(resolved.repeatedRecords.map(\.record) == [5])
        #expect(resolved.repeatedRecords.map(\.record) == scanned.repeatedRecords.map(\.record))
        #expect(resolved.contradictingRecords.map(\.record) == [6])
        #expect(resolved.contradictingRecords.map(\.record) == scanned.contradictingRecords.map(\.record))
        #expect(resolved.nameConflictRecords.map(\.record) == scanned.nameConflictRecords.map(\.record))
        #expect(resolved.organizationName(forExternalId: "acme") == scanned.organizationName(forExternalId: "acme"))
    }

    @Test("a file whose fingerprints never repeat is not read again")
    func noSecondRead() throws {
        let text = """
            email,first_name,external_id
            ann@example.com,Ann,u-1
            bob@example.com,Bob,u-2
            cat@example.com,Cat,

            """
        let (fingerprints, _) = try Self.checkingPass(text)
        var opened = 0
        let found = try DuplicateEmails.resolve(fingerprints) { () throws -> (CSVReader, RowValidator) in
            opened += 1
            return try Self.open(text)
        }
        #expect(opened == 0)
        #expect(found.repeatedRows == 0)
        let (again, _) = try Self.checkingPass(text + "bob@example.com,Bob,u-2\n")
        _ = try DuplicateEmails.resolve(again) { () throws -> (CSVReader, RowValidator) in
            opened += 1
            return try Self.open(text)
        }
        #expect(opened == 1, "a repeated address is compared on a second read")
    }

    /// 200,000 distinct addresses and external_ids: with 32-bit hashes about 4.7 pairs collided in each
    /// column (8 and 3 with this data), which sent every such file to a reading that compares values. This
    /// 6.6 MB file gets 42 bits: a pair in either column about once in 110 such files, and for this data
    /// none. `scan` takes one column's fingerprints per read (so it holds one column's at a time): two
    /// reads here, and a third only if fingerprints collided.
    @Test("a large file without repeats is not read again to compare rows: its hashes do not collide")
    func largeFileReadOnce() throws {
        var text = "email,external_id\n"
        text.reserveCapacity(8_000_000)
        for index in 0..<200_000 { text += "user\(index)@example.com,ext-\(index)\n" }
        var opened = 0
        let found = try DuplicateEmails.scan { () throws -> (CSVReader, RowValidator) in
            opened += 1
            return try Self.open(text)
        }
        #expect(opened == 2, "the fingerprints of distinct values collided, so the file was read again")
        #expect(found.repeatedRows == 0)
    }
}
