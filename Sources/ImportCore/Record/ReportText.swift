/// Small, locale-independent text helpers shared by the summary, the row lines and the progress line,
/// so the same number always looks the same wherever it is shown.
public enum ReportText {
    /// `12340` → `12,340`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }

    /// A grouped count with its noun in the right number: `1 page`, `2 pages`, `1,000 users`.
    public static func counted(_ value: Int, _ singular: String, _ plural: String) -> String {
        grouped(value) + " " + (value == 1 ? singular : plural)
    }

    /// A run's length for the summary: `0.42s`, `12.3s`, `1m 02s`, `1h 02m 03s`.
    public static func duration(_ seconds: Double) -> String {
        let seconds = max(0, seconds.isFinite ? seconds : 0)
        if seconds < 10 { return fixed(seconds, places: 2) + "s" }
        if seconds < 60 { return fixed(seconds, places: 1) + "s" }
        let whole = Int(seconds.rounded())
        let (hours, minutes, secs) = (whole / 3600, whole % 3600 / 60, whole % 60)
        if hours > 0 { return "\(hours)h \(twoDigits(minutes))m \(twoDigits(secs))s" }
        return "\(minutes)m \(twoDigits(secs))s"
    }

    /// A remaining time for the progress line: `45s`, `29m54s`, `2h05m`.
    public static func eta(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--" }
        let whole = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (whole / 3600, whole % 3600 / 60, whole % 60)
        if hours > 0 { return "\(hours)h\(twoDigits(minutes))m" }
        if minutes > 0 { return "\(minutes)m\(twoDigits(secs))s" }
        return "\(secs)s"
    }

    /// A rate: one decimal below 100 (`48.9`), grouped whole numbers above (`1,234`).
    public static func rate(_ perSecond: Double) -> String {
        guard perSecond.isFinite, perSecond >= 0 else { return "0.0" }
        if perSecond < 100 { return fixed(perSecond, places: 1) }
        return grouped(Int(perSecond.rounded()))
    }

    /// `value` with exactly `places` decimals, rounded half up.
    public static func fixed(_ value: Double, places: Int) -> String {
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((value * Double(scale)).rounded())
        let whole = scaled / scale
        guard places > 0 else { return String(whole) }
        let fraction = String(scaled % scale)
        return "\(whole)." + String(repeating: "0", count: places - fraction.count) + fraction
    }

    /// Makes text from a CSV row safe to show on one terminal line: line breaks and tabs become spaces,
    /// other control characters (which could drive the terminal) become `?`.
    public static func singleLine(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: result.unicodeScalars.append(" ")
            case 0x00...0x1F, 0x7F...0x9F: result.unicodeScalars.append("?")
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }
}
