import ArgumentParser
import Foundation
import ImportCore
import WorkOSClient
import WorkOSEmulator

/// `workos-import verify`: checks that WorkOS holds what a file says, writing nothing there.
///
/// Only wiring lives here: the work is ``ImportRun/verify(out:onDrift:)``.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that WorkOS holds what a file says, and list every difference.",
        discussion: """
            Takes the import's file and flags, reads back each row's user, organization, membership and \
            roles, and TOTP factor, and reports what differs: a missing user, membership or factor, a field \
            (first_name, last_name, email_verified, external_id, metadata) or roles that differ. Passwords \
            cannot be read back and are not checked.

            Examples:
              workos-import verify --csv users.csv --org-external-id acme
              workos-import verify --csv users.csv --out drift.csv --json

            Exit codes: 0 WorkOS holds every row; 1 something differs (or a row cannot be read or checked); \
            2 usage or configuration error.
            """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var organization: OrganizationOptions
    @OptionGroup var behaviour: BehaviourOptions
    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Write each difference here (CSV: line, email, difference, expected, found).")
    var out: String?

    @Flag(help: "No line per drifted row; only the summary.")
    var quiet = false

    @Flag(help: "Print only one JSON summary object on stdout.")
    var json = false

    func validate() throws {
        try input.validate()
        try organization.validate()
        try behaviour.validate()
        try connection.validate()
        try refuseImportOnlyFlags(behaviour, command: "verify")
        if connection.emulator && connection.baseURL != nil {
            throw ValidationError("--emulator and --base-url cannot be used together: pick one target.")
        }
        if let out, let problem = OutputPaths.problem(input: input.csvPath, outputs: [("--out", out)]) {
            throw ValidationError(problem)
        }
    }

    func run() async throws {
        input.warnAboutDeprecatedNames()
        let stdout = StandardOutput()
        let stderr = StandardError()
        let target = try await Target.open(connection, limits: behaviour.limits, stderr: stderr)
        let client = target.client(connection, maxConnections: behaviour.concurrency)
        let run = ImportRun(
            options: ImportRunOptions(
                csvPath: input.csvPath, configuration: behaviour.configuration(organization: organization),
                rowLines: false, environment: JournalEnvironment(baseURL: target.baseURL, apiKey: target.key),
                format: input.format, columnMapping: input.columnMapping),
            context: ImportContext(
                api: client, stdout: stdout, stderr: stderr, stderrIsTerminal: TerminalDetection.isTerminal(2),
                makeRunId: { UUID().uuidString.lowercased() }))
        let lines = !quiet && !json
        let result = await captureFatal { () throws(ImportError) in
            try await run.verify(out: out) { drift in if lines { stdout.write(SummaryFormatter.line(drift)) } }
        }
        await client.shutdown()
        await target.emulator?.shutdown()
        let summary = try fatalOnError { () throws(ImportError) in try result.get() }
        stdout.write(
            json
                ? SummaryFormatter.json(summary) + "\n"
                : SummaryFormatter.box(summary, color: TerminalDetection.useColor(for: 1)))
        throw ExitCode(summary.drifted == 0 ? 0 : 1)
    }
}
