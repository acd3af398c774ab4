import Foundation
import ImportCore
import Testing

/// Writes `bytes` as the input file of a rejects test and reads it with the import's reader.
private func input(_ bytes: [UInt8], in folder: ReportsTempFolder, format: CSVFormat = CSVFormat()) throws -> (
    path: String, reader: CSVReader, records: [CSVRecord]
) {
    let path = folder.path("input.csv")
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let reader = try CSVReader(path: path, format: format)
    var records: [CSVRecord] = []
    while let result = reader.next() { records.append(result.record) }
    return (path, reader, records)
}

/// The bytes of a file.
private func bytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

@Suite("Reports: rejects file")
struct ReportsRejectsTests {
    @Test("Rejected records are copied byte for byte: quoting errors, other encodings, CRLF, secrets and all")
    func byteForByte() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let header = Array("\u{FEFF}email,first_name,password,metadata\r\n".utf8)
        let latin1: [UInt8] = [0xFC]
        let second: [UInt8] =
            Array("b@example.com,M".utf8) + latin1 + Array("ller,s3cret!,\"{\"\"a\"\":\"\"x,y\"\"}\"\r\n".utf8)
        let kept: [[UInt8]] = [
            Array("x@example.com,\"Ed\"x,L,\r\n".utf8), second, Array("c@example.com,\"two\r\nlines\",  p ,\r\n".utf8),
        ]
        let skipped = Array("ok@example.com,Ok,,\r\n".utf8)
        let last = Array("d@example.com,D,pw,".utf8)  // no line ending at the end of the file
        let file: [UInt8] = header + kept[0] + skipped + kept[1] + kept[2] + last
        let (path, reader, records) = try input(file, in: folder, format: CSVFormat(encoding: .latin1))
        #expect(records.count == 5)
        let rejects = folder.path("rejects.csv")
        let writer = try RejectsWriter(
            path: rejects, inputPath: path, headerBytes: reader.headerBytes, append: false)
        for index in [0, 2, 3, 4] { try writer.write(recordAt: records[index].byteRange) }
        try writer.close()
        #expect(writer.rowsWritten == 4)
        // The header without its byte order mark; the last record gets the file's CRLF.
        let lineEnding: [UInt8] = [0x0D, 0x0A]
        let expected: [UInt8] = Array(header.dropFirst(3)) + Array(kept.joined()) + last + lineEnding
        #expect(try bytes(rejects) == expected)
        #expect(try reportsMode(rejects) == 0o600)
        // Fed back, the rejects file reads as the same records.
        let again = try input(try bytes(rejects), in: folder, format: CSVFormat(encoding: .latin1))
        #expect(again.records.map(\.fields) == [0, 2, 3, 4].map { records[$0].fields })
    }

    @Test("A sep= line and a semicolon layout are kept, so the rejects file reads the same way")
    func keepsLayout() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let (path, reader, records) = try input(Array("sep=;\nemail;name\na@x.io;A\nb@x.io;\"B\"b\n".utf8), in: folder)
        let rejects = folder.path("rejects.csv")
        let writer = try RejectsWriter(path: rejects, inputPath: path, headerBytes: reader.headerBytes, append: false)
        try writer.write(recordAt: records[1].byteRange)
        try writer.close()
        #expect(try reportsRead(rejects) == "sep=;\nemail;name\nb@x.io;\"B\"b\n")
    }

    @Test("The rejects file is 0600 and a resumed run adds rows under one header")
    func resume() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let (path, reader, records) = try input(Array("email,name\na@x.io,A\nb@x.io,B\n".utf8), in: folder)
        let rejects = folder.path("rejects.csv")
        let first = try RejectsWriter(path: rejects, inputPath: path, headerBytes: reader.headerBytes, append: false)
        try first.write(recordAt: records[0].byteRange)
        try first.close()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: rejects)
        let second = try RejectsWriter(path: rejects, inputPath: path, headerBytes: reader.headerBytes, append: true)
        try second.write(recordAt: records[1].byteRange)
        try second.close()
        #expect(try reportsMode(rejects) == 0o600)
        #expect(try reportsRead(rejects) == "email,name\na@x.io,A\nb@x.io,B\n")
    }

    @Test("Starting a new run replaces an old rejects file")
    func truncates() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let (path, reader, _) = try input(Array("email,first_name\na@x.io,A\n".utf8), in: folder)
        let rejects = folder.path("rejects.csv")
        try "old,content\n1,2\n".write(toFile: rejects, atomically: false, encoding: .utf8)
        let writer = try RejectsWriter(path: rejects, inputPath: path, headerBytes: reader.headerBytes, append: false)
        try writer.close()
        #expect(try reportsRead(rejects) == "email,first_name\n")
        #expect(try reportsMode(rejects) == 0o600)
    }

    @Test("A resumed file cut off mid-line gets a line break before new rows")
    func resumeAfterCutLine() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let (path, reader, records) = try input(Array("email\ny@example.com\n".utf8), in: folder)
        let rejects = folder.path("rejects.csv")
        try "email\nx@example.com".write(toFile: rejects, atomically: false, encoding: .utf8)
        let writer = try RejectsWriter(path: rejects, inputPath: path, headerBytes: reader.headerBytes, append: true)
        try writer.write(recordAt: records[0].byteRange)
        try writer.close()
        #expect(try reportsRead(rejects) == "email\nx@example.com\ny@example.com\n")
    }

    @Test("A missing input file is reported by its path")
    func missingInput() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let missing = folder.path("gone.csv")
        #expect(throws: OutputFileError.cannotReadInput(path: missing, code: ENOENT)) {
            _ = try RejectsWriter(path: folder.path("r.csv"), inputPath: missing, headerBytes: 0..<6, append: false)
        }
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
