#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Checks the WorkOS API address (`--base-url`, `WORKOS_BASE_URL`) before any request, so a typo is named
/// as what it is instead of surfacing as a network error after every retry.
///
/// The address must be `https://host` or `http://host` (a port is allowed, and a path, which the first
/// request then checks: `…/v1` answers 404). `api.workos.com` or `localhost:8080` without a scheme is the
/// usual slip.
public enum BaseURLRule {
    /// The sentence saying what is wrong with `text`, given through `source` (`--base-url` or
    /// `WORKOS_BASE_URL`), and how to write it; `nil` when it is usable.
    public static func problem(_ text: String, source: String) -> String? {
        let example = "e.g. https://api.workos.com (or http://127.0.0.1:PORT for a local emulator)"
        let shown = DisplayText.quoted(text, limit: 80)
        if text.isEmpty {
            return "\(source) is empty: give the WorkOS API address, \(example)."
        }
        if text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
            return "\(source) \(shown) has a space or a control character in it: give the address alone, \(example)."
        }
        guard let separator = text.firstRange(of: "://") else {
            return "\(source) \(shown) has no scheme: write the address in full, \(example)."
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else {
            return "\(source) \(shown) starts with \(DisplayText.quoted(String(scheme), limit: 20)), not https:// or "
                + "http://: write the address in full, \(example)."
        }
        let rest = text[separator.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if rest.contains("?") || rest.contains("#") {
            return "\(source) \(shown) has a query or a fragment (? or #): give the address alone, \(example)."
        }
        if authority.contains("@") {
            // Not shown: what is before the @ may be a password.
            return "\(source) has a user name or password in it: give the address alone, \(example)."
        }
        var host = Substring(authority)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else {
                return "\(source) \(shown) has an unclosed [ in its host: \(example)."
            }
            let port = host[host.index(after: close)...]
            host = host[..<host.index(after: close)]
            if let problem = portProblem(port, source: source, shown: shown, example: example) { return problem }
        } else if let colon = host.firstIndex(of: ":") {
            let port = host[colon...]
            host = host[..<colon]
            if let problem = portProblem(port, source: source, shown: shown, example: example) { return problem }
        }
        if host.isEmpty {
            return "\(source) \(shown) names no host: \(example)."
        }
        return nil
    }

    /// `:PORT` must be a number from 1 to 65535.
    private static func portProblem(_ port: Substring, source: String, shown: String, example: String) -> String? {
        guard !port.isEmpty else { return nil }
        let digits = port.dropFirst()
        guard port.first == ":", !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let number = Int(digits), (1...65_535).contains(number)
        else {
            return "\(source) \(shown) has a port that is not a number from 1 to 65535: \(example)."
        }
        return nil
    }
}
