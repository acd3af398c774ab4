#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Finds the WorkOS secret key: `WORKOS_SECRET_KEY` in the environment wins, else the same name in a `.env`
/// file in the working directory. The key is returned, never printed.
public enum SecretKeySource {
    /// The variable both places use.
    public static let variable = "WORKOS_SECRET_KEY"

    /// Where a key was found, for messages that must not show the key itself.
    public enum Origin: Sendable, Equatable {
        case environment
        case dotEnv(path: String)
    }

    /// The key and where it came from, or `nil` when neither place has a non-empty one.
    ///
    /// Spaces, tabs and line breaks around the key are dropped in both places: `$'sk_…\r'` from a file saved
    /// on Windows, or a key pasted with its newline, is the same key. Characters inside it are kept, for
    /// ``read(environment:dotEnvPath:)`` to refuse.
    public static func find(
        environment: [String: String], dotEnvPath: String = ".env"
    ) -> (key: String, origin: Origin)? {
        if let key = environment[variable]?.trimmingSpacesAndNewlines(), !key.isEmpty {
            return (key, .environment)
        }
        guard let text = try? String(contentsOfFile: dotEnvPath, encoding: .utf8),
            let key = DotEnv.parse(text)[variable]?.trimmingSpacesAndNewlines(), !key.isEmpty
        else { return nil }
        return (key, .dotEnv(path: dotEnvPath))
    }

    /// The key and where it came from, ready to send.
    ///
    /// - Throws: ``SecretKeyProblem/missing`` when neither place has one;
    ///   ``SecretKeyProblem/unusable(origin:character:position:)`` when the key holds a space, a control
    ///   character or a non-ASCII one. No HTTP library takes such a header, and the error it gives back would
    ///   quote the header, key and all.
    public static func read(
        environment: [String: String], dotEnvPath: String = ".env"
    ) throws(SecretKeyProblem) -> (key: String, origin: Origin) {
        guard let found = find(environment: environment, dotEnvPath: dotEnvPath) else { throw .missing }
        for (offset, scalar) in found.key.unicodeScalars.enumerated() where !(0x21...0x7E).contains(scalar.value) {
            throw .unusable(origin: found.origin, character: Self.name(of: scalar), position: offset + 1)
        }
        return found
    }

    /// What a character is called in a message (never the key's other characters).
    static func name(of scalar: Unicode.Scalar) -> String {
        switch scalar {
        case " ": "a space"
        case "\t": "a tab"
        case "\r": "a carriage return"
        case "\n": "a line feed"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            "a control character (U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4) + ")"
        default: "a character that is not plain ASCII"
        }
    }

    /// The message for a missing key, with how to set it.
    public static let missingMessage = """
        WORKOS_SECRET_KEY is missing. Set it in the environment (export WORKOS_SECRET_KEY=sk_...) or put \
        the line WORKOS_SECRET_KEY=sk_... in a .env file in this folder. To try the tool without a key, \
        add --emulator or --dry-run.
        """
}

/// Why the secret key cannot be used; each message says how to fix it and never shows the key.
public enum SecretKeyProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// Neither the environment nor `.env` has a key.
    case missing
    /// The key holds `character` (a description such as "a tab") at 1-based `position`.
    case unusable(origin: SecretKeySource.Origin, character: String, position: Int)

    public var description: String {
        switch self {
        case .missing:
            return SecretKeySource.missingMessage
        case .unusable(let origin, let character, let position):
            let place =
                switch origin {
                case .environment: "WORKOS_SECRET_KEY in the environment"
                case .dotEnv(let path): "WORKOS_SECRET_KEY in \(path)"
                }
            return "\(place) has \(character) inside it (character \(position)); a WorkOS secret key is one word of "
                + "letters, digits and underscores. Copy the key again from the WorkOS Dashboard (API Keys) and "
                + "set it without that character, e.g. export WORKOS_SECRET_KEY=sk_..."
        }
    }
}

extension String {
    /// The text with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// A minimal `.env` reader: `NAME=value` lines, optional `export `, single or double quotes, `#` comments.
public enum DotEnv {
    /// The variables a `.env` text defines; later lines win.
    public static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = rawLine.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].trimmingSpaces()
            var value = line[line.index(after: equals)...].trimmingSpaces()
            if let quote = value.first, quote == "\"" || quote == "'", value.count >= 2, value.last == quote {
                value = String(value.dropFirst().dropLast())
            } else if let comment = value.firstRange(of: " #") {
                value = value[..<comment.lowerBound].trimmingSpaces()
            }
            if !name.isEmpty { values[name] = value }
        }
        return values
    }
}
