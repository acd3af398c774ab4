import Foundation
import Testing
import WorkOSClient

@testable import ImportCore

/// Writes `bytes` to a fresh file and returns its path and folder (removed by the caller).
private func writeFile(_ bytes: [UInt8], name: String = "input.csv") throws -> (path: String, folder: URL) {
    let folder = try makeTemporaryDirectory()
    let path = folder.appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return (path, folder)
}

/// The UTF-8 of `text`, then `bytes`, then the UTF-8 of `rest`.
private func utf8(_ text: String, _ bytes: [UInt8], _ rest: String = "") -> [UInt8] {
    Array(text.utf8) + bytes + Array(rest.utf8)
}

/// Every record of the file at `path`, read `chunkSize` bytes at a time.
private func readFile(_ path: String, chunkSize: Int = 4, format: CSVFormat = CSVFormat()) throws -> (
    reader: CSVReader, results: [CSVReadResult]
) {
    let reader = try CSVReader(path: path, chunkSize: chunkSize, format: format)
    var results: [CSVReadResult] = []
    while let result = reader.next() { results.append(result) }
    return (reader, results)
}

@Suite("CSV reader: encodings, delimiters and raw bytes")
struct CSVFormatTests {
    // MARK: Encoding

    /// Files that are not UTF-8, and the line of their first bad byte.
    static let nonUTF8Files: [([UInt8], Int)] = [
        (utf8("email,first_name\na@x.io,Ann\nb@x.io,Andr", [0xE9], "\n"), 3),
        (utf8("email,first_name\r\na@x.io,\"two\r\nlines\"\r\n\r\nb@x.io,", [0x93, 0x94]), 5),
        (utf8("email,first_name\rc@x.io,C\rd@x.io,", [0xC3]), 3),
        (utf8("em", [0xE9], "\n"), 1),
    ]

    @Test(
        "A file that is not UTF-8 is refused before any record, naming the line of its first bad byte",
        arguments: nonUTF8Files)
    func refusesNonUTF8(bytes: [UInt8], line: Int) throws {
        #expect(throws: CSVReaderError.notUTF8(path: "(input)", line: line)) { _ = try CSVReader(bytes: bytes) }
        let (path, folder) = try writeFile(bytes)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: CSVReaderError.notUTF8(path: path, line: line)) { _ = try CSVReader(path: path) }
        let message = CSVReaderError.notUTF8(path: path, line: line).description
        #expect(message.contains("line \(line)"))
        #expect(message.contains("--encoding cp1252"))
        #expect(message.contains("--encoding latin1"))
    }

    @Test("The UTF-8 check covers the whole file, past the first chunks, and accepts characters cut by a chunk")
    func checksWholeFile() throws {
        var text = "email,first_name\n"
        // Two-, three- and four-byte characters land on every offset of the 1 MiB chunk boundary.
        for index in 0..<40_000 { text += "u\(index)@x.io,Zoë 日本 🙂\n" }
        var bytes = Array(text.utf8)
        let (goodPath, goodFolder) = try writeFile(bytes)
        defer { try? FileManager.default.removeItem(at: goodFolder) }
        #expect(bytes.count > 1 << 20)
        #expect(try CSVReader(path: goodPath).header == ["email", "first_name"])
        bytes += utf8("late@x.io,Ren", [0xE9], "\n")
        let (badPath, badFolder) = try writeFile(bytes)
        defer { try? FileManager.default.removeItem(at: badFolder) }
        #expect(throws: CSVReaderError.notUTF8(path: badPath, line: 40_002)) { _ = try CSVReader(path: badPath) }
    }

    @Test(
        "cp1252 and Latin-1 files are converted while reading; cp1252's 0x80–0x9F are its own characters",
        arguments: [
            (CSVEncoding.cp1252, "Zoë “Q” – €5 Š"),
            (CSVEncoding.latin1, "Zoë \u{93}Q\u{94} \u{96} \u{80}5 \u{8A}"),
        ])
    func singleByteEncodings(encoding: CSVEncoding, expected: String) throws {
        let accented: [UInt8] = [0xEB, 0x20, 0x93, 0x51, 0x94, 0x20, 0x96, 0x20, 0x80, 0x35, 0x20, 0x8A]
        let bytes = utf8("email,first_name\r\nz@x.io,Zo", accented, "\r\na@x.io,Ann\r\n")
        let (path, folder) = try writeFile(bytes)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (reader, results) = try readFile(path, format: CSVFormat(encoding: encoding))
        #expect(reader.encoding == encoding)
        #expect(reader.hasLatin1Controls == (encoding == .latin1))
        #expect(results.map(\.record.fields) == [["z@x.io", expected], ["a@x.io", "Ann"]])
        // The dry run's fast path agrees: only the ASCII row is settled without decoding.
        let checking = try CSVReader(path: path, chunkSize: 4, format: CSVFormat(encoding: encoding))
        let validator = try RowValidator(header: checking.header)
        guard case .validated(let record, .valid(let row, _)) = checking.nextChecked(by: validator) else {
            Issue.record("the accented row was not decoded")
            return
        }
        #expect(record.fields[1] == expected)
        #expect(row.firstName == expected)
        #expect(checking.nextChecked(by: validator) == .clean(recordNumber: 2, line: 3))
    }

    @Test("--encoding names are read in any case, with their usual aliases")
    func encodingNames() {
        #expect(CSVEncoding(name: "UTF-8") == .utf8)
        #expect(CSVEncoding(name: "utf8") == .utf8)
        #expect(CSVEncoding(name: "Latin1") == .latin1)
        #expect(CSVEncoding(name: "iso-8859-1") == .latin1)
        #expect(CSVEncoding(name: "CP1252") == .cp1252)
        #expect(CSVEncoding(name: "windows-1252") == .cp1252)
        #expect(CSVEncoding(name: "utf-16") == nil)
    }

    // MARK: Delimiters

    /// Headers, the delimiter read from them, whether it was detected, and the header cells.
    static let delimiterCases: [(String, UInt8, UInt8?, [String])] = [
        ("email;first_name\na@x.io;Ann\n", 0x3B, 0x3B, ["email", "first_name"]),
        ("E-Mail\tFirst Name\na@x.io\tAnn\n", 0x09, 0x09, ["E-Mail", "First Name"]),
        ("Email|name\na@x.io|Ann\n", 0x7C, 0x7C, ["Email", "name"]),
        ("email,first_name;x\na@x.io,Ann;y\n", 0x2C, nil, ["email", "first_name;x"]),
        ("name;age\nAnn;3\n", 0x2C, nil, ["name;age"]),
    ]

    @Test(
        "A semicolon, tab or pipe file is detected from its header; a comma file without email stays comma",
        arguments: delimiterCases)
    func detectsDelimiter(text: String, delimiter: UInt8, detected: UInt8?, header: [String]) throws {
        let reader = try CSVReader(bytes: Array(text.utf8))
        #expect(reader.header == header)
        #expect(reader.delimiter == delimiter)
        #expect(reader.detectedDelimiter == detected)
    }

    @Test("An explicit delimiter wins and is not reported as detected")
    func explicitDelimiter() throws {
        let reader = try CSVReader(
            bytes: Array("email;name\na@x.io;\"A;B\"\n".utf8), format: CSVFormat(delimiter: 0x3B))
        #expect(reader.detectedDelimiter == nil)
        #expect(
            reader.next()
                == .record(
                    CSVRecord(recordNumber: 1, line: 2, byteOffset: 11, byteCount: 13, fields: ["a@x.io", "A;B"])))
        let forced = try CSVReader(bytes: Array("email;name\n".utf8), format: CSVFormat(delimiter: 0x2C))
        #expect(forced.header == ["email;name"])
    }

    @Test("An Excel sep= first line sets the delimiter, is skipped, and still counts for line numbers")
    func separatorLine() throws {
        let text = "\u{FEFF}sep=;\r\nemail;first_name\r\na@x.io;Ann\r\nb@x.io;\"B;b\"\r\n"
        let (path, folder) = try writeFile(Array(text.utf8))
        defer { try? FileManager.default.removeItem(at: folder) }
        let (reader, results) = try readFile(path)
        #expect(reader.hasSeparatorLine)
        #expect(reader.detectedDelimiter == nil)
        #expect(reader.delimiter == UInt8(ascii: ";"))
        #expect(reader.header == ["email", "first_name"])
        #expect(reader.headerLine == 2)
        #expect(results.map(summary) == ["record 1 line 3 [a@x.io|Ann]", "record 2 line 4 [b@x.io|B;b]"])
        #expect(reader.headerBytes == 3..<28)
        // The caller subtracts the sep= line.
        #expect(try CSVReader.fastRecordCount(path: path, delimiter: reader.delimiter) == 3)
        let tab = try CSVReader(bytes: Array("SEP=\t\nemail\tname\na@x.io\tA".utf8))
        #expect(tab.delimiter == 0x09)
        #expect(tab.next()?.record.fields == ["a@x.io", "A"])
    }

    // MARK: Blank rows

    @Test("Rows of only delimiters and blanks are skipped like blank lines; a quoted empty cell is a record")
    func delimiterOnlyRows() throws {
        let text = "email,first_name,last_name\n,,\na@x.io,A,B\n , ,\t\n\n\"\",,\nb@x.io,,\n,,"
        let (_, results) = try readAll(text)
        #expect(
            results.map(summary) == [
                "record 1 line 3 [a@x.io|A|B]", "record 2 line 6 [||]", "record 3 line 7 [b@x.io||]",
            ])
        let semicolons = try readAll("email;name\n;;\n;\na@x.io;A\n")
        #expect(semicolons.results.map(summary) == ["record 1 line 4 [a@x.io|A]"])
    }

    // MARK: Raw bytes

    @Test("Each record knows its exact bytes in the file, line ending included, in chunks of any size")
    func byteRanges() throws {
        let header = "email,first_name,last_name\r\n"
        let records = [
            "a@x.io,Ann,L\r\n",
            "x@example.com,\"Ed\"x,L\r\n",  // text after a closing quote
            "c@x.io,\"two\nlines\",L\n",
            "d@x.io,\"open,L\n",  // never closed, so the record is only its first line
            "e@x.io,E,L",  // no line ending at the end of the file
        ]
        var expected: [Range<Int>] = []
        var offset = header.utf8.count
        for record in records {
            expected.append(offset..<(offset + record.utf8.count))
            offset += record.utf8.count
        }
        let bytes = Array((header + records.joined()).utf8)
        let (path, folder) = try writeFile(bytes)
        defer { try? FileManager.default.removeItem(at: folder) }
        for chunkSize in [4, 5, 7, 64, 1 << 20] {
            let (reader, results) = try readFile(path, chunkSize: chunkSize)
            #expect(reader.headerBytes == 0..<header.utf8.count)
            #expect(results.map(\.record.byteRange) == expected, "chunk size \(chunkSize)")
        }
        let (_, fromMemory) = try readAll(bytes)
        #expect(fromMemory.map { String(decoding: bytes[$0.record.byteRange], as: UTF8.self) } == records)
    }

    @Test("A lone-CR file and a malformed record ending in CR keep their line endings")
    func carriageReturnRanges() throws {
        let bytes = Array("email,name\ra@x.io,\"A\"b\rc@x.io,C\r".utf8)
        let (path, folder) = try writeFile(bytes)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (reader, results) = try readFile(path)
        #expect(reader.headerBytes == 0..<11)
        #expect(results.map(\.record.byteRange) == [11..<23, 23..<32])
    }
}
