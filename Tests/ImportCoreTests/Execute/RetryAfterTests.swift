import Foundation
import ImportCore
import Testing

@Suite("Retry-After parsing")
struct RetryAfterTests {
    /// 2026-03-01 12:00:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_772_366_400)

    @Test(
        "Retry-After values in seconds or as an HTTP-date become a delay",
        arguments: [
            ("120", Duration?.some(.seconds(120))),
            ("0", .zero),
            (" 7 ", .seconds(7)),
            ("99999999999999999999999", .seconds(Int(Int32.max))),
            ("Sun, 01 Mar 2026 12:00:30 GMT", .seconds(30)),
            ("Sunday, 01-Mar-26 12:01:00 GMT", .seconds(60)),
            ("Sun Mar  1 12:00:05 2026", .seconds(5)),
            ("Sat, 28 Feb 2026 12:00:00 GMT", .zero),
            ("-5", nil),
            ("1.5", nil),
            ("soon", nil),
            ("", nil),
            ("Sun, 32 Mar 2026 12:00:30 GMT", nil),
            ("Sun, 01 Foo 2026 12:00:30 GMT", nil),
            ("Sun, 01 Mar 2026 25:00:30 GMT", nil),
            ("Sun, 01 Mar 2026 12:00:30 PST", nil),
        ])
    func parses(value: String, expected: Duration?) {
        #expect(RetryPolicy.parseRetryAfter(value, now: Self.now) == expected)
    }
}
