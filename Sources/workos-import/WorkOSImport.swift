import ArgumentParser
import Foundation

/// The `workos-import` command: imports users from a CSV file into WorkOS User Management.
///
/// `import` is the default subcommand, so `workos-import --csv users.csv` imports.
@main
struct WorkOSImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workos-import",
        abstract: "Import users from a CSV file into WorkOS User Management.",
        version: "0.1.0",
        subcommands: [
            ImportCommand.self, PlanCommand.self, VerifyCommand.self, ConvertCommand.self, EmulateCommand.self,
            GenerateCommand.self, UndoCommand.self, ExportCommand.self,
        ],
        defaultSubcommand: ImportCommand.self
    )

    /// Parses and runs, mapping every usage or configuration error to exit code 2.
    static func main() async {
        // Writing to a closed pipe (`| head`) must end output, not kill the import mid-row.
        signal(SIGPIPE, SIG_IGN)
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.elementsEqual(["--help"]) || arguments.elementsEqual(["-h"]) {
            // Plain `--help` explains the import flags, since import is what the command does.
            print(helpMessage(for: ImportCommand.self))
            print(
                "\nOTHER COMMANDS:\n  convert    Convert a Firebase, Auth0, Clerk, Cognito or Supabase export (workos-import convert --help)."
            )
            print("  plan       Show what an import would do, writing nothing (workos-import plan --help).")
            print("  verify     Check that WorkOS holds what a file says (workos-import verify --help).")
            print("  emulate    Serve a local WorkOS emulator (workos-import emulate --help).")
            print("  generate   Write a CSV file of test users (workos-import generate --help).")
            print("  undo       Delete what an import created, from its journal (workos-import undo --help).")
            print(
                "  export     Write an environment's users to a CSV file the import reads (workos-import export --help)."
            )
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
}
