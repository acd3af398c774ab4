/// The few terminal colours the reports use; applied only when the caller says colour is on.
public enum AnsiStyle: String, Sendable {
    /// Success.
    case green = "\u{1B}[32m"
    /// Partial success.
    case yellow = "\u{1B}[33m"
    /// Failure.
    case red = "\u{1B}[31m"
    /// Secondary text.
    case dim = "\u{1B}[2m"

    /// `text` wrapped in this style when `enabled`, unchanged otherwise.
    public func apply(_ text: String, enabled: Bool) -> String {
        enabled ? rawValue + text + "\u{1B}[0m" : text
    }
}
