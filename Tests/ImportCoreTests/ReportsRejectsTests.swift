import Foundation
import ImportCore
import Testing

@Suite("Reports: rejects file")
struct ReportsRejectsTests {
    let header = ["email", "first_name", "password", "metadata"]

    @Test("Rejected rows come back exactly as read, secrets included, under the input's header")
    func roundTrip() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path("rejects.csv")
        let writer = try RejectsWriter(path: path, header: header, append: false)
        let rows = [
            ["a@example.com", "Ann, \"Annie\"", "s3cret!", "{\"team\":\"x,y\"}"],
            ["b@example.com", "two\nlines", "", ""],
            ["  padded@example.com ", "=SUM(A1)", "p", "\r\n"],
        ]
        for row in rows { try writer.write(fields: row) }
        try writer.close()
        #expect(reportsParseCSV(try reportsRead(path)) == [header] + rows)
        #expect(writer.rowsWritten == 3)
    }

    @Test("The rejects file is 0600 and a resumed run adds rows under one header")
    func resume() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path("rejects.csv")
        let first = try RejectsWriter(path: path, header: header, append: false)
        try first.write(fields: ["a@example.com", "A", "pw", ""])
        try first.close()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let second = try RejectsWriter(path: path, header: header, append: true)
        try second.write(fields: ["b@example.com", "B", "pw", ""])
        try second.close()
        #expect(try reportsMode(path) == 0o600)
        #expect(reportsParseCSV(try reportsRead(path)).map(\.first) == ["email", "a@example.com", "b@example.com"])
    }

    @Test("Starting a new run replaces an old rejects file")
    func truncates() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path("rejects.csv")
        try "old,content\n1,2\n".write(toFile: path, atomically: false, encoding: .utf8)
        let writer = try RejectsWriter(path: path, header: header, append: false)
        try writer.close()
        #expect(try reportsRead(path) == "email,first_name,password,metadata\n")
        #expect(try reportsMode(path) == 0o600)
    }

    @Test("A resumed file cut off mid-line gets a line break before new rows")
    func resumeAfterCutLine() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path("rejects.csv")
        try "email\nx@example.com".write(toFile: path, atomically: false, encoding: .utf8)
        let writer = try RejectsWriter(path: path, header: ["email"], append: true)
        try writer.write(fields: ["y@example.com"])
        try writer.close()
        #expect(reportsParseCSV(try reportsRead(path)) == [["email"], ["x@example.com"], ["y@example.com"]])
    }

    @Test(
        "CSV fields are quoted only when needed",
        arguments: [
            (["a", "b"], "a,b\n"), (["a,b"], "\"a,b\"\n"), (["say \"hi\""], "\"say \"\"hi\"\"\"\n"),
            (["x\ny"], "\"x\ny\"\n"), ([""], "\"\"\n"), (["", ""], ",\n"), ([" lead"], "\" lead\"\n"),
        ])
    func quoting(fields: [String], line: String) {
        #expect(CSVRowEncoder.line(fields) == line)
    }
}
