import Testing
import WorkOSClient

@testable import ImportCore

/// The record bytes of `fields` as the reader hands them to the dry run's clean check.
private func withRecordBytes<Result>(_ fields: [String], _ body: (RecordBytes) -> Result) -> Result {
    let bytes = Array(fields.joined().utf8)
    var ends: [Int] = []
    for field in fields { ends.append((ends.last ?? 0) + field.utf8.count) }
    return bytes.withUnsafeBufferPointer { base in
        ends.withUnsafeBufferPointer { ends in
            body(
                RecordBytes(
                    base: base.baseAddress!, ends: ends.baseAddress!, count: fields.count, byteCount: bytes.count))
        }
    }
}

@Suite("Column positions")
struct ColumnPositionTests {
    /// Each column alone beside `email`, behind unknown columns so no position is 0 by accident: the lookup
    /// the rules read through finds it where the header put it, and no other column there. A lookup that
    /// does not follow the enum's own cases (a table numbered by hand) breaks here as soon as a case is
    /// added anywhere but at the end.
    @Test(
        "every column is read from where the header puts it, whatever its place among the cases",
        arguments: ImportColumn.allCases.filter { $0 != .email })
    func everyColumnAtItsOwnPlace(column: ImportColumn) throws {
        let validator = try RowValidator(header: ["pad1", "pad2", column.rawValue, "email"])
        #expect(validator.positions[column] == 2)
        #expect(validator.emailColumn == 3)
        for other in ImportColumn.allCases where other != column && other != .email {
            #expect(validator.positions[other] == -1, "\(other) should be absent")
        }
    }

    @Test("a row's user fields land in the request fields from their own columns, in any header order")
    func userFieldsFromTheirColumns() throws {
        let header = ["metadata", "external_id", "email_verified", "last_name", "first_name", "email"]
        let validator = try RowValidator(header: header)
        let record = CSVRecord(
            recordNumber: 1, line: 2, byteOffset: 0,
            fields: [#"{"team":"math"}"#, "ext-1", "yes", "Lovelace", "Ada", "ada@example.com"])
        guard case .valid(let row, _) = validator.validate(record) else {
            Issue.record("the row should pass")
            return
        }
        #expect(row.user.firstName == "Ada")
        #expect(row.user.lastName == "Lovelace")
        #expect(row.user.emailVerified == true)
        #expect(row.user.externalId == "ext-1")
        #expect(row.user.metadata == ["team": "math"])
    }

    @Test("the clean check passes a plain row of the columns it knows")
    func knownColumnsAreClean() throws {
        let validator = try RowValidator(header: ["email", "first_name", "external_id"])
        let clean = withRecordBytes(["ann@example.com", "Ann", "ext-1"]) { validator.isClean($0) }
        #expect(clean)
    }

    /// A column the clean check does not know, as a newly added column would be, is simulated by taking
    /// `external_id` off its allow-list: a non-empty cell of it sends the row to the full check, and a blank
    /// one does not.
    @Test("a non-empty cell of a column the clean check does not know sends the row to the full check")
    func unknownToTheCleanCheckGoesToTheFullCheck() throws {
        let validator = try RowValidator(header: ["email", "first_name", "external_id"])
        let unknown = RowValidator.fullCheckColumns + [.externalId]
        let withCell = withRecordBytes(["ann@example.com", "Ann", "ext-1"]) {
            validator.isClean($0, fullCheckColumns: unknown)
        }
        #expect(!withCell)
        let blank = withRecordBytes(["ann@example.com", "Ann", ""]) { validator.isClean($0, fullCheckColumns: unknown) }
        #expect(blank)
    }

    @Test("every column is either on the clean check's allow-list or sent to the full check, never both")
    func allowListCoversEveryColumn() {
        for column in ImportColumn.allCases {
            let known = RowValidator.cleanCheckedColumns.contains(column)
            let full = RowValidator.fullCheckColumns.contains(column)
            #expect(known != full, "\(column)")
        }
        #expect(RowValidator.fullCheckColumns.contains(.orgId))
        #expect(RowValidator.fullCheckColumns.contains(.totpSecret))
    }

    @Test("organization, role and TOTP cells take the full check", arguments: ["org_id", "role_slugs", "totp_issuer"])
    func identityCellsTakeTheFullCheck(name: String) throws {
        let validator = try RowValidator(header: ["email", name])
        let clean = withRecordBytes(["ann@example.com", "x"]) { validator.isClean($0) }
        #expect(!clean)
    }
}
