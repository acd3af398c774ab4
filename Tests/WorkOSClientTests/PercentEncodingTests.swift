import Testing

@testable import WorkOSClient

@Suite("Percent-encoding path segments and query values")
struct PercentEncodingTests {
    @Test(
        "only RFC 3986 unreserved characters stay as they are",
        arguments: [
            ("user_01ABC", "user_01ABC"),
            ("a+b@example.com", "a%2Bb%40example.com"),
            ("acme/eu", "acme%2Feu"),
            ("josé@example.com", "jos%C3%A9%40example.com"),
            ("a b&c=d?#", "a%20b%26c%3Dd%3F%23"),
            ("-._~", "-._~"),
        ])
    func encodes(value: String, expected: String) {
        #expect(WorkOSHTTPClient.percentEncoded(value) == expected)
    }
}
