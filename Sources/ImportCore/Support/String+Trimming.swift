extension StringProtocol {
    /// The text without leading and trailing spaces and tabs: what Foundation's
    /// `trimmingCharacters(in: .whitespaces)` removes (Unicode space separators and the tab), for settings,
    /// flag values and header values. FoundationEssentials, which the binary uses instead of Foundation,
    /// has no `CharacterSet`.
    public func trimmingSpaces() -> String {
        trimming { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }

    /// The text without leading and trailing spaces, tabs and line breaks: what Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` removes.
    public func trimmingSpacesAndNewlines() -> String {
        trimming { scalar in
            switch scalar.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator: true
            default: scalar == "\t" || ("\n"..."\r").contains(scalar) || scalar == "\u{85}"
            }
        }
    }

    private func trimming(_ drops: (Unicode.Scalar) -> Bool) -> String {
        let scalars = String(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !drops($0) }),
            let last = scalars.lastIndex(where: { !drops($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
