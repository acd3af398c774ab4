/// Email rules the emulator applies: what counts as email-shaped and how addresses compare.
enum EmailAddress {
    /// The comparison form: trimmed and lowercased. WorkOS treats addresses as unique ignoring case.
    static func normalized(_ email: String) -> String {
        trimmed(email).lowercased()
    }

    /// The stored form: surrounding whitespace removed, case kept.
    static func trimmed(_ email: String) -> String {
        var scalars = Substring(email).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// Email-shaped: one `@`, neither first nor last, no whitespace, and a dot-free-or-not domain
    /// part without empty labels.
    static func isValid(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        guard !email.unicodeScalars.contains(where: { $0.properties.isWhitespace }) else { return false }
        let domain = parts[1]
        return !domain.hasPrefix(".") && !domain.hasSuffix(".") && !domain.contains("..")
    }
}
