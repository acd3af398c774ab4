/// Splits a display name into first and last name (`--name-split`).
///
/// Providers such as Firebase keep one `displayName`; WorkOS has two fields. Where to cut is a choice the
/// user makes: at the first space ("Mary Ann Smith" → "Mary" / "Ann Smith", right for most Western names
/// with a compound family name), at the last space ("Mary Ann" / "Smith", right for double given names),
/// or not at all (the whole name as the first name). Runs of spaces count as one; a single word is a
/// first name. Works on characters, so names in any script split where their spaces are.
public enum NameSplitter: String, Sendable, CaseIterable {
    /// Cut at the first space.
    case firstSpace = "first-space"
    /// Cut at the last space.
    case lastSpace = "last-space"
    /// Keep the whole name as the first name.
    case none

    /// The first and last name for `displayName`; `nil` parts for a blank name.
    public func split(_ displayName: String) -> (first: String?, last: String?) {
        let words = displayName.split(whereSeparator: { $0.isWhitespace })
        guard let firstWord = words.first else { return (nil, nil) }
        if words.count == 1 { return (String(firstWord), nil) }
        switch self {
        case .none:
            return (words.joined(separator: " "), nil)
        case .firstSpace:
            return (String(firstWord), words.dropFirst().joined(separator: " "))
        case .lastSpace:
            return (words.dropLast().joined(separator: " "), String(words[words.count - 1]))
        }
    }
}
