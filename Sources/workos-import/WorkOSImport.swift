import ArgumentParser
import ImportCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `workos-import` command: imports users from a CSV file into WorkOS User Management.
///
/// `import` is the default subcommand, so `workos-import --csv users.csv` imports.
@main
struct WorkOSImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workos-import",
        abstract: "Import users from a CSV file into WorkOS User Management.",
        version: BuildInfo.versionLine,
        subcommands: [
            ImportCommand.self, PlanCommand.self, VerifyCommand.self, ConvertCommand.self, EmulateCommand.self,
            GenerateCommand.self, UndoCommand.self, ExportCommand.self,
        ],
        defaultSubcommand: ImportCommand.self
    )

    /// Parses and runs, mapping every usage or configuration error to exit code 2.
    static func main() async {
        AllocatorArenas.limit()
        OpenFileLimit.raise()
        // Writing to a closed pipe (`| head`) must end output, not kill the import mid-row.
        signal(SIGPIPE, SIG_IGN)
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.elementsEqual(["--help"]) || arguments.elementsEqual(["-h"]) {
            // Plain `--help` explains the import flags, since import is what the command does.
            print(helpMessage(for: ImportCommand.self))
            print("\n" + otherCommands())
            return
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            ExitStatus.exit(for: error, command: self)
        }
    }

    /// The "OTHER COMMANDS" list of plain `--help`: every subcommand but the default one, in the order the
    /// configuration lists them, each with its own abstract, so a new subcommand appears without editing text.
    static func otherCommands() -> String {
        let defaultCommand = configuration.defaultSubcommand.map(ObjectIdentifier.init)
        let commands = configuration.subcommands.filter { ObjectIdentifier($0) != defaultCommand }
        let names = commands.map { $0.configuration.commandName ?? $0._commandName }
        let width = (names.map(\.count).max() ?? 0) + 4
        var lines = ["OTHER COMMANDS:"]
        for (command, name) in zip(commands, names) {
            var abstract = command.configuration.abstract
            if abstract.hasSuffix(".") { abstract.removeLast() }
            let padding = String(repeating: " ", count: width - name.count)
            lines.append("  \(name)\(padding)\(abstract) (workos-import \(name) --help).")
        }
        return lines.joined(separator: "\n")
    }
}
