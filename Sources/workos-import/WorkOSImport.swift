import ArgumentParser

/// The `workos-import` command: imports users from a CSV file into WorkOS User Management.
///
/// `import` is the default subcommand, so `workos-import --csv users.csv` imports.
@main
struct WorkOSImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workos-import",
        abstract: "Import users from a CSV file into WorkOS User Management.",
        version: "0.1.0",
        subcommands: [ImportCommand.self, EmulateCommand.self, GenerateCommand.self],
        defaultSubcommand: ImportCommand.self
    )

    /// Parses and runs, mapping every usage or configuration error to exit code 2.
    static func main() async {
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
