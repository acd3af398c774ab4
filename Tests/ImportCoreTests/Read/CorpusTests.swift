import Foundation
import ImportCore
import Testing

/// One malformed input file and what the importer makes of it.
struct CorpusCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    /// Either one "fatal: ..." line, or one line per record: "valid N", "invalid N: ...", "malformed N: ...".
    let outcome: [String]

    var testDescription: String { name }

    init(_ name: String, _ text: String, _ outcome: [String]) {
        self.init(name, Array(text.utf8), outcome)
    }

    init(_ name: String, _ bytes: [UInt8], _ outcome: [String]) {
        self.name = name
        self.bytes = bytes
        self.outcome = outcome
    }
}

/// Runs the reader and validator over `path` and describes every outcome on one line each.
func describeImport(path: String) -> [String] {
    let reader: CSVReader
    let validator: RowValidator
    do {
        reader = try CSVReader(path: path)
        validator = try RowValidator(header: reader.header)
    } catch {
        return ["fatal: \(error)"]
    }
    var lines: [String] = []
    while let result = reader.next() {
        switch result {
        case .record(let record):
            switch validator.validate(record) {
            case .valid(let row, _): lines.append("valid \(row.line)")
            case .invalid(let problem, _): lines.append("invalid \(problem.line): \(problem.message)")
            }
        case .malformed(let record, let reason):
            lines.append("malformed \(record.line): \(reason)")
        }
    }
    return lines
}

private let header = "email,first_name\n"
private let corpus: [CorpusCase] = [
    CorpusCase(
        "unterminated quote at the end", header + "a@x.io,Ann\nb@x.io,\"Bob",
        [
            "valid 2",
            "malformed 3: a quoted field in column 2 (first_name) opens on line 3 and is never closed; close it "
                + "with \" or double any quote inside it (\"\")",
        ]),
    CorpusCase(
        "ragged rows", header + "a@x.io\nb@x.io,Bob,extra,more\nc@x.io,Cy\n",
        ["malformed 2: expected 2 fields, found 1", "malformed 3: expected 2 fields, found 4", "valid 4"]),
    CorpusCase(
        "invalid UTF-8", Array((header + "a@x.io,").utf8) + [0xC3, 0x28] + Array("\nb@x.io,B\n".utf8),
        [
            "fatal: The file PATH is not valid UTF-8 (first at line 2), so no row was imported; save it as UTF-8 "
                + "(in Excel: CSV UTF-8), or pass --encoding cp1252 for a Windows or Excel export, or --encoding "
                + "latin1 for ISO-8859-1, to convert it while reading."
        ]),
    CorpusCase(
        "NUL bytes", Array((header + "a@x.io,A").utf8) + [0, 0] + Array("\nb@x.io,B\n".utf8),
        ["malformed 2: column 2 (first_name) contains a NUL byte; the file may be binary or UTF-16", "valid 3"]),
    CorpusCase(
        "a 10 MB field",
        header + "a@x.io,\"" + String(repeating: "y", count: 10_000_000) + "\"\nb@x.io,B\n",
        ["malformed 2: column 2 (first_name) is larger than the 1 MiB limit for one field", "valid 3"]),
    CorpusCase(
        "empty file", "",
        [
            "fatal: The file PATH has no header line; the first line must name the columns, e.g. email,first_name,last_name."
        ]),
    CorpusCase("header only", header, []),
    CorpusCase(
        "duplicate header names", "email,First_Name,first_name\na@x.io,A,B\n",
        [
            "fatal: The header names the column \"First_Name\" more than once (columns 2 and 3); rename or remove the extra one."
        ]),
    CorpusCase(
        "a BOM alone", [0xEF, 0xBB, 0xBF],
        [
            "fatal: The file PATH has no header line; the first line must name the columns, e.g. email,first_name,last_name."
        ]),
    CorpusCase(
        "CR-only line ends", "email,first_name\ra@x.io,Ann\rbad,Bob\r",
        ["valid 2", "invalid 3: line 3: email \"bad\" is not a valid address (it has no \"@\")"]),
    CorpusCase("a missing final newline", header + "a@x.io,Ann\nb@x.io,Bob", ["valid 2", "valid 3"]),
    CorpusCase(
        "a stray quote in the middle", header + "a@x.io,\"Ann\nb@x.io,Bob\nc@x.io,\"Cy\"\n",
        [
            "malformed 2: column 2 (first_name) has text after its closing quote; double any quote inside a "
                + "quoted field (\"\")",
            "valid 3", "valid 4",
        ]),
    CorpusCase(
        "UTF-16 with a byte order mark", [0xFF, 0xFE] + Array("e\0m\0".utf8),
        ["fatal: The file PATH is UTF-16 encoded; save it as UTF-8 (in Excel: CSV UTF-8)."]),
    CorpusCase(
        "no email column", "name,phone\nAnn,1\n",
        [
            "fatal: The header has no email column (found \"name\", \"phone\"); name the column that holds each user's address \"email\", and if the columns are not separated by commas, say by which with --delimiter (e.g. --delimiter ';')."
        ]),
]

@Suite("Malformed-input corpus")
struct CorpusTests {
    @Test("Each malformed file gets its clear error and the rest of the file is still read", arguments: corpus)
    func corpusFile(_ testCase: CorpusCase) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("input.csv").path
        try Data(testCase.bytes).write(to: URL(fileURLWithPath: path))
        let outcome = describeImport(path: path).map { $0.replacingOccurrences(of: path, with: "PATH") }
        #expect(outcome == testCase.outcome)
    }
}
