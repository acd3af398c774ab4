import Foundation

/// ISO-8601 timestamps as WorkOS writes them (`2026-01-15T12:00:00.000Z`), with or without milliseconds.
enum Timestamp {
    /// Parses a WorkOS timestamp; `nil` when it has another form.
    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return date
        }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }
}
