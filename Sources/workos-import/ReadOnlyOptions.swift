import ArgumentParser
import Foundation
import ImportCore
import WorkOSClient
import WorkOSEmulator

/// The import's flags, as `plan` and `verify` take them, and the run they make: the same file, columns,
/// organization and pacing, against the same target, with nothing written to WorkOS.
struct ReadOnlyOptions: ParsableArguments {
    @OptionGroup var input: InputOptions
    @OptionGroup var organization: OrganizationOptions
    @OptionGroup var behaviour: BehaviourOptions
    @OptionGroup var connection: ConnectionOptions

    /// Checks the flags of `command`, whose per-row file is `out`. The import's flags about journals and
    /// dry runs are refused rather than ignored: these commands keep no journal and change nothing.
    func validate(command: String, out: String?) throws {
        try input.validate()
        try organization.validate()
        try behaviour.validate()
        try connection.validate()
        if behaviour.dryRun {
            throw ValidationError("\(command) writes nothing already; drop --dry-run.")
        }
        if behaviour.journal != nil || behaviour.restart {
            throw ValidationError("\(command) keeps no journal; drop --journal and --restart.")
        }
        if connection.emulator && connection.baseURL != nil {
            throw ValidationError("--emulator and --base-url cannot be used together: pick one target.")
        }
        if let out, let problem = OutputPaths.problem(input: input.csvPath, outputs: [("--out", out)]) {
            throw ValidationError(problem)
        }
    }

    /// Opens the target, runs `body` with an ``ImportRun`` of these flags, closes everything, and returns
    /// what `body` made (a fatal error exits 2 with its sentence).
    ///
    /// Ctrl-C, SIGTERM and SIGHUP are handled by the shared ``InterruptHandler``: the run stops reading new
    /// rows, finishes those in flight, and `body` returns a summary that says it was interrupted.
    func withRun<Value>(
        stdout: any TextSink, stderr: any TextSink,
        _ body: (ImportRun) async -> Result<Value, ImportError>
    ) async throws -> Value {
        let stop = StopSignal()
        InterruptHandler(stop: stop, stderr: stderr, wording: .readOnly).install()
        input.warnAboutDeprecatedNames()
        let target = try await Target.open(connection, limits: behaviour.limits, stderr: stderr)
        let client = target.client(connection, maxConnections: behaviour.concurrency)
        let run = ImportRun(
            options: ImportRunOptions(
                csvPath: input.csvPath, configuration: behaviour.configuration(organization: organization),
                rowLines: false, environment: JournalEnvironment(baseURL: target.baseURL, apiKey: target.key),
                format: input.format, columnMapping: input.columnMapping),
            context: ImportContext(
                api: client, stdout: stdout, stderr: stderr, stderrIsTerminal: TerminalDetection.isTerminal(2),
                stop: stop, makeRunId: { UUID().uuidString.lowercased() }))
        let result = await body(run)
        await client.shutdown()
        await target.emulator?.shutdown()
        return try fatalOnError { () throws(ImportError) in try result.get() }
    }
}
