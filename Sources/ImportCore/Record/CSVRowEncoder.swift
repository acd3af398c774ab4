#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Turns fields into one CSV line with RFC 4180 quoting, so any value survives a round trip.
///
/// Used for the rejects file and the CSV error file. Lines end with `\n` (LF) everywhere; a newline
/// inside a value is kept as it is, inside quotes.
public enum CSVRowEncoder {
    /// The line terminator used by every CSV file this tool writes.
    public static let lineEnding = "\n"

    /// One CSV line, terminator included.
    ///
    /// A lone empty field is written as `""` so the line is not mistaken for a blank line and skipped.
    public static func line(_ fields: [String]) -> String {
        if fields.count == 1 && fields[0].isEmpty { return "\"\"" + lineEnding }
        return fields.map(field).joined(separator: ",") + lineEnding
    }

    /// One field, quoted when it holds a comma, quote or line break, or starts or ends with blanks
    /// (which some readers would trim away).
    public static func field(_ value: String) -> String {
        guard needsQuotes(value) else { return value }
        return "\"" + value.replacing("\"", with: "\"\"") + "\""
    }

    private static func needsQuotes(_ value: String) -> Bool {
        for byte in value.utf8
        where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D {
            return true
        }
        guard let first = value.utf8.first, let last = value.utf8.last else { return false }
        return first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09
    }
}
