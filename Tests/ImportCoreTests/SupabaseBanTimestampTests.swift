import Foundation
import Testing

@testable import ImportCore

@Suite("Supabase banned_until: which timestamps still ban a user")
struct SupabaseBanTimestampTests {
    /// 2026-01-01T00:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    @Test(
        "Postgres and ISO 8601 timestamps, with or without fractional seconds and offsets, are read",
        arguments: [
            ("2999-01-01 00:00:00+00", true),
            ("2020-01-01 00:00:00+00", false),
            ("2020-01-01T00:00:00Z", false),
            ("2999-01-01T00:00:00Z", true),
            ("2020-01-01 00:00:00.123456+00", false),
            ("2999-01-01 00:00:00.5+00", true),
            ("2020-06-01T12:00:00.123+02:00", false),
            ("2026-01-01 01:30:00+02", false),
            ("2026-01-01 01:30:00-02", true),
        ])
    func readable(timestamp: String, bans: Bool) {
        #expect(SupabaseConverter.isFuture(timestamp, now: Self.now) == bans)
    }

    @Test(
        "infinity bans, and a value that cannot be read is taken as a ban",
        arguments: ["infinity", "Infinity", "soon", ""])
    func unreadableBans(timestamp: String) {
        #expect(SupabaseConverter.isFuture(timestamp, now: Self.now))
    }
}
