import Foundation

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
    public static func find(
        environment: [String: String], dotEnvPath: String = ".env"
    ) -> (key: String, origin: Origin)? {
        if let key = environment[variable]?.trimmingCharacters(in: .whitespaces), !key.isEmpty {
            return (key, .environment)
        }
        guard let text = try? String(contentsOfFile: dotEnvPath, encoding: .utf8),
            let key = DotEnv.parse(text)[variable], !key.isEmpty
        else { return nil }
        return (key, .dotEnv(path: dotEnvPath))
    }

    /// The message for a missing key, with how to set it.
    public static let missingMessage = """
        WORKOS_SECRET_KEY is missing. Set it in the environment (export WORKOS_SECRET_KEY=sk_...) or put \
        the line WORKOS_SECRET_KEY=sk_... in a .env file in this folder. To try the tool without a key, \
        add --emulator or --dry-run.
        """
}

/// A minimal `.env` reader: `NAME=value` lines, optional `export `, single or double quotes, `#` comments.
public enum DotEnv {
    /// The variables a `.env` text defines; later lines win.
    public static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if let quote = value.first, quote == "\"" || quote == "'", value.count >= 2, value.last == quote {
                value = String(value.dropFirst().dropLast())
            } else if let comment = value.range(of: " #") {
                value = value[..<comment.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            if !name.isEmpty { values[name] = value }
        }
        return values
    }
}
