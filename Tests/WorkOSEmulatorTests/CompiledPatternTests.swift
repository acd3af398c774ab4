import Testing

@testable import WorkOSEmulator

@Suite("Schema patterns: the spec's ASCII rule, read code point by code point")
struct CompiledPatternTests {
    /// The only pattern WorkOS's spec has today (external_id and metadata keys).
    static let ascii = #"^[\x00-\x7F]+$"#

    @Test(
        "ASCII text matches; any other code point, or nothing, does not",
        arguments: [
            ("acme-42", true),
            ("a b\tc~", true),
            ("line\r\nbreak", true),
            ("açme", false),
            ("e\u{301}", false),
            ("emoji 🙂", false),
            ("", false),
        ])
    func asciiRule(text: String, matches: Bool) throws {
        let pattern = try #require(CompiledPattern(Self.ascii))
        #expect(pattern.matches(text) == matches)
        #expect(pattern.source == Self.ascii)
    }

    @Test("a pattern that is not a valid expression checks nothing")
    func invalidPattern() {
        #expect(CompiledPattern("(unclosed") == nil)
    }
}
