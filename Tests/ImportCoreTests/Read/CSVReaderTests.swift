import Foundation
import ImportCore
import Testing

@Suite("CSV reader")
struct CSVReaderTests {
    @Test(
        "RFC 4180 fields are read as written",
        arguments: [
            ("email,name\na@x.io,Ann\n", ["record 1 line 2 [a@x.io|Ann]"]),
            (
                "email,name\r\na@x.io,Ann\r\nb@x.io,Bob\r\n",
                ["record 1 line 2 [a@x.io|Ann]", "record 2 line 3 [b@x.io|Bob]"]
            ),
            ("email,name\ra@x.io,Ann\rb@x.io,Bob", ["record 1 line 2 [a@x.io|Ann]", "record 2 line 3 [b@x.io|Bob]"]),
            ("email,name\n\"a@x.io\",\"Smith, Jr.\"\n", ["record 1 line 2 [a@x.io|Smith, Jr.]"]),
            ("email,name\na@x.io,\"say \"\"hi\"\"\"\n", ["record 1 line 2 [a@x.io|say \"hi\"]"]),
            (
                "email,name\na@x.io,\"two\nlines\"\nb@x.io,B\n",
                ["record 1 line 2 [a@x.io|two\nlines]", "record 2 line 4 [b@x.io|B]"]
            ),
            (
                "email,name\na@x.io,\"cr\r\nlf\"\r\nb@x.io,B\r\n",
                ["record 1 line 2 [a@x.io|cr\r\nlf]", "record 2 line 4 [b@x.io|B]"]
            ),
            ("email,name\n\na@x.io,A\n\n\nb@x.io,B\n", ["record 1 line 3 [a@x.io|A]", "record 2 line 6 [b@x.io|B]"]),
            ("email,name\na@x.io,\n", ["record 1 line 2 [a@x.io|]"]),
            ("email,name\na@x.io,\"\"\n", ["record 1 line 2 [a@x.io|]"]),
            ("email,name\na@x.io,O\"Brien\n", ["record 1 line 2 [a@x.io|O\"Brien]"]),
            ("email,name\na@x.io,\"Ann\"  \n", ["record 1 line 2 [a@x.io|Ann]"]),
            ("email,name\na@x.io,Zoë\n", ["record 1 line 2 [a@x.io|Zoë]"]),
            ("email,name\n   \na@x.io,A", ["record 1 line 3 [a@x.io|A]"]),
        ])
    func readsFields(input: String, expected: [String]) throws {
        let (_, results) = try readAll(input)
        #expect(results.map(summary) == expected)
    }

    @Test("A UTF-8 byte order mark is stripped and header cells are kept untrimmed")
    func headerCells() throws {
        let (header, results) = try readAll([0xEF, 0xBB, 0xBF] + Array(" Email ,First_Name\na@x.io,Ann\n".utf8))
        #expect(header == [" Email ", "First_Name"])
        #expect(results.count == 1)
    }

    @Test(
        "A malformed record fails alone, with a reason, and reading goes on",
        arguments: [
            (
                "email,name\na@x.io,A,extra\nb@x.io,B\n",
                ["malformed 1 line 2: expected 2 fields, found 3", "record 2 line 3 [b@x.io|B]"]
            ),
            (
                "email,name\na@x.io\nb@x.io,B\n",
                ["malformed 1 line 2: expected 2 fields, found 1", "record 2 line 3 [b@x.io|B]"]
            ),
            (
                "email,name\na@x.io,\"Ann\"x\nb@x.io,B\n",
                [
                    "malformed 1 line 2: column 2 (name) has text after its closing quote; double any quote inside a quoted field (\"\")",
                    "record 2 line 3 [b@x.io|B]",
                ]
            ),
            (
                "email,name\na@x.io,\"Ann\nb@x.io,B\nc@x.io,\"C\"\n",
                [
                    "malformed 1 line 2: column 2 (name) has text after its closing quote; double any quote inside a quoted field (\"\")",
                    "record 2 line 3 [b@x.io|B]", "record 3 line 4 [c@x.io|C]",
                ]
            ),
            (
                "email,name\na@x.io,B\nb@x.io,\"never closed\nc@x.io,C\n",
                [
                    "record 1 line 2 [a@x.io|B]",
                    "malformed 2 line 3: a quoted field in column 2 (name) opens on line 3 and is never closed; close it with \" or double any quote inside it (\"\")",
                    "record 3 line 4 [c@x.io|C]",
                ]
            ),
        ])
    func malformedRecords(input: String, expected: [String]) throws {
        let (_, results) = try readAll(input)
        #expect(results.map(summary) == expected)
    }

    @Test("NUL bytes fail the record and name the column; a Latin-1 byte is read in Latin-1")
    func badBytes() throws {
        let input =
            Array("email,name\na@x.io,M".utf8) + [0xFC] + Array("ller\nb@x.io,N".utf8) + [0]
            + Array("\nc@x.io,C\n".utf8)
        #expect(throws: CSVReaderError.notUTF8(path: "(input)", line: 2)) { _ = try CSVReader(bytes: input) }
        let reader = try CSVReader(bytes: input, format: CSVFormat(encoding: .latin1))
        var results: [CSVReadResult] = []
        while let result = reader.next() { results.append(result) }
        #expect(
            results.map(summary) == [
                "record 1 line 2 [a@x.io|Müller]",
                "malformed 2 line 3: column 2 (name) contains a NUL byte; the file may be binary or UTF-16",
                "record 3 line 4 [c@x.io|C]",
            ])
    }

    @Test("A field over 1 MiB fails its record without stopping the file")
    func oversizedField() throws {
        let big = String(repeating: "x", count: CSVReader.maximumFieldBytes + 10)
        let (_, results) = try readAll("email,name\na@x.io,\(big)\nb@x.io,B\n")
        #expect(results.count == 2)
        #expect(
            summary(results[0]) == "malformed 1 line 2: column 2 (name) is larger than the 1 MiB limit for one field")
        #expect(summary(results[1]) == "record 2 line 3 [b@x.io|B]")
    }

    @Test(
        "Files that cannot be read at all fail with an error that says what to do",
        arguments: [
            ([UInt8](), "has no header line"),
            ([0xEF, 0xBB, 0xBF], "has no header line"),
            (Array("\n\n  \n".utf8), "has no header line"),
            ([0xFF, 0xFE, 0x65, 0x00], "is UTF-16 encoded"),
            (Array("email,\"name\n".utf8), "a quoted column name is never closed"),
            (Array("e\u{0}mail\n".utf8), "contains NUL bytes"),
            ([0x65, 0xFF, 0x0A], "is not valid UTF-8"),
        ])
    func fatalErrors(bytes: [UInt8], fragment: String) {
        #expect {
            _ = try CSVReader(bytes: bytes)
        } throws: { error in
            (error as? CSVReaderError)?.description.contains(fragment) == true
        }
    }

    @Test("Missing files and directories are reported by path")
    func pathErrors() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("nope.csv").path
        #expect(throws: CSVReaderError.fileNotFound(path: missing)) { _ = try CSVReader(path: missing) }
        #expect(throws: CSVReaderError.isDirectory(path: directory.path)) { _ = try CSVReader(path: directory.path) }
        #expect(CSVReaderError.fileNotFound(path: missing).description.contains(missing))
    }

    @Test("Reading a file in chunks gives the same records as reading it from memory")
    func chunkedFileMatchesMemory() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("users.csv").path
        let generator = UserFileGenerator(count: 30_000, seed: 3, withErrors: true, orgs: 4)
        try generator.write(to: path)
        let bytes = generator.bytes()
        let fromFile = try CSVReader(path: path)
        #expect(fromFile.fileSize == bytes.count)
        #expect(fromFile.fileSize > 2 * (1 << 20))
        let fromMemory = try CSVReader(bytes: bytes)
        var count = 0
        var lastConsumed = 0
        while let expected = fromMemory.next() {
            let actual = fromFile.next()
            #expect(actual == expected)
            #expect(fromFile.bytesConsumed >= lastConsumed)
            lastConsumed = fromFile.bytesConsumed
            count += 1
        }
        #expect(fromFile.next() == nil)
        #expect(fromFile.readError == nil)
        #expect(fromFile.bytesConsumed == bytes.count)
        #expect(count == 30_000)
        #expect(try CSVReader.fastRecordCount(path: path) == 30_000)
    }

    @Test("After a stray quote that swallowed more than a chunk, reading resumes at the next line")
    func resumeAcrossChunks() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("stray.csv").path
        var text = "email,name\na@x.io,\"Ann\n"
        for index in 0..<90_000 { text += "user\(index)@x.io,B\n" }
        text += "c@x.io,\"C\"x\nd@x.io,D\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let reader = try CSVReader(path: path)
        var results: [CSVReadResult] = []
        while let result = reader.next() { results.append(result) }
        #expect(results.count == 90_003)
        #expect(summary(results[0]).hasPrefix("malformed 1 line 2: column 2 (name) has text after its closing quote"))
        #expect(summary(results[1]) == "record 2 line 3 [user0@x.io|B]")
        #expect(summary(results[90_000]) == "record 90001 line 90002 [user89999@x.io|B]")
        #expect(summary(results[90_001]).hasPrefix("malformed 90002 line 90003: column 2 (name) has text after"))
        #expect(summary(results[90_002]) == "record 90003 line 90004 [d@x.io|D]")
        #expect(try readAll(text).results == results)
    }

    @Test("The dry-run path reports clean rows and gives every other row the full verdict")
    func checkedPath() throws {
        let bytes = UserFileGenerator(count: 500, seed: 11, withErrors: true, orgs: 2).bytes()
        let full = try CSVReader(bytes: bytes)
        let fast = try CSVReader(bytes: bytes)
        let validator = try RowValidator(header: full.header)
        var clean = 0
        while let result = full.next() {
            let checked = try #require(fast.nextChecked(by: validator))
            switch result {
            case .record(let record):
                let validation = validator.validate(record)
                if case .valid(_, let warnings) = validation, warnings.isEmpty {
                    #expect(checked == .clean(recordNumber: record.recordNumber, line: record.line))
                    clean += 1
                } else {
                    #expect(checked == .validated(record, validation))
                }
            case .malformed(let record, let reason):
                #expect(checked == .malformed(record, reason: reason))
            }
        }
        #expect(fast.nextChecked(by: validator) == nil)
        #expect(clean > 400)
    }

    @Test("The quick record count follows quotes and skips blank lines")
    func quickCount() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("count.csv").path
        try Data("email,name\n\na@x.io,\"two\nlines\"\r\nb@x.io,\"x,y\"\nc@x.io,C".utf8).write(
            to: URL(fileURLWithPath: path))
        #expect(try CSVReader.fastRecordCount(path: path) == 3)
    }
}
