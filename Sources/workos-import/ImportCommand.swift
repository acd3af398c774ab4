import ArgumentParser
import ImportCore
import WorkOSClient
import WorkOSEmulator

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `workos-import import` (the default subcommand): reads the CSV and imports its users.
///
/// Only wiring lives here: flags become an ``ImportRunOptions`` and the work happens in ``ImportRun``.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import users from a CSV file (the default command).",
        discussion: """
            Examples:
              workos-import --csv users.csv
              workos-import --csv users.csv --emulator     # rehearse locally
              workos-import --csv users.csv --dry-run      # check, call nothing
              workos-import --csv users.csv --dry-run --limits spec   # the API spec's looser limits
              workos-import --csv okta.csv --map email="Primary Email" --map first_name="Given Name"
              workos-import --csv users.csv --org-external-id acme \\
                --create-org-if-missing --org-name "Acme" --errors-out errors.csv

            The secret key comes from WORKOS_SECRET_KEY in the environment, else from a .env file in this \
            folder. Running the same command again after an interruption continues where it stopped.

            Exit codes: 0 every row succeeded; 1 some row failed (a row of --organizations, --roles or \
            --sso-connections too, or none \
            succeeded, or --max-failures stopped the run); 2 usage or \
            configuration error; 130 interrupted (run the same command again to continue).
            """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var organizationFile: OrganizationFileOptions
    @OptionGroup var roleFile: RoleFileOptions
    @OptionGroup var sso: SSOOptions
    @OptionGroup var organization: OrganizationOptions
    @OptionGroup var behaviour: BehaviourOptions
    @OptionGroup var pacing: PacingOptions
    @OptionGroup var importOnly: ImportOnlyOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var report: ReportOption
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var rehearsal: EmulatorOption

    func validate() throws {
        try input.validate()
        try organizationFile.validate(input: input)
        try roleFile.validate(input: input)
        try sso.validate(input: input)
        if importOnly.dryRun && sso.ssoOut != nil {
            throw ValidationError(
                "--sso-out lists the connections an import created; a dry run creates none: drop --sso-out.")
        }
        try organization.validate()
        try pacing.validate()
        try importOnly.validate()
        try connection.validate()
        // Checked here too, so a wrong path is named before anything else (the key, the network) is looked at.
        var outputs: [(flag: String, path: String)] = []
        for (flag, path) in [
            ("--errors-out", output.errorsOut), ("--rejects", output.rejects), ("--journal", importOnly.journal),
            ("--sso-out", sso.ssoOut),
        ] {
            if let path { outputs.append((flag, path)) }
        }
        if let problem = OutputPaths.problem(input: input.csvPath, outputs: outputs) {
            throw ValidationError(problem)
        }
        try report.validate(input: input.csvPath, outputs: outputs)
        if rehearsal.emulator && connection.baseURL != nil {
            throw ValidationError("--emulator and --base-url cannot be used together: pick one target.")
        }
        // The organization this run would create is held to the same external_id limit as the rows.
        if organization.createOrgIfMissing, let externalId = organization.orgExternalId {
            let limit = behaviour.limits.maximumExternalIdLength
            if !externalId.utf8.allSatisfy({ $0 < 0x80 }) || externalId.utf8.count > limit {
                throw ValidationError(
                    "--org-external-id must be ASCII and at most \(limit) characters (--limits "
                        + "\(behaviour.limits.rawValue)), or WorkOS will refuse to create the organization.")
            }
        }
    }

    func run() async throws {
        input.warnAboutDeprecatedNames()
        let stdout = StandardOutput()
        let stderr = StandardError()
        let stop = StopSignal()
        let interrupts = InterruptHandler(stop: stop, stderr: stderr)
        interrupts.install()
        let package = try input.openPackage(stderr: stderr)
        let organizationsPath = organizationFile.path(package: package)
        // A rehearsal's emulator lives only as long as this process, so its journal must not outlive it either.
        let rehearsalJournal =
            rehearsal.emulator && importOnly.journal == nil
            ? FileManager.default.temporaryDirectory.appendingPathComponent(
                "workos-import-\(UUID().uuidString).journal"
            ).path
            : nil
        defer { if let rehearsalJournal { try? FileManager.default.removeItem(atPath: rehearsalJournal) } }
        func makeRun(
            environment: JournalEnvironment, api: any WorkOSAPI,
            beforeFirstWrite: (@Sendable (RequestRunner) async -> String)? = nil
        ) -> ImportRun {
            var options = ImportRunOptions(
                csvPath: input.csvPath, configuration: configuration(),
                errorsOut: output.errorsOut, rejects: output.rejects,
                journalPath: importOnly.journal ?? rehearsalJournal, restart: importOnly.restart,
                rowLines: !output.quiet && !output.json, environment: environment,
                format: input.format, columnMapping: input.columnMapping)
            options.organizationsPath = organizationsPath
            options.verifyDomains = organizationFile.verifyDomains
            options.rolesPath = roleFile.path(package: package)
            sso.apply(to: &options, package: package)
            var context = ImportContext(
                api: api, stdout: stdout, stderr: stderr, stderrIsTerminal: TerminalDetection.isTerminal(2),
                color: TerminalDetection.useColor(for: 1), stop: stop, makeRunId: { UUID().uuidString.lowercased() })
            context.beforeFirstWrite = beforeFirstWrite
            return ImportRun(options: options, context: context)
        }

        if importOnly.dryRun {
            let run = makeRun(environment: JournalEnvironment(baseURL: "", keyFingerprint: ""), api: OfflineAPI())
            let summary = try fatalOnError { () throws(ImportError) in try run.dryRun() }
            stdout.write(output.json ? SummaryFormatter.json(summary) + "\n" : SummaryFormatter.box(summary))
            let written = report.write(
                {
                    RunReport(
                        dryRun: summary, inputFile: input.csvPath, coverage: summary.coverage, generatedAt: Date())
                },
                stderr: stderr)
            guard written else { throw ExitCode(2) }
            let organizationRowsFailed =
                (summary.organizationFile?.failed ?? 0) + (summary.roleFile?.failed ?? 0)
                + (summary.ssoConnections?.failed ?? 0) > 0
            throw ExitCode(summary.counts.failed > 0 || organizationRowsFailed || summary.counts.succeeded == 0 ? 1 : 0)
        }

        // The target: a built-in emulator for a rehearsal, or WorkOS (or --base-url) with the secret key.
        let target = try await Target.open(
            connection, emulator: rehearsal.emulator, limits: behaviour.limits, stderr: stderr)
        let (emulator, baseURL, key) = (target.emulator, target.baseURL, target.key)
        let client = target.client(connection, maxConnections: pacing.concurrency)
        // Webhook endpoints are listed beside the first read and reported once the key has passed it.
        let webhooks = WebhookAnnouncement(
            events: {
                [path = input.csvPath, format = input.format, mapping = input.columnMapping, settings = configuration()]
                in
                WebhookEvent.forImport(path: path, format: format, mapping: mapping, configuration: settings)
            }, api: client)
        let run = makeRun(
            environment: JournalEnvironment(baseURL: baseURL, apiKey: key), api: client,
            beforeFirstWrite: webhooks.check)
        let result = await captureFatal { () throws(ImportError) in try await run.run() }
        await client.shutdown()
        if let emulator {
            if case .success = result, !output.json { stdout.write(EmulatorReport.render(emulator.snapshot())) }
            await emulator.shutdown()
        }
        var summary = try fatalOnError { () throws(ImportError) in try result.get() }
        // A rehearsal's journal is gone when the process ends; naming it would only confuse.
        summary.files.removeAll { $0.path == rehearsalJournal }
        if let failed = summary.stoppedAfterFailures {
            stderr.write(
                "Stopped after \(failed) failed rows (--max-failures): something is failing every row. Read the "
                    + "reasons above (or in --errors-out), fix the cause, then run the same command again to "
                    + "continue; or raise --max-failures.\n")
        }
        let json = output.json ? target.json(SummaryFormatter.json(summary), adding: webhooks.jsonMembers) : ""
        stdout.write(output.json ? json + "\n" : SummaryFormatter.box(summary))
        let written = report.write(
            {
                RunReport(
                    importing: summary, target: target.described, inputFile: input.csvPath,
                    coverage: run.fileCoverage(), generatedAt: Date())
            }, stderr: stderr)
        throw ExitCode(written ? Self.exitCode(for: summary) : 2)
    }

    /// 130 when interrupted; 0 when every processed row succeeded and at least one did; 1 otherwise.
    static func exitCode(for summary: ImportSummary) -> Int32 {
        if summary.interrupted { return 130 }
        let organizationRowsFailed =
            (summary.organizationFile?.failed ?? 0) + (summary.roleFile?.failed ?? 0)
            + (summary.ssoConnections?.failed ?? 0)
        return summary.counts.failed == 0 && organizationRowsFailed == 0 && summary.counts.succeeded > 0 ? 0 : 1
    }

    private func configuration() -> ImportConfiguration {
        behaviour.configuration(organization: organization, pacing: pacing, maxFailures: importOnly.maxFailures.limit)
    }
}

func captureFatal<T>(_ body: () async throws(ImportError) -> T) async -> Result<T, ImportError> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}

func fatalOnError<T>(_ body: () throws(ImportError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw Fatal(error.description)
    }
}
