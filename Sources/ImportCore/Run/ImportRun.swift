import Dispatch
import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Everything one invocation of the import needs to know, as the command parsed it from flags.
public struct ImportRunOptions: Sendable {
    public var csvPath: String
    /// `--encoding` and `--delimiter`: how the CSV file is read.
    public var format: CSVFormat
    /// `--map`: which header cells hold our columns under other names.
    public var columnMapping: ColumnMapping
    public var configuration: ImportConfiguration
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
    /// The WorkOS environment the import goes to (API address and key fingerprint), recorded in the journal
    /// so it is never resumed against another one.
    public var environment: JournalEnvironment
    /// `--organizations` (or a package's `organizations.csv`): organizations settled before the first user.
    public var organizationsPath: String?
    /// `--verify-domains`: every domain of the organizations file is marked verified.
    public var verifyDomains = false
    /// `--roles` (or a package's `role_definitions.csv`): permissions and roles settled before the first user.
    public var rolesPath: String?
    /// `--sso-connections` (or a package's `sso/saml_connections.csv` and `sso/oidc_connections.csv`): SSO
    /// connections created after the organizations.
    public var ssoConnectionPaths: [String] = []
    /// `--sso-secrets`: the secrets the SSO files redacted, by externalId.
    public var ssoSecretsPath: String?
    /// `--sso-out`: the cutover checklist.
    public var ssoOut: String?
    /// `verify --sso-checklist`: the checklist whose connections verify reads back.
    public var ssoChecklistPath: String?

    public init(
        csvPath: String, configuration: ImportConfiguration, errorsOut: String? = nil,
        rejects: String? = nil, journalPath: String? = nil, restart: Bool = false, rowLines: Bool = true,
        environment: JournalEnvironment = JournalEnvironment(baseURL: "", keyFingerprint: ""),
        format: CSVFormat = CSVFormat(), columnMapping: ColumnMapping = ColumnMapping()
    ) {
        self.columnMapping = columnMapping
        self.environment = environment
        self.csvPath = csvPath
        self.format = format
        self.configuration = configuration
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

/// Prepares and runs one import: opens the CSV, decides between a new run and a resume from the journal,
/// resolves the organization, opens the output files, runs the ``ImportPipeline`` and closes everything.
public struct ImportRun: Sendable {
    let options: ImportRunOptions
    /// WorkOS, the clock, the output streams, the stop signal and run ids.
    let context: ImportContext

    private var stderr: any TextSink { context.stderr }
    var stop: StopSignal { context.stop }

    /// Prepares a run of `options` in `context`.
    public init(options: ImportRunOptions, context: ImportContext) {
        self.options = options
        self.context = context
    }

    /// Checks every row without calling WorkOS (`--dry-run`); needs no API key.
    public func dryRun() throws(ImportError) -> DryRunSummary {
        let started = context.clock.now()
        try checkOutputPaths(includingJournal: false)
        try refuseOutputsOfInterruptedImport()
        let (reader, validator) = try open()
        let organizationFile = try readOrganizationFile()
        let roleFile = try readRoleFile()
        let ssoFiles = try readSSOConnectionFiles()
        let recorder = OutcomeRecorder(
            outputs: try outputs(reader: reader, validator: validator, append: false, journal: nil, total: nil))
        recorder.record(ignoredColumns: validator.unknownColumns)
        let identities = try ImportPipeline(
            reader: reader, validator: validator, recorder: recorder, stop: stop, clock: context.clock
        ).dryRun(
            duplicates: { fingerprints throws(ImportError) in
                try DuplicateEmails.resolve(fingerprints) { () throws(ImportError) in try open(quietly: true) }
            },
            failRepeats: options.configuration.ifExists == .fail,
            reopen: { () throws(ImportError) in try open(quietly: true).0 })
        try recorder.closeFiles()
        let recorded = recorder.summary
        var summary = DryRunSummary(durationSeconds: seconds(since: started))
        summary.counts = identities.counts
        summary.counts.failed = recorded.counts.failed
        summary.counts.total = identities.counts.succeeded + recorded.counts.failed
        summary.warnings = recorded.warnings
        summary.ignoredColumns = recorded.ignoredColumns
        summary.failuresByReason = recorded.failuresByReason
        summary.files = writtenFiles(journal: nil)
        if options.configuration.organization != .none {
            summary.counts.membershipsCreated = identities.counts.succeeded
        }
        summary.organizationsNamed = identities.organizations
        summary.coverage = identities.coverage
        if case .externalId(_, let name?) = options.configuration.organization {
            summary.organizationToCreate = name
        }
        summary.organizationFile = organizationFile.map(reportProblems)
        summary.roleFile = roleFile.map(reportProblems)
        summary.ssoConnections = ssoFiles.map(reportProblems)
        return summary
    }

    /// Imports the file into WorkOS through the context's API.
    public func run() async throws(ImportError) -> ImportSummary {
        let clock = context.clock
        let started = clock.now()
        let configuration = options.configuration
        try checkOutputPaths(includingJournal: true)
        let (reader, validator) = try open(chunkSize: Self.importChunkSize)
        let organizationFile = try readOrganizationFile()
        let roleFile = try readRoleFile()
        let ssoFiles = try readSSOConnectionFiles()
        // Decide between a fresh run and a resume before anything is written.
        let start = try startOrResume(
            delimiter: reader.delimiter, organizations: organizationFile?.fingerprint, roles: roleFile?.fingerprint)
        let resumed = start.resumed
        let connection = WorkOSConnection(
            api: context.api, baseURL: options.environment.baseURL, rates: configuration.rates,
            maxRetries: configuration.maxRetries, clock: clock, fallbackLog: stderr,
            rows: configuration.concurrencyLimit)
        // Progress counts this run's rows, so a resumed run's total leaves out the rows already settled.
        let total = start.recordCount - (resumed?.settled.count ?? 0) - (reader.hasSeparatorLine ? 1 : 0)
        let (environment, duplicates, organizationId) = try await readBeforeFirstWrite(
            connection, runId: start.runId, writesAhead: total * Self.writesPerRow(configuration, validator))
        defer { environment.close() }

        // The output files open before the journal is written, so a file that cannot be created stops the run
        // without leaving a journal behind.
        var outputs = try outputs(
            reader: reader, validator: validator, append: resumed != nil, journal: nil, total: total,
            load: connection.control.snapshot,
            keeping: resumed.map { $0.outputs ?? OutputCheckpoint(errors: nil, rejects: nil) })
        let journal = try openJournal(start)
        outputs.journal = journal
        let (executor, runOrganizationCreated) = try await createRunOrganization(
            RowExecutor(
                api: connection.api, runner: connection.runner, configuration: configuration,
                organizationId: organizationId, runId: start.runId, runStartedAt: start.runStartedAt,
                journal: ExecutionJournal(writingTo: journal, resuming: resumed), clock: clock,
                environment: environment), log: stderr)
        let roles = try await startRoles(roleFile, organizations: organizationFile, executor: executor)
        let organizationReport = try await importOrganizations(organizationFile, executor: executor, changes: true)
        let roleReport = try await finishRoles(roles, changes: true)
        let ssoReport = try await importSSOConnections(ssoFiles, executor: executor)
        let recorder = try startRecorder(
            outputs, resumed: resumed, runOrganizationCreated: runOrganizationCreated, organizationReport,
            unknownColumns: validator.unknownColumns, journal: journal, roles: roleReport?.counts)
        let pipeline = ImportPipeline(
            reader: reader, validator: validator, recorder: recorder, stop: stop, clock: clock)
        let outcome = try await pipeline.run(
            executor: executor, concurrency: connection.control, settled: resumed?.settled,
            duplicates: duplicates, maxFailures: configuration.maxFailures)
        try recorder.closeFiles()
        var summary = try finish(
            recorder.summary, outcome: outcome, load: connection.control.snapshot(), journal: journal, started: started)
        summary.load = connection.control.series()
        summary.ssoConnections = ssoReport?.counts
        return summary
    }

    /// The reads before the first write, which go out together so that far from WorkOS they cost one round
    /// trip instead of one each: the preflight (with the run organization's look-up beside it), the survey
    /// of what exists already (so rows that would only find it send no write) and the command's own check
    /// (``ImportContext/beforeFirstWrite``). Nothing is written before the preflight passes, and it still
    /// speaks first: the others' lines wait for it, and a failed preflight cancels them. Its answer time
    /// says how far WorkOS is, and the rows in flight start where Little's law puts them for it, growing at
    /// most to what sends the run's `writesAhead` when they are fewer than a window holds.
    ///
    /// - Returns: what exists, the file's repeated emails and the run organization's id.
    private func readBeforeFirstWrite(_ connection: WorkOSConnection, runId: String, writesAhead: Int)
        async throws(ImportError)
        -> (EnvironmentIndex, DuplicateEmails, String?)
    {
        let clock = context.clock
        // The preflight's answer time, taken in its own task so the other reads do not count in it.
        let preflight = Task { () -> Result<(WorkOSConnection.OrganizationLookup, Duration), ImportError> in
            let sent = clock.now()
            do throws(ImportError) {
                let organization = try await connection.preflight(
                    finding: options.configuration.organization, runId: runId, log: stderr)
                return .success((organization, clock.now() - sent))
            } catch {
                return .failure(error)
            }
        }
        let organizationId = Task { () -> Result<String?, ImportError> in
            do throws(ImportError) {
                return .success(try await preflight.value.get().0.id())
            } catch {
                return .failure(error)
            }
        }
        // An organization given by its WorkOS id needs no look-up for its memberships to be read: they are read
        // beside the preflight, which saves a round trip before the first write. Its look-up still confirms
        // the id, and a run whose look-up fails stops before it uses them.
        let givenOrganizationId: String? =
            if case .id(let id) = options.configuration.organization { id } else { nil }
        // The file is read for the repeated emails (off the tasks' threads, which answer the preflight) and
        // then for the survey, one reader at a time. A failed scan or a failed preflight ends the survey.
        let survey = Task { () -> (Result<DuplicateEmails, ImportError>, Survey) in
            let duplicates = await Self.offTheTaskThreads {
                Result { () throws(ImportError) in
                    try DuplicateEmails.scan { () throws(ImportError) in try open(quietly: true) }
                }
            }
            guard case .success = duplicates, !Task.isCancelled else { return (duplicates, Survey()) }
            let surveyed = await readEnvironment(
                api: connection.api, runner: connection.runner,
                organizationId: {
                    if let givenOrganizationId { return givenOrganizationId }
                    return (try? await organizationId.value.get()) ?? nil
                },
                pagesPerRow: Self.importPagesPerRow)
            return (duplicates, surveyed)
        }
        let check = Task { [beforeFirstWrite = context.beforeFirstWrite] in
            await beforeFirstWrite?(connection.runner) ?? ""
        }
        do throws(ImportError) {
            let (_, latency) = try await preflight.value.get()
            connection.control.start(
                at: options.configuration.startingRows(latency: latency), writesAhead: writesAhead)
            let organizationId = try await organizationId.value.get()
            let said = await check.value
            if !said.isEmpty { stderr.write(said) }
            let (duplicates, surveyed) = await survey.value
            let found = try duplicates.get()
            if let line = surveyed.line { stderr.write(line) }
            return (surveyed.index, found, organizationId)
        } catch {
            // The fatal sentence goes out at once; the other reads are cancelled, and the survey's index is
            // closed whenever its task ends.
            survey.cancel()
            check.cancel()
            organizationId.cancel()
            Task { await survey.value.1.index.close() }
            throw error
        }
    }

    /// The user-management writes one row sends when its user and membership are new: its user, its membership
    /// (of the run's organization or of its own) and its TOTP factor; its roles go with the membership. A row
    /// that finds them sends fewer, or, under `--if-exists update`, an update in place of a create; one whose
    /// create finds the email taken after all may send one more. Only a run smaller than a window uses the
    /// count, to size its rows in flight.
    static func writesPerRow(_ configuration: ImportConfiguration, _ validator: RowValidator) -> Int {
        let joinsOrganizations = configuration.organization != .none || validator.hasOrganizationColumns
        return 1 + (joinsOrganizations ? 1 : 0) + (validator.hasTOTPColumn ? 1 : 0)
    }

    /// Runs `work`, which blocks on the file, on a thread of its own: the tasks' few threads stay free to
    /// take WorkOS's answers meanwhile.
    static func offTheTaskThreads<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    /// How a run starts: afresh or resuming its journal, and what it read of the file to decide.
    struct RunStart {
        var resumed: JournalState?
        var runId: String
        /// Milliseconds, as the journal stores them, so a first run and its resumes compare creation times alike.
        var runStartedAt: Date
        var fingerprint: CSVFingerprint
        var recordCount: Int
        var settings: JournalSettings
    }

    /// Decides between a fresh run and a resume of the journal, before anything is written.
    private func startOrResume(delimiter: UInt8, organizations: String?, roles: String?) throws(ImportError)
        -> RunStart
    {
        let journalPath = self.journalPath
        if JournalWriter.isInUse(path: journalPath) { throw .journal(.inUse(path: journalPath)) }
        var settings = self.settings(delimiter: delimiter)
        settings.organizations = organizations
        settings.roles = roles
        let decision: JournalDecision
        let fingerprint: CSVFingerprint
        let recordCount: Int
        do {
            // One read of the file gives both the fingerprint and the row total for progress.
            (fingerprint, recordCount) = try CSVFingerprint.compute(
                path: options.csvPath, countingRecordsSplitBy: delimiter)
            let existing = options.restart ? nil : try JournalReplay.load(path: journalPath)
            decision = try JournalDecision.decide(
                existing: existing, csv: fingerprint, settings: settings, restart: options.restart,
                environment: options.environment, journalPath: journalPath)
        } catch {
            throw .journal(error)
        }
        var resumed: JournalState?
        if case .resume(let state) = decision { resumed = state }
        return RunStart(
            resumed: resumed, runId: resumed?.header.runId ?? context.makeRunId(),
            runStartedAt: resumed?.header.startedAt ?? Timestamp.truncatedToMilliseconds(context.clock.wallNow()),
            fingerprint: fingerprint, recordCount: recordCount, settings: settings)
    }

    /// Opens the journal: appended to when the run resumes, created otherwise (an earlier run's journal is
    /// kept under another name, since it is what `undo` needs to take that run back).
    private func openJournal(_ start: RunStart) throws(ImportError) -> JournalWriter {
        let clock = context.clock
        let journalPath = self.journalPath
        do throws(JournalError) {
            if let resumed = start.resumed {
                let journal = try JournalWriter.append(path: journalPath, resumedAt: clock.wallNow(), now: clock.now)
                stderr.write(
                    "Resuming the interrupted import from \(journalPath): \(resumed.settled.count) rows already "
                        + "done are skipped.\n")
                return journal
            }
            if let kept = try JournalRotation.keep(path: journalPath) {
                stderr.write(
                    "The earlier run's journal is kept as \(kept): `workos-import undo --journal \(kept)` takes "
                        + "that run back.\n")
            }
            let header = JournalHeader(
                runId: start.runId, startedAt: start.runStartedAt, csv: start.fingerprint, settings: start.settings,
                environment: options.environment)
            return try JournalWriter.create(path: journalPath, header: header, now: clock.now)
        } catch {
            throw .journal(error)
        }
    }

    /// Creates the run's one organization when `--create-org-if-missing` may, through the rows' directory,
    /// once the journal is open: its create is journaled, counted and undone like a row's.
    ///
    /// - Returns: the executor whose rows join it, and whether this run's create made it.
    /// - Parameter log: where the run says it created the organization.
    func createRunOrganization(_ executor: RowExecutor, log: any TextSink) async throws(ImportError) -> (
        RowExecutor, Bool
    ) {
        let target = options.configuration.organization
        guard case .externalId(let externalId, let name?) = target, target.mayCreate else { return (executor, false) }
        switch await executor.resolvingRunOrganization(externalId: externalId, name: name) {
        case .success(let resolved):
            if resolved.created {
                log.write("Created organization \"\(name)\" (\(resolved.executor.organizationId ?? "")).\n")
            }
            return (resolved.executor, resolved.created)
        case .failure(let failure):
            if let error = failure.journalError { throw .journal(error) }
            if let error = failure.error { throw OrganizationResolver.fatal(error, what: "\"\(name)\"") }
            throw .organizationNotFound("with external id '\(externalId)'")
        }
    }

    /// The recorder of the rows, starting from the counts of the rows an earlier run settled and of the
    /// organizations made before the first row; on a fresh run the output files' empty sizes are the
    /// journal's first checkpoint.
    private func startRecorder(
        _ outputs: OutcomeRecorder.Outputs, resumed: JournalState?, runOrganizationCreated: Bool,
        _ organizationReport: OrganizationFileReport?, unknownColumns: [String], journal: JournalWriter,
        roles: RoleFileCounts?
    ) throws(ImportError) -> OutcomeRecorder {
        var initial = Self.resumedSummary(resumed, runOrganizationCreated: runOrganizationCreated)
        initial.roleFile = roles
        initial.counts.organizationsCreated += organizationReport?.createdThisRun ?? 0
        initial.organizationFile = organizationReport?.counts
        let recorder = OutcomeRecorder(outputs: outputs, initial: initial)
        recorder.record(ignoredColumns: unknownColumns)
        if resumed == nil, let checkpoint = recorder.checkpoint {
            do throws(JournalError) { try journal.recordCheckpoint(checkpoint) } catch { throw .journal(error) }
        }
        return recorder
    }

    /// The counts a resumed run starts from: the rows its journal settled, and the run's organization.
    private static func resumedSummary(_ resumed: JournalState?, runOrganizationCreated: Bool) -> ImportSummary {
        var initial = ImportSummary()
        initial.counts = resumed?.counts ?? Counts()
        initial.counts.organizationsCreated =
            (resumed?.organizationsCreated.count ?? 0) + (runOrganizationCreated ? 1 : 0)
        initial.failuresByReason = resumed?.failureReasons ?? FailureTally()
        return initial
    }

    /// Completes the summary with how the run ended, and closes the journal with its counts.
    private func finish(
        _ counts: ImportSummary, outcome: ImportPipeline.Outcome, load: ConcurrencyControl.Snapshot,
        journal: JournalWriter, started: ContinuousClock.Instant
    ) throws(ImportError) -> ImportSummary {
        let notAttempted = outcome.notAttempted
        var summary = counts
        summary.stoppedAfterFailures = outcome.stoppedAfterFailures
        summary.peakRowsInFlight = load.peakRowsInFlight
        summary.requestTimeouts = load.requestTimeouts
        summary.counts.notAttempted = notAttempted
        summary.counts.total = summary.counts.succeeded + summary.counts.failed + notAttempted
        summary.interrupted = stop.isRequested || (notAttempted > 0 && outcome.stoppedAfterFailures == nil)
        do throws(JournalError) {
            try journal.finish(complete: notAttempted == 0, counts: summary.counts, at: context.clock.wallNow())
        } catch {
            throw .journal(error)
        }
        summary.durationSeconds = seconds(since: started)
        summary.files = writtenFiles(journal: journalPath)
        return summary
    }

    /// An import surveys at most one page of each list per 50 rows: new users cost no look-up when created
    /// first, so reading pays only when the environment is about the file's size.
    static let importPagesPerRow = 1.0 / 50

    /// Reads what the environment holds (``EnvironmentSurvey``) of the file's users and organizations, and
    /// tells stderr what it read.
    ///
    /// - Parameters:
    ///   - organizationId: the run's one organization (`--org-id` or `--org-external-id`), when it has one.
    ///   - pagesPerRow: how many pages of a list are worth reading for each row of the file.
    func surveyEnvironment(
        api: any WorkOSAPI, runner: RequestRunner, organizationId: String?, pagesPerRow: Double
    ) async -> (EnvironmentIndex, EnvironmentSurvey.Report) {
        let survey = await readEnvironment(
            api: api, runner: runner, organizationId: { organizationId }, pagesPerRow: pagesPerRow)
        if let line = survey.line { stderr.write(line) }
        return (survey.index, survey.report)
    }

    /// What ``readEnvironment(api:runner:organizationId:pagesPerRow:)`` read, and its line for stderr.
    struct Survey: Sendable {
        var index: EnvironmentIndex = .empty
        var report = EnvironmentSurvey.Report()
        var line: String?
    }

    /// Reads what the environment holds of the file's users and organizations. The user list is read at
    /// once; the memberships wait for `organizationId`, which an import answers at once for an organization
    /// given by its id, and otherwise once its preflight passed and its organization was looked up.
    func readEnvironment(
        api: any WorkOSAPI, runner: RequestRunner, organizationId: @escaping @Sendable () async -> String?,
        pagesPerRow: Double
    ) async -> Survey {
        guard options.configuration.survey, let (reader, validator) = try? open(quietly: true) else {
            return Survey()
        }
        let started = context.clock.now()
        let scope = SurveyScope.scan(reader: reader, validator: validator)
        let survey = EnvironmentSurvey(api: api, runner: runner)
        let named = scope.organizations
        let pageLimit = max(1, Int((Double(scope.rows) * pagesPerRow).rounded(.up)))
        let (index, report) = await survey.run(
            organizations: {
                async let own = organizationId()
                let found = await survey.organizationIds(of: named)
                return (await own).map { [$0] + found } ?? found
            }, pageLimit: pageLimit)
        return Survey(
            index: index, report: report, line: report.line(seconds: seconds(since: started), pageLimit: pageLimit))
    }

    /// The files a run wrote, for the summary.
    private func writtenFiles(journal: String?) -> [WrittenFile] {
        var files: [WrittenFile] = []
        if let path = options.errorsOut { files.append(WrittenFile(label: "Error file", path: path)) }
        if let path = options.rejects { files.append(WrittenFile(label: "Rejects file", path: path)) }
        if let journal { files.append(WrittenFile(label: "Journal", path: journal)) }
        return files
    }

    /// The journal's path: `--journal`, or beside the CSV file.
    private var journalPath: String {
        options.journalPath ?? ImportRunOptions.defaultJournalPath(for: options.csvPath)
    }

    /// The options recorded in the journal, output files by their absolute paths.
    ///
    /// - Parameter delimiter: the delimiter the reader uses (given or detected).
    private func settings(delimiter: UInt8?) -> JournalSettings {
        let configuration = options.configuration
        return JournalSettings(
            org: configuration.organization.journalDescription, ifExists: configuration.ifExists.rawValue,
            requireMembership: configuration.requireMembership, errorsOut: options.errorsOut.map(OutputPaths.absolute),
            rejects: options.rejects.map(OutputPaths.absolute), encoding: options.format.encoding.rawValue,
            delimiter: delimiter.map { CSVFormat.displayName(of: $0) },
            columnMap: options.columnMapping.isEmpty ? nil : options.columnMapping.journalDescription)
    }

    /// Refuses outputs that are the input or each other (see ``OutputPaths``).
    func checkOutputPaths(includingJournal: Bool) throws(ImportError) {
        var outputs: [(flag: String, path: String)] = []
        if let path = options.errorsOut { outputs.append(("--errors-out", path)) }
        if let path = options.rejects { outputs.append(("--rejects", path)) }
        if let path = options.ssoOut { outputs.append(("--sso-out", path)) }
        if includingJournal { outputs.append(("--journal", journalPath)) }
        if let problem = OutputPaths.problem(input: options.csvPath, outputs: outputs) { throw .usage(problem) }
    }

    /// A dry run must not truncate the error or rejects file of an import that is interrupted (or running):
    /// the resumed import would then miss the records of the rows it already settled.
    private func refuseOutputsOfInterruptedImport() throws(ImportError) {
        guard options.errorsOut != nil || options.rejects != nil else { return }
        let state = try? JournalReplay.load(path: journalPath)
        guard JournalWriter.isInUse(path: journalPath) || (state.map { !$0.isComplete } ?? false) else { return }
        let recorded = state?.header.settings
        let mine = settings(delimiter: nil)
        for (flag, path, theirs) in [
            ("--errors-out", mine.errorsOut, recorded?.errorsOut), ("--rejects", mine.rejects, recorded?.rejects),
        ] {
            guard let path else { continue }
            if theirs == path || recorded == nil {
                throw .journal(.outputOfInterruptedImport(flag: flag, path: path, journalPath: journalPath))
            }
        }
    }

    /// What a live import reads of its file at a time: WorkOS takes rows far more slowly than a file gives
    /// them, so the 1 MB a dry run reads at once would only hold memory (about 0.8 MB of a 32 MB import).
    static let importChunkSize = 1 << 18

    /// Opens the file and checks its header; `chunkSize` is how much is read at a time.
    func open(quietly: Bool = false, chunkSize: Int = CSVReader.chunkSize) throws(ImportError) -> (
        CSVReader, RowValidator
    ) {
        let reader: CSVReader
        var validator: RowValidator
        do {
            reader = try CSVReader(path: options.csvPath, chunkSize: chunkSize, format: options.format)
        } catch {
            throw .csv(error)
        }
        if !quietly, reader.hasLatin1Controls {
            stderr.write(
                "note: \(options.csvPath) has bytes 0x80-0x9F, which Latin-1 reads as invisible control "
                    + "characters; a Windows or Excel export is cp1252, where they are € ’ “ ” – and the like: if "
                    + "names look wrong, use --encoding cp1252.\n")
        }
        if !quietly, let detected = reader.detectedDelimiter {
            let name = CSVFormat.displayName(of: detected)
            stderr.write(
                "note: \(options.csvPath) is separated by \(name), not by commas (its header only has an email "
                    + "column that way); reading it so. Add --delimiter \(name) to say so.\n")
        }
        do {
            validator = try RowValidator(
                header: reader.header, limits: options.configuration.limits, mapping: options.columnMapping)
        } catch {
            throw .header(error)
        }
        let configuration = options.configuration
        validator.runHasOrganization = configuration.organization != .none
        if validator.hasOrganizationColumns, configuration.organization != .none {
            throw .usage(
                "the file has organization columns (org_id, org_external_id or org_name), and --org-id or "
                    + "--org-external-id gives every row one organization; drop the flag to use the rows' "
                    + "organizations, or remove the columns (or map them away) to put everyone in one")
        }
        if configuration.requireMembership, configuration.organization == .none, !validator.hasOrganizationColumns {
            throw .usage(
                "--require-membership needs an organization: add --org-id or --org-external-id, or org_id or "
                    + "org_external_id columns")
        }
        if configuration.createOrganizations, configuration.organization == .none,
            !validator.hasOrganizationColumns
        {
            throw .usage(
                "--create-org-if-missing creates organizations, but there is none to create: add "
                    + "--org-external-id and --org-name, or org_external_id and org_name columns")
        }
        if !configuration.roleSlugs.isEmpty, configuration.organization == .none, !validator.hasOrganizationColumns {
            throw .usage(
                "--role gives memberships their roles, but there is no organization: add --org-id or "
                    + "--org-external-id, or org_id or org_external_id columns")
        }
        if !quietly, let warning = validator.unknownColumnsWarning {
            stderr.write("warning: \(warning)\n")
        }
        return (reader, validator)
    }

    /// Opens the run's output files.
    ///
    /// - Parameters:
    ///   - validator: where our columns are in the file, so the error file masks every column that feeds a
    ///     secret (`--map password=pw` included), whatever its header says.
    ///   - keeping: on resume, the files' sizes after the last failure the journal recorded; they are cut back
    ///     to them (a file the first run did not have is started afresh).
    func outputs(
        reader: CSVReader, validator: RowValidator, append: Bool, journal: JournalWriter?, total: Int?,
        load: (@Sendable () -> ConcurrencyControl.Snapshot)? = nil, keeping: OutputCheckpoint? = nil
    ) throws(ImportError) -> OutcomeRecorder.Outputs {
        do {
            let errorFile = try options.errorsOut.map { path throws(OutputFileError) in
                try ErrorFileWriter(
                    path: path, header: reader.header, secretColumns: validator.secretColumns, append: append,
                    keeping: keeping?.errors)
            }
            let rejects = try options.rejects.map { path throws(OutputFileError) in
                try RejectsWriter(
                    path: path, inputPath: options.csvPath, headerBytes: reader.headerBytes, append: append,
                    keeping: keeping?.rejects)
            }
            // A terminal always gets the live line; a log file gets periodic lines unless output was made quiet.
            let progress =
                context.stderrIsTerminal || options.rowLines
                ? ProgressReporter(
                    sink: stderr, isTerminal: context.stderrIsTerminal, total: total, load: load,
                    now: context.clock.now)
                : nil
            return OutcomeRecorder.Outputs(
                stdout: context.stdout, stderr: stderr, rowLines: options.rowLines, color: context.color,
                errorFile: errorFile,
                rejects: rejects, journal: journal, progress: progress)
        } catch {
            throw .output(error)
        }
    }

    func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = context.clock.now() - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
