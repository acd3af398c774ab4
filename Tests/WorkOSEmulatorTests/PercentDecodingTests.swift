import Testing

@testable import WorkOSEmulator

@Suite("Percent-decoding of path parameters and form values")
struct PercentDecodingTests {
    @Test(
        "escapes decode as UTF-8; a cut-short or non-hex escape, or bytes that are not UTF-8, decode to nil",
        arguments: [
            ("user_01H", "user_01H"),
            ("a%40example.com", "a@example.com"),
            ("%E2%82%AC%20and%20%e2%82%ac", "€ and €"),
            ("", ""),
            ("100%", nil),
            ("%4", nil),
            ("%zz", nil),
            ("%FF", nil),
        ] as [(String, String?)])
    func decoding(text: String, decoded: String?) {
        #expect(text.percentDecoded() == decoded)
    }
}
