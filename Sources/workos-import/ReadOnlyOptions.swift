import ArgumentParser
import ImportCore
import WorkOSClient
import WorkOSEmulator

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The import's flags that describe the rows and their target, as `plan` and `verify` take them, and the run
/// they make: the same file, columns, organization and pacing, against the same target, with nothing written
/// to WorkOS. The import's own flags (`--dry-run`, `--journal`, `--restart`, `--max-failures`, `--errors-out`,
/// `--rejects`) are not among them, so `--help` lists only what these commands use.
struct ReadOnlyOptions: ParsableArguments {
    @OptionGroup var input: InputOptions
    @OptionGroup var organization: OrganizationOptions
    @OptionGroup var behaviour: BehaviourOptions
    @OptionGroup var pacing: PacingOptions
    @OptionGroup var connection: ConnectionOptions

    /// The import's own flags, not in `--help`: taken only to refuse them with a sentence instead of
    /// "unknown option", since a command line copied from an import often carries them.
    @OptionGroup(visibility: .private) var refused: RefusedImportFlags

    /// Checks the flags of `command`, whose per-row file is `out`.
    func validate(command: String, out: String?) throws {
        try input.validate()
        try organization.validate()
        try pacing.validate()
        try connection.validate()
        if let problem = refused.problem(command: command) { throw ValidationError(problem) }
        if let out, let problem = OutputPaths.problem(input: input.csvPath, outputs: [("--out", out)]) {
            throw ValidationError(problem)
        }
    }

    /// Opens the target, runs `body` with an ``ImportRun`` of these flags, closes everything, and returns
    /// what `body` made (a fatal error exits 2 with its sentence) and the target, for `--json`.
    ///
    /// Ctrl-C, SIGTERM and SIGHUP are handled by the shared ``InterruptHandler``: the run stops reading new
    /// rows, finishes those in flight, and `body` returns a summary that says it was interrupted.
    ///
    /// - Parameters:
    ///   - organizationFile: `plan`'s organizations file flags; verify has none.
    ///   - roleFile: `plan`'s and `verify`'s roles file flag.
    ///   - sso: `plan`'s SSO connection flags.
    ///   - ssoChecklist: `verify --sso-checklist`.
    func withRun<Value>(
        stdout: any TextSink, stderr: any TextSink, organizationFile: OrganizationFileOptions? = nil,
        roleFile: RoleFileOptions? = nil, sso: SSOInputOptions? = nil, ssoChecklist: String? = nil,
        _ body: (ImportRun) async -> Result<Value, ImportError>
    ) async throws -> (value: Value, target: Target) {
        let stop = StopSignal()
        InterruptHandler(stop: stop, stderr: stderr, wording: .readOnly).install()
        input.warnAboutDeprecatedNames()
        let package = try input.openPackage(stderr: stderr)
        let target = try await Target.open(connection, emulator: false, limits: behaviour.limits, stderr: stderr)
        let client = target.client(connection, maxConnections: pacing.concurrency)
        var options = ImportRunOptions(
            csvPath: input.csvPath,
            configuration: behaviour.configuration(organization: organization, pacing: pacing),
            rowLines: false, environment: JournalEnvironment(baseURL: target.baseURL, apiKey: target.key),
            format: input.format, columnMapping: input.columnMapping)
        options.organizationsPath = organizationFile?.path(package: package)
        options.verifyDomains = organizationFile?.verifyDomains ?? false
        options.rolesPath = roleFile?.path(package: package)
        sso?.apply(to: &options, package: package)
        options.ssoChecklistPath = ssoChecklist
        let run = ImportRun(
            options: options,
            context: ImportContext(
                api: client, stdout: stdout, stderr: stderr, stderrIsTerminal: TerminalDetection.isTerminal(2),
                stop: stop, makeRunId: { UUID().uuidString.lowercased() }))
        let result = await body(run)
        await client.shutdown()
        await target.emulator?.shutdown()
        return (try fatalOnError { () throws(ImportError) in try result.get() }, target)
    }
}
