import Foundation

extension RetryPolicy {
    /// Reads a `Retry-After` header value: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
    ///
    /// Dates are accepted in the three forms RFC 9110 requires recipients to read: IMF-fixdate
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`) and
    /// asctime (`Sun Nov  6 08:49:37 1994`). A date in the past means "retry now" (`.zero`).
    /// The result is not capped: the caller applies its own limit (`RetryPolicy.retryAfterCap`).
    ///
    /// - Parameters:
    ///   - value: the header value as received.
    ///   - now: the current wall-clock time, used to turn a date into a delay.
    /// - Returns: the delay, or nil when the value is neither form (the caller then backs off on its own).
    public static func parseRetryAfter(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // A number too large for an Int is still "a very long time"; the caller caps it.
            return .seconds(Int(trimmed) ?? Int(Int32.max))
        }
        guard let date = HTTPDate.parse(trimmed) else { return nil }
        let seconds = date.timeIntervalSince(now)
        guard seconds > 0 else { return .zero }
        return .seconds(seconds.rounded(.up))
    }
}

/// A minimal reader for the HTTP-date forms of RFC 9110, independent of locale and formatter quirks.
private enum HTTPDate {
    /// English month abbreviations, as HTTP-dates always use them.
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses any of the three forms by their parts: a month name, a day, a year and an `hh:mm:ss` time.
    static func parse(_ text: String) -> Date? {
        let separators: Set<Character> = [" ", ",", "-"]
        let parts = text.split(whereSeparator: { separators.contains($0) }).map { $0.lowercased() }
        guard parts.count >= 5 else { return nil }
        let isAsctime = parts.count == 5
        if !isAsctime {
            // IMF-fixdate and RFC 850 dates are always in GMT.
            guard parts.count == 6, parts[5] == "gmt" else { return nil }
        }
        let dayText = isAsctime ? parts[2] : parts[1]
        let monthText = isAsctime ? parts[1] : parts[2]
        let yearText = isAsctime ? parts[4] : parts[3]
        let timeText = isAsctime ? parts[3] : parts[4]
        guard let month = months.firstIndex(of: monthText).map({ $0 + 1 }),
            let day = Int(dayText), (1...31).contains(day),
            var year = Int(yearText)
        else { return nil }
        if yearText.count == 2 {
            // RFC 850 two-digit years: RFC 9110 reads them as the most recent matching past year; a fixed
            // pivot is close enough for a retry delay.
            year += year < 70 ? 2000 : 1900
        } else if yearText.count != 4 {
            return nil
        }
        let clock = timeText.split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (0...23).contains(clock[0]), (0...59).contains(clock[1]),
            (0...60).contains(clock[2])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "GMT") ?? calendar.timeZone
        let components = DateComponents(
            year: year, month: month, day: day, hour: clock[0], minute: clock[1], second: clock[2])
        return calendar.date(from: components)
    }
}
