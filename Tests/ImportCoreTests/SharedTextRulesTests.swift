import Foundation
import Testing

@testable import ImportCore

@Suite("Shared text rules")
struct SharedTextRulesTests {
    @Test(
        "the cell trim on bytes and on text agree, and so does the converters' trim",
        arguments: [
            ("", ""), ("ada", "ada"), ("  ada\t", "ada"), ("\r\nada\r\n", "ada"), (" \t\r\n", ""),
            (" é ", "é"), ("a b", "a b"), ("\u{00A0}ada\u{00A0}", "\u{00A0}ada\u{00A0}"),
        ])
    func trimAgrees(cell: String, trimmed: String) {
        #expect(CellText.trim(cell) == trimmed)
        #expect(cell.trimmingBlanks == trimmed)
        let bytes = Array(cell.utf8)
        let byteTrimmed = bytes.withUnsafeBufferPointer { String(decoding: CellText.trim($0), as: UTF8.self) }
        #expect(byteTrimmed == trimmed)
        let scanned = bytes.withUnsafeBufferPointer { String(decoding: DuplicateEmails.trim($0), as: UTF8.self) }
        #expect(scanned == trimmed)
    }

    @Test(
        "an escape reads as the same text in a metadata cell and in a provider export",
        arguments: [
            (#"a\"b"#, "a\"b"), (#"a\\b"#, "a\\b"), (#"a\/b"#, "a/b"), (#"\b\f\n\r\t"#, "\u{08}\u{0C}\n\r\t"),
            (#"\u00e9"#, "é"), (#"\u00E9t\u00e9"#, "été"), (#"\ud83d\ude00"#, "😀"),
        ])
    func escapesAgree(escaped: String, text: String) throws {
        let metadata = try MetadataParser.parse(#"{"k":""# + escaped + #""}"#)
        #expect(metadata.values["k"] == text)
        var reader = JSONStreamReader(bytes: Array(("\"" + escaped + "\"").utf8))
        let value = try reader.readValue()
        #expect(value.string == text)
    }

    @Test(
        "a bad escape is refused by both readers",
        arguments: [#"\x"#, #"\u12G4"#, #"\ud83d"#, #"\ud83dx"#, #"\ud83d\u0041"#, #"\ude00"#])
    func badEscapesRefused(escaped: String) {
        #expect(throws: MetadataParser.Failure.self) { try MetadataParser.parse(#"{"k":""# + escaped + #""}"#) }
        #expect(throws: JSONSyntaxError.self) {
            var reader = JSONStreamReader(bytes: Array(("\"" + escaped + "\"").utf8))
            _ = try reader.readValue()
        }
    }

    @Test(
        "the escape decoder says why it refuses",
        arguments: [
            ("", JSONEscape.Failure.endOfInput), ("u12", .shortUnicode), ("u12G4", .badUnicode),
            ("ud83d", .unpairedSurrogate), ("ude00", .unpairedSurrogate), (#"ud83d\u0041"#, .notLowSurrogate),
            ("q", .unknown(UInt8(ascii: "q"))),
        ])
    func escapeFailures(afterBackslash: String, failure: JSONEscape.Failure) {
        var bytes = Array(afterBackslash.utf8)[...]
        #expect(throws: failure) {
            try JSONEscape.decode { bytes.popFirst() }
        }
    }

    @Test("the shared encoder sorts keys and leaves slashes alone")
    func deterministicEncoder() throws {
        let text = DeterministicJSON.string(["zeta": "a/b", "alpha": "c"])
        #expect(text == #"{"alpha":"c","zeta":"a/b"}"#)
        let data = try DeterministicJSON.makeEncoder().encode(["b": 1, "a": 2])
        #expect(String(decoding: data, as: UTF8.self) == #"{"a":2,"b":1}"#)
    }
}
