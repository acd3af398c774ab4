#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// ISO-8601 timestamps in UTC with milliseconds (`2026-01-15T12:00:00.000Z`): the form WorkOS writes and the
/// one the journal and the error files use, so every file and comparison agrees to the millisecond.
enum Timestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    /// Formats a date with milliseconds.
    static func format(_ date: Date) -> String {
        date.formatted(style)
    }

    /// Parses a timestamp with or without milliseconds; `nil` when it has another form.
    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: style) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }

    /// `date` cut to whole milliseconds, as it reads back after ``format(_:)`` and ``parse(_:)``.
    static func truncatedToMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1_000).rounded(.down) / 1_000)
    }
}
