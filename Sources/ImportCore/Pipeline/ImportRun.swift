import Foundation
import WorkOSClient

/// Everything one invocation of the import needs to know, as the command parsed it from flags.
public struct ImportRunOptions: Sendable {
    public var csvPath: String
    public var configuration: ImportConfiguration
    public var dryRun: Bool
    /// `--errors-out`: where failed rows are explained (.csv, .jsonl or JSON).
    public var errorsOut: String?
    /// `--rejects`: where failed rows are copied in the input's own columns.
    public var rejects: String?
    /// `--journal`: the journal's path; by default ``ImportRunOptions/defaultJournalPath(for:)``.
    public var journalPath: String?
    /// `--restart`: ignore an unfinished journal and start over.
    public var restart: Bool
    /// Print a line per row on stdout.
    public var rowLines: Bool

    public init(
        csvPath: String, configuration: ImportConfiguration, dryRun: Bool = false, errorsOut: String? = nil,
        rejects: String? = nil, journalPath: String? = nil, restart: Bool = false, rowLines: Bool = true
    ) {
        self.csvPath = csvPath
        self.configuration = configuration
        self.dryRun = dryRun
        self.errorsOut = errorsOut
        self.rejects = rejects
        self.journalPath = journalPath
        self.restart = restart
        self.rowLines = rowLines
    }

    /// The journal sits beside the CSV file: `users.csv` → `users.csv.journal`.
    public static func defaultJournalPath(for csvPath: String) -> String {
        csvPath + ".journal"
    }
}

/// The result of one invocation.
public enum ImportRunResult: Sendable, Equatable {
    case imported(ImportSummary)
    case dryRun(DryRunSummary)
}

/// Prepares and runs one import: opens the CSV, decides between a new run and a resume from the journal,
/// resolves the organization, opens the output files, runs the ``ImportPipeline`` and closes everything.
public struct ImportRun {
    let options: ImportRunOptions
    let stdout: any TextSink
    let stderr: any TextSink
    let stderrIsTerminal: Bool
    let color: Bool
    let stop: StopSignal

    /// - Parameters:
    ///   - stderrIsTerminal: draw a live progress line instead of a periodic plain one.
    ///   - color: colour the per-row marks on stdout.
    public init(
        options: ImportRunOptions, stdout: any TextSink, stderr: any TextSink, stderrIsTerminal: Bool,
        color: Bool = false, stop: StopSignal
    ) {
        self.options = options
        self.stdout = stdout
        self.stderr = stderr
        self.stderrIsTerminal = stderrIsTerminal
        self.color = color
        self.stop = stop
    }

    /// Checks every row without calling WorkOS (`--dry-run`); needs no API key.
    public func dryRun() throws(ImportError) -> DryRunSummary {
        let started = ContinuousClock.now
        let (reader, validator) = try open()
        let recorder = OutcomeRecorder(
            outputs: try outputs(header: reader.header, append: false, journal: nil, total: nil))
        try ImportPipeline(reader: reader, validator: validator, recorder: recorder, stop: stop).dryRun()
        try recorder.closeFiles()
        let counts = recorder.summary
        var summary = DryRunSummary(
            total: counts.imported + counts.failed, usersToCreate: counts.imported, failed: counts.failed,
            warnings: counts.warnings, durationSeconds: Self.seconds(since: started))
        if options.configuration.organization != .none { summary.membershipsToCreate = counts.imported }
        if case .externalId(_, let name?) = options.configuration.organization {
            summary.organizationToCreate = name
        }
        return summary
    }

    /// Imports the file into WorkOS through `api`.
    public func run(api: any WorkOSAPI) async throws(ImportError) -> ImportSummary {
        let started = ContinuousClock.now
        let configuration = options.configuration
        let (reader, validator) = try open()

        // Decide between a fresh run and a resume before anything is written.
        let journalPath = options.journalPath ?? ImportRunOptions.defaultJournalPath(for: options.csvPath)
        let settings = JournalSettings(
            org: configuration.organization.journalDescription, ifExists: configuration.ifExists.rawValue,
            requireMembership: configuration.requireMembership)
        let decision: JournalDecision
        let fingerprint: CSVFingerprint
        do {
            fingerprint = try CSVFingerprint.compute(path: options.csvPath)
            let existing = options.restart ? nil : try JournalReplay.load(path: journalPath)
            decision = try decide(
                existing: existing, csv: fingerprint, settings: settings, restart: options.restart,
                journalPath: journalPath)
        } catch {
            throw .journal(error)
        }
        var resumed: JournalState?
        if case .resume(let state) = decision { resumed = state }
        let runId = resumed?.header.runId ?? UUID().uuidString.lowercased()
        // Milliseconds, as the journal stores them, so a first run and its resumes compare creation times alike.
        let runStartedAt = resumed?.header.startedAt ?? Timestamp.truncatedToMilliseconds(Date())

        let pacer = RequestPacer(ratePerSecond: configuration.rateLimit)
        let runner = RequestRunner(pacer: pacer, policy: RetryPolicy(maxRetries: configuration.maxRetries))
        let organizationId = try await OrganizationResolver(api: api, runner: runner, runId: runId)
            .resolve(configuration.organization, log: stderr)

        let journal: JournalWriter
        do throws(JournalError) {
            if let resumed {
                journal = try JournalWriter.append(path: journalPath)
                stderr.write(
                    "Resuming the interrupted import from \(journalPath): \(resumed.settled.count) rows already "
                        + "done are skipped.\n")
            } else {
                let header = JournalHeader(
                    runId: runId, startedAt: runStartedAt, csv: fingerprint, settings: settings)
                journal = try JournalWriter.create(path: journalPath, header: header)
            }
        } catch {
            throw .journal(error)
        }
        // Progress counts this run's rows, so a resumed run's total leaves out the rows already settled.
        let total = (try? fastRecordCount(path: options.csvPath)).map { $0 - (resumed?.settled.count ?? 0) }
        let recorder = OutcomeRecorder(
            outputs: try outputs(header: reader.header, append: resumed != nil, journal: journal, total: total),
            initial: ImportSummary(
                imported: resumed?.imported ?? 0,
                alreadyExisted: (resumed?.alreadyExisted ?? 0) + (resumed?.updated ?? 0),
                failed: resumed?.failed ?? 0, membershipsCreated: resumed?.membershipsCreated ?? 0))
        let executor = RowExecutor(
            api: api, runner: runner, configuration: configuration, organizationId: organizationId, runId: runId,
            runStartedAt: runStartedAt)
        let pipeline = ImportPipeline(reader: reader, validator: validator, recorder: recorder, stop: stop)
        let notAttempted = try await pipeline.run(
            executor: executor, concurrency: configuration.concurrency, settled: resumed?.settled)
        try recorder.closeFiles()
        var summary = recorder.summary
        summary.notAttempted = notAttempted
        summary.total = summary.imported + summary.alreadyExisted + summary.failed + notAttempted
        summary.interrupted = notAttempted > 0 || stop.isRequested
        do throws(JournalError) {
            try journal.finish(
                complete: notAttempted == 0,
                counts: JournalCounts(
                    total: summary.total, imported: summary.imported, alreadyExisted: summary.alreadyExisted,
                    failed: summary.failed, notAttempted: notAttempted))
        } catch {
            throw .journal(error)
        }
        summary.durationSeconds = Self.seconds(since: started)
        return summary
    }

    private func open() throws(ImportError) -> (CSVReader, RowValidator) {
        let reader: CSVReader
        let validator: RowValidator
        do {
            reader = try CSVReader(path: options.csvPath)
        } catch {
            throw .csv(error)
        }
        do {
            validator = try RowValidator(header: reader.header, limits: options.configuration.limits)
        } catch {
            throw .header(error)
        }
        if let warning = validator.unknownColumnsWarning {
            stderr.write("warning: \(warning)\n")
        }
        return (reader, validator)
    }

    private func outputs(header: [String], append: Bool, journal: JournalWriter?, total: Int?) throws(ImportError)
        -> OutcomeRecorder.Outputs
    {
        do {
            let errorFile = try options.errorsOut.map { path throws(OutputFileError) in
                try ErrorFileWriter(path: path, header: header, append: append)
            }
            let rejects = try options.rejects.map { path throws(OutputFileError) in
                try RejectsWriter(path: path, header: header, append: append)
            }
            // A terminal always gets the live line; a log file gets periodic lines unless output was made quiet.
            let progress =
                stderrIsTerminal || options.rowLines
                ? ProgressReporter(
                    sink: stderr, isTerminal: stderrIsTerminal, total: total, now: { ContinuousClock.now })
                : nil
            return OutcomeRecorder.Outputs(
                stdout: stdout, stderr: stderr, rowLines: options.rowLines, color: color, errorFile: errorFile,
                rejects: rejects, journal: journal, progress: progress)
        } catch {
            throw .output(error)
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
