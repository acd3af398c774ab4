import ArgumentParser
import Foundation
import ImportCore
import WorkOSClient

/// A problem that stops the command before or during the import: printed as one sentence, exit code 2.
struct Fatal: Error, CustomStringConvertible {
    var description: String

    init(_ message: String) {
        description = message
    }
}

/// Turns parse errors, validation errors and ``Fatal`` into exit code 2 with a sentence on stderr; passes
/// `--help`, `--version` and explicit exit codes through.
///
/// Every error text that ends the process passes here, so here the secret key is masked in it, whatever
/// made the text (a library's error quoting a header, a flag value that was the key pasted in the wrong
/// place).
enum ExitStatus {
    static func exit(for error: any Error, command: any ParsableCommand.Type) -> Never {
        let redaction = keyRedaction()
        if let fatal = error as? Fatal {
            let message = redaction.apply(fatal.description)
            StandardError().write("error: \(message)\n")
            printJSONError(message)
            Foundation.exit(2)
        }
        if let code = error as? ExitCode {
            Foundation.exit(code.rawValue)
        }
        let code = command.exitCode(for: error)
        if code == .success {
            command.exit(withError: error)
        }
        let message = redaction.apply(command.fullMessage(for: error))
        StandardError().write(message + "\n")
        printJSONError(message)
        Foundation.exit(2)
    }

    /// The secret key as this process could have read it (the raw environment value, and the `.env` one),
    /// for masking.
    static func keyRedaction() -> SecretRedaction {
        let environment = ProcessInfo.processInfo.environment
        var secrets = [environment[SecretKeySource.variable] ?? ""]
        if let found = SecretKeySource.find(environment: environment) { secrets.append(found.key) }
        if let fromFile = SecretKeySource.find(environment: [:]) { secrets.append(fromFile.key) }
        return SecretRedaction(secrets)
    }

    /// With `--json`, stdout must still carry one JSON object, so a script reading it learns why the run
    /// stopped: `{"error":"…","exitCode":2,"status":"error"}`.
    private static func printJSONError(_ message: String) {
        guard CommandLine.arguments.dropFirst().contains("--json") else { return }
        struct ErrorSummary: Encodable {
            var error: String
            var exitCode = 2
            var status = "error"
            enum CodingKeys: String, CodingKey { case error, exitCode, status }
        }
        let firstLine = message.split(separator: "\n").first.map(String.init) ?? message
        let text = message.hasPrefix("Error: ") ? String(firstLine.dropFirst(7)) : firstLine
        guard let data = try? DeterministicJSON.makeEncoder().encode(ErrorSummary(error: text)) else { return }
        StandardOutput().write(String(decoding: data, as: UTF8.self) + "\n")
    }
}
