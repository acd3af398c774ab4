import ArgumentParser
import Foundation
import ImportCore

/// A problem that stops the command before or during the import: printed as one sentence, exit code 2.
struct Fatal: Error, CustomStringConvertible {
    var description: String

    init(_ message: String) {
        description = message
    }
}

/// Turns parse errors, validation errors and ``Fatal`` into exit code 2 with a sentence on stderr; passes
/// `--help`, `--version` and explicit exit codes through.
enum ExitStatus {
    static func exit(for error: any Error, command: any ParsableCommand.Type) -> Never {
        if let fatal = error as? Fatal {
            StandardError().write("error: \(fatal.description)\n")
            Foundation.exit(2)
        }
        if let code = error as? ExitCode {
            Foundation.exit(code.rawValue)
        }
        let code = command.exitCode(for: error)
        if code == .success {
            command.exit(withError: error)
        }
        StandardError().write(command.fullMessage(for: error) + "\n")
        Foundation.exit(2)
    }
}
