import Testing

@testable import ImportCore

@Suite("The API address is checked before any request")
struct BaseURLRuleTests {
    @Test(
        "http(s) addresses with a host are taken, with a port or a path",
        arguments: [
            "https://api.workos.com", "https://api.workos.com/", "HTTPS://api.workos.com", "http://127.0.0.1:41234",
            "http://[::1]:8080", "https://example.com/v1",
        ])
    func accepted(address: String) {
        #expect(BaseURLRule.problem(address, source: "--base-url") == nil)
    }

    @Test(
        "every other address is refused with what is wrong with it",
        arguments: [
            ("api.workos.com", "has no scheme"), ("localhost:8080", "has no scheme"),
            ("//api.workos.com", "has no scheme"),
            ("ftp://api.workos.com", "not https:// or http://"), ("https://", "names no host"),
            ("https://:443", "names no host"), ("https://api.workos.com:0", "has a port that is not a number"),
            ("https://api.workos.com:x", "has a port that is not a number"),
            ("https://api.workos.com/?q", "has a query or a fragment"), ("https://user:pw@api.workos.com", "user name"),
            ("https://api.workos.com\r", "a space or a control character"), ("", "is empty"),
            ("https://[::1", "unclosed ["),
        ])
    func refused(address: String, problem: String) throws {
        let message = try #require(BaseURLRule.problem(address, source: "WORKOS_BASE_URL"))
        #expect(message.hasPrefix("WORKOS_BASE_URL"))
        #expect(message.contains(problem), "\(message)")
        #expect(message.contains("https://api.workos.com"), "the sentence shows how to write it")
    }
}
