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
        if let parts = splitPlainText(displayName) { return parts }
        let words = displayName.split(whereSeparator: { $0.isWhitespace })
        return join(words.map { String($0) })
    }

    private func join(_ words: [String]) -> (first: String?, last: String?) {
        guard let firstWord = words.first else { return (nil, nil) }
        if words.count == 1 { return (firstWord, nil) }
        switch self {
        case .none:
            return (words.joined(separator: " "), nil)
        case .firstSpace:
            return (firstWord, words.dropFirst().joined(separator: " "))
        case .lastSpace:
            return (words.dropLast().joined(separator: " "), words[words.count - 1])
        }
    }

    /// The same split on the UTF-8 bytes for names of ASCII and Latin letters (U+00C0 to U+027F), which
    /// are most names and where every whitespace character is one ASCII byte and no character joins with
    /// the next; `nil` for any other text, which takes the character-by-character way.
    private func splitPlainText(_ displayName: String) -> (first: String?, last: String?)? {
        var text = displayName
        return text.withUTF8 { bytes -> (first: String?, last: String?)? in
            var words: [Range<Int>] = []
            var wordStart: Int? = nil
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte >= 0x80 {
                    // A two-byte sequence led by 0xC3 to 0xC9 is a letter from U+00C0 to U+027F.
                    guard (0xC3...0xC9).contains(byte) else { return nil }
                    if wordStart == nil { wordStart = index }
                    index += 2
                    continue
                }
                if byte == 0x20 || (0x09...0x0D).contains(byte) {
                    if let open = wordStart { words.append(open..<index) }
                    wordStart = nil
                } else if wordStart == nil {
                    wordStart = index
                }
                index += 1
            }
            if let open = wordStart { words.append(open..<bytes.count) }
            func word(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            switch words.count {
            case 0: return (nil, nil)
            case 1: return (word(words[0]), nil)
            case 2 where self != .none: return (word(words[0]), word(words[1]))
            default: return join(words.map(word))
            }
        }
    }
}
