import Foundation
import ImportCore
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Reports: error file")
struct ReportsErrorFileTests {
    let header = ["email", "first_name", "password", "password_hash", "metadata"]
    let fields = ["bob@example.com", "Bob, \"the builder\"\nJr", "hunter2secret", "$2b$10$abcdefgh", "{\"a\":\"b\"}"]

    @Test(
        "The error file format follows the extension",
        arguments: [
            ("errors.csv", ErrorFileFormat.csv), ("out/ERRORS.CSV", .csv), ("errors.jsonl", .jsonLines),
            ("Errors.NDJSON", .jsonLines),
            ("errors.json", .jsonArray), ("errors.txt", .jsonArray), ("errors", .jsonArray),
            ("dir.csv/errors", .jsonArray),
        ])
    func formatFromExtension(path: String, format: ErrorFileFormat) {
        #expect(ErrorFileFormat(path: path) == format)
    }

    @Test("A CSV error file has the published columns and round-trips awkward values")
    func csvRoundTrip() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path("errors.csv")
        let writer = try ErrorFileWriter(path: path, header: header, append: false)
        let failure = reportsFailure(
            email: "bob@example.com", message: "Could not create user, \"email\" taken\nsecond line",
            stage: .user, userId: "user_01", httpStatus: 400)
        try writer.write(failure, fields: fields)
        try writer.close()

        let rows = reportsParseCSV(try reportsRead(path))
        #expect(rows.count == 2)
        #expect(rows[0] == ErrorFileRecord.csvColumns)
        #expect(
            rows[0] == [
                "recordNumber", "email", "userId", "errorMessage", "httpStatus", "workosCode", "workosRequestId",
                "timestamp", "rawRow", "stage", "organization",
            ])
        let row = rows[1]
        #expect(row.count == 11)
        #expect(row[0] == "1")
        #expect(row[1] == "bob@example.com")
        #expect(row[2] == "user_01")
        #expect(row[3] == "Could not create user, \"email\" taken\nsecond line")
        #expect(row[4] == "400")
        #expect(row[5] == "user_creation_error")
        #expect(row[6] == "req_123")
        #expect(row[7] == "2026-03-01T09:30:00.125Z")
        let raw = try JSONDecoder().decode([String: String].self, from: Data(row[8].utf8))
        #expect(raw["email"] == "bob@example.com")
        #expect(raw["first_name"] == "Bob, \"the builder\"\nJr")
        #expect(raw["password"] == "[redacted]")
        #expect(raw["password_hash"] == "[redacted]")
        #expect(raw["metadata"] == "{\"a\":\"b\"}")
    }

    @Test("Passwords and hashes never reach the error file, in any format", arguments: ["e.csv", "e.jsonl", "e.json"])
    func secretsRedacted(name: String) throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path(name)
        let writer = try ErrorFileWriter(path: path, header: header, append: false)
        let failure = reportsFailure(message: "password hunter2secret is too weak; hash $2b$10$abcdefgh")
        try writer.write(failure, fields: fields)
        try writer.close()
        let text = try reportsRead(path)
        #expect(!text.contains("hunter2secret"))
        #expect(!text.contains("$2b$10$abcdefgh"))
        #expect(text.contains("[redacted]"))
    }

    @Test(
        "A column that feeds a secret column through --map is masked whatever its header, with its value in the message",
        arguments: ["e.csv", "e.jsonl", "e.json"])
    func mappedSecretsRedacted(name: String) throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let header = ["email", "pw", "digest", "password_hash_type", "seed", "note"]
        let fields = ["bob@example.com", "Correct-Horse-9", "$2b$10$mappedhash", "bcrypt", "JBSWY3DPEHPK3PXQ", "hi"]
        let validator = try RowValidator(
            header: header,
            mapping: try ColumnMapping(arguments: ["password=pw", "password_hash=digest", "totp_secret=seed"]))
        #expect(validator.secretColumns == [1, 2, 4])
        let path = folder.path(name)
        let writer = try ErrorFileWriter(
            path: path, header: header, secretColumns: validator.secretColumns, append: false)
        try writer.write(reportsFailure(message: "seed JBSWY3DPEHPK3PXQ refused"), fields: fields)
        try writer.close()
        let text = try reportsRead(path)
        for secret in ["Correct-Horse-9", "$2b$10$mappedhash", "JBSWY3DPEHPK3PXQ"] {
            #expect(!text.contains(secret), "\(secret) reached \(name)")
        }
        #expect(text.contains("bcrypt") && text.contains("hi"), "columns that feed no secret stay readable")
    }

    @Test("A JSONL error file has one object per line with stage, nulls and a nested rawRow")
    func jsonLines() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path("errors.jsonl")
        let writer = try ErrorFileWriter(path: path, header: header, append: false)
        try writer.write(reportsFailure(record: 1, stage: .parse), fields: fields)
        try writer.write(reportsFailure(record: 2, stage: .membership, httpStatus: 404), fields: ["x@y.z"])
        try writer.close()

        let lines = try reportsRead(path).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        #expect(lines[2].isEmpty)
        let first = try JSONDecoder().decode(ErrorFileRecord.self, from: Data(lines[0].utf8))
        #expect(first.stage == .parse)
        #expect(first.recordNumber == 1)
        #expect(first.rawRow["password"] == "[redacted]")
        #expect(first.rawRow["first_name"] == "Bob, \"the builder\"\nJr")
        let second = try JSONDecoder().decode(ErrorFileRecord.self, from: Data(lines[1].utf8))
        #expect(second.stage == .membership)
        #expect(second.httpStatus == 404)
        #expect(second.rawRow == ["email": "x@y.z"])

        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        let keys = Set(object?.keys.map { $0 } ?? [])
        #expect(keys == Set(ErrorFileRecord.CodingKeys.allCases.map(\.rawValue)))
        #expect(object?["userId"] is NSNull)
        #expect(lines[0].hasPrefix("{\"email\":"))  // sorted keys
    }

    @Test("A JSON error file is one valid array, empty when nothing failed")
    func jsonArray() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let empty = folder.path("empty.json")
        try ErrorFileWriter(path: empty, header: header, append: false).close()
        #expect(try JSONDecoder().decode([ErrorFileRecord].self, from: Data(reportsRead(empty).utf8)).isEmpty)

        let path = folder.path("errors.json")
        let writer = try ErrorFileWriter(path: path, header: header, append: false)
        for record in 1...3 { try writer.write(reportsFailure(record: record), fields: fields) }
        try writer.close()
        let records = try JSONDecoder().decode([ErrorFileRecord].self, from: Data(reportsRead(path).utf8))
        #expect(records.map(\.recordNumber) == [1, 2, 3])
        #expect(records.allSatisfy { $0.rawRow["password_hash"] == "[redacted]" })
    }

    @Test("Each failure is on disk as soon as it is written, before close", arguments: ["e.csv", "e.jsonl", "e.json"])
    func writtenImmediately(name: String) throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path(name)
        let writer = try ErrorFileWriter(path: path, header: header, append: false)
        try writer.write(reportsFailure(email: "first@example.com"), fields: fields)
        #expect(try reportsRead(path).contains("first@example.com"))
        try writer.close()
    }

    @Test(
        "Error files are created 0600, even over an existing readable file", arguments: ["e.csv", "e.jsonl", "e.json"])
    func modeIsPrivate(name: String) throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path(name)
        let fresh = try ErrorFileWriter(path: path, header: header, append: false)
        try fresh.close()
        #expect(try reportsMode(path) == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let again = try ErrorFileWriter(path: path, header: header, append: true)
        try again.close()
        #expect(try reportsMode(path) == 0o600)
    }

    @Test(
        "Resuming an error file keeps the earlier rows: CSV without a second header, JSONL as more lines, JSON as the same array reopened and kept valid",
        arguments: ["errors.csv", "errors.jsonl", "errors.json"])
    func resume(name: String) throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path(name)
        let first = try ErrorFileWriter(path: path, header: header, append: false)
        try first.write(reportsFailure(record: 1), fields: fields)
        try first.close()
        let second = try ErrorFileWriter(path: path, header: header, append: true)
        try second.write(reportsFailure(record: 2), fields: fields)
        try second.write(reportsFailure(record: 3), fields: fields)
        try second.close()
        let text = try reportsRead(path)
        if name.hasSuffix(".csv") {
            #expect(reportsParseCSV(text).map(\.first) == ["recordNumber", "1", "2", "3"])
        } else if name.hasSuffix(".jsonl") {
            let records = try text.split(separator: "\n").map {
                try JSONDecoder().decode(ErrorFileRecord.self, from: Data($0.utf8))
            }
            #expect(records.map(\.recordNumber) == [1, 2, 3])
        } else {
            let records = try JSONDecoder().decode([ErrorFileRecord].self, from: Data(text.utf8))
            #expect(records.map(\.recordNumber) == [1, 2, 3])
        }
    }

    @Test(
        "Resuming a JSON error file works from any state an earlier run could leave",
        arguments: [
            ("closed and empty", "[\n]\n", [Int]()),
            ("left open after a crash", "[\n{\"recordNumber\":1}", [1]),
            ("left open before any record", "[", []),
            ("blank", "  \n", []),
            ("missing", nil, []),
        ] as [(String, String?, [Int])])
    func resumeJSONArrayStates(state: String, existing: String?, earlier: [Int]) throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path("errors.json")
        if let existing { try existing.write(toFile: path, atomically: false, encoding: .utf8) }
        let writer = try ErrorFileWriter(path: path, header: header, append: true)
        try writer.write(reportsFailure(record: 7), fields: fields)
        try writer.close()
        let array = try JSONSerialization.jsonObject(with: Data(reportsRead(path).utf8)) as? [[String: Any]]
        #expect(array?.compactMap { $0["recordNumber"] as? Int } == earlier + [7], "state: \(state)")
    }

    @Test("Resuming refuses a file that is not a JSON array instead of corrupting it")
    func resumeRefusesForeignFile() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path("errors.json")
        try "name,email\nx,y\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: OutputFileError.self) {
            _ = try ErrorFileWriter(path: path, header: header, append: true)
        }
        #expect(try reportsRead(path) == "name,email\nx,y\n")
    }

    @Test("An error file in a missing folder fails with the path and what to do")
    func missingFolder() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path("no/such/folder/errors.csv")
        do throws(OutputFileError) {
            _ = try ErrorFileWriter(path: path, header: header, append: false)
            Issue.record("expected an error")
        } catch {
            #expect(error == .cannotOpen(path: path, code: ENOENT))
            #expect(error.description.contains(path))
            #expect(error.description.contains("folder does not exist"))
        }
    }

    @Test("Writing after close is reported, closing twice is harmless")
    func afterClose() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path("errors.jsonl")
        let writer = try ErrorFileWriter(path: path, header: header, append: false)
        try writer.close()
        try writer.close()
        #expect(throws: OutputFileError.alreadyClosed(path: path)) {
            try writer.write(reportsFailure(), fields: [])
        }
    }

    @Test("rawRow keeps empty secrets visible and names cells beyond the header")
    func rawRowShape() {
        let record = ErrorFileRecord(
            failure: reportsFailure(), header: ["email", "password"], fields: ["a@b.c", "", "extra"])
        #expect(record.rawRow == ["email": "a@b.c", "password": "", "column_3": "extra"])
    }

    @Test("A dropped writer still leaves a closed JSON array")
    func deinitCloses() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path("errors.json")
        do {
            let writer = try ErrorFileWriter(path: path, header: header, append: false)
            try writer.write(reportsFailure(record: 4), fields: fields)
        }
        let records = try JSONDecoder().decode([ErrorFileRecord].self, from: Data(reportsRead(path).utf8))
        #expect(records.map(\.recordNumber) == [4])
    }

    @Test(
        "Column names decide what is secret: every credential-like name is masked, descriptive ones stay readable",
        arguments: [
            ("password", true), ("Password_Confirm", true), ("new-password", true), ("passwd", true), ("PWD", true),
            ("totp_secret", true), ("TOTPSecret", true), ("salt", true), ("api_token", true), ("apiToken", true),
            ("refresh_token", true), ("access-token", true), ("mfa_code", true), ("otp", true), ("pin", true),
            ("Secret Key", true), ("api_key", true), ("password_hash", true), ("PasswordHash", true),
            ("credentials", true), ("clientsecret", true), ("recovery_passphrase", true), ("hash", true),
            ("password_hash_type", false), ("password_salt_position", false), ("password_hasher", false),
            ("mfa_enabled", false), ("token_expires_at", false), ("api_key_id", false), ("email", false),
            ("first_name", false), ("metadata", false), ("Pinned", false), ("monkey", false), ("passport", false),
            ("external_id", false), ("email_verified", false),
        ])
    func secretNames(name: String, secret: Bool) {
        #expect(SecretColumnName.isSecret(name) == secret)
    }

    @Test(
        "Secrets in columns the importer does not read never reach the error file, in any format",
        arguments: ["e.csv", "e.jsonl", "e.ndjson", "e.json"])
    func otherSecretsRedacted(name: String) throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path(name)
        let header = ["email", "Password_Confirm", "totp_secret", "salt", "api_token", "password_hash_type", "Notes"]
        let fields = [
            "a@example.com", "Confirm-Pw-123", "JBSWY3DPEHPK3PXP", "NaCl-salt-99", "tok_live_abc", "bcrypt", "hi",
        ]
        let writer = try ErrorFileWriter(path: path, header: header, append: false)
        try writer.write(reportsFailure(message: "WorkOS said tok_live_abc was wrong"), fields: fields)
        try writer.close()
        let text = try reportsRead(path)
        for secret in fields[1...4] { #expect(!text.contains(secret), "\(secret) leaked into \(name)") }
        #expect(text.contains("bcrypt"))
        #expect(text.contains("hi"))
        let record = ErrorFileRecord(failure: reportsFailure(), header: header, fields: fields)
        #expect(record.rawRow["Password_Confirm"] == "[redacted]")
        #expect(record.rawRow["password_hash_type"] == "bcrypt")
    }

    @Test("An .ndjson error file is JSON Lines, one object per line, not an array")
    func ndjsonIsJSONLines() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path("errors.ndjson")
        let writer = try ErrorFileWriter(path: path, header: header, append: false)
        try writer.write(reportsFailure(record: 1), fields: fields)
        try writer.write(reportsFailure(record: 2), fields: fields)
        try writer.close()
        let lines = try reportsRead(path).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") })
        let records = try lines.map { try JSONDecoder().decode(ErrorFileRecord.self, from: Data($0.utf8)) }
        #expect(records.map(\.recordNumber) == [1, 2])
    }
}
