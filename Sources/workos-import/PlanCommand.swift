import ArgumentParser
import Foundation
import ImportCore
import WorkOSClient
import WorkOSEmulator

/// `workos-import plan`: what the import of a file would do in the live environment, with nothing written.
///
/// Only wiring lives here: the work is ``ImportRun/plan(out:)``.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what an import would do in WorkOS, row by row, writing nothing there.",
        discussion: """
            Takes the import's file and flags. Reads what the environment holds (paging through its users \
            and the organizations' memberships when the file is large, one look-up per row when it is small) \
            and runs the import's own rules against it, with every write answered instead of sent.

            Examples:
              workos-import plan --csv users.csv --org-external-id acme
              workos-import plan --csv users.csv --if-exists update --out plan.csv --json

            Exit codes: 0 every row would succeed; 1 some row would fail; 2 usage or configuration error.
            """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var organization: OrganizationOptions
    @OptionGroup var behaviour: BehaviourOptions
    @OptionGroup var connection: ConnectionOptions

    @Option(
        help:
            "Write each row's prediction here (CSV: line, email, user, organization, membership, factor, changes, reason)."
    )
    var out: String?

    @Flag(help: "Print only one JSON summary object on stdout.")
    var json = false

    func validate() throws {
        try input.validate()
        try organization.validate()
        try behaviour.validate()
        try connection.validate()
        try refuseImportOnlyFlags(behaviour, command: "plan")
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
        let result = await captureFatal { () throws(ImportError) in try await run.plan(out: out) }
        await client.shutdown()
        await target.emulator?.shutdown()
        let summary = try fatalOnError { () throws(ImportError) in try result.get() }
        stdout.write(
            json
                ? SummaryFormatter.json(summary) + "\n"
                : SummaryFormatter.box(summary, color: TerminalDetection.useColor(for: 1)))
        throw ExitCode(summary.allSucceed ? 0 : 1)
    }
}

/// `plan` and `verify` keep no journal and change nothing: the import's flags about journals, dry runs and
/// stopping are refused rather than ignored.
func refuseImportOnlyFlags(_ behaviour: BehaviourOptions, command: String) throws {
    if behaviour.dryRun {
        throw ValidationError("\(command) writes nothing already; drop --dry-run.")
    }
    if behaviour.journal != nil || behaviour.restart {
        throw ValidationError("\(command) keeps no journal; drop --journal and --restart.")
    }
}
