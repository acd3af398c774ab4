import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension ImportRun {
    /// `workos-import plan`: predicts what the import of the file would do in the live environment, and
    /// writes nothing there.
    ///
    /// It is the import with two parts swapped: the writes go to a ``PlanAPI``, which answers them from what
    /// is there instead of sending them, and no journal is kept. The survey reads the environment first (at
    /// most as many pages as the rows would make look-ups), so most rows cost no request at all.
    ///
    /// - Parameter out: where each row's prediction goes (CSV), if anywhere.
    public func plan(out: String?) async throws(ImportError) -> PlanSummary {
        let live = context.api
        let clock = context.clock
        let started = clock.now()
        let configuration = options.configuration
        if let out, let problem = OutputPaths.problem(input: options.csvPath, outputs: [("--out", out)]) {
            throw .usage(problem)
        }
        let (reader, validator) = try open()
        let organizationFile = try readOrganizationFile()
        let roleFile = try readRoleFile()
        let ssoFiles = try readSSOConnectionFiles()

        // Nothing is written, so only the reads draw on the budgets.
        let connection = WorkOSConnection(
            api: live, baseURL: options.environment.baseURL, rates: configuration.rates,
            maxRetries: configuration.maxRetries, clock: clock, rows: configuration.concurrencyLimit,
            writes: .unsentWrite)
        let runner = connection.runner
        // The run's one organization: looked up; one that may be created is planned with the rows' own.
        let organization = try await connection.preflight(
            finding: configuration.organization, runId: "plan", log: CapturedText())
        let runStartedAt = Timestamp.truncatedToMilliseconds(clock.wallNow())
        let organizationId = try await organization.id()
        let (environment, surveyed) = await surveyEnvironment(
            api: live, runner: runner, organizationId: organizationId, pagesPerRow: 1)
        defer { environment.close() }

        let api = PlanAPI(live: live, environment: environment, runner: runner, clock: clock)
        let duplicates = try DuplicateEmails.scan { () throws(ImportError) in try open(quietly: true) }
        let plan: PlanFile
        do {
            plan = try PlanFile(path: out)
        } catch {
            throw .output(error)
        }
        var outputs = try self.outputs(
            reader: reader, validator: validator, append: false, journal: nil, total: nil)
        outputs.rowLines = false
        let recorder = OutcomeRecorder(outputs: outputs, adding: [plan])
        recorder.record(ignoredColumns: validator.unknownColumns)
        let (executor, plannedOrganization) = try await createRunOrganization(
            RowExecutor(
                api: api, runner: runner, configuration: configuration, organizationId: organizationId,
                runId: "plan", runStartedAt: runStartedAt, journal: .none, clock: clock, environment: environment,
                writes: connection.writes), log: CapturedText())
        let roles = try await startRoles(roleFile, organizations: organizationFile, executor: executor)
        let organizationReport = try await importOrganizations(organizationFile, executor: executor, changes: false)
        let roleReport = try await finishRoles(roles, changes: false)
        let ssoReport = try await importSSOConnections(ssoFiles, executor: executor, changes: false)
        let pipeline = ImportPipeline(
            reader: reader, validator: validator, recorder: recorder, stop: stop, clock: clock)
        let outcome = try await pipeline.run(
            executor: executor, concurrency: connection.control, settled: nil, duplicates: duplicates,
            countingCoverage: true, around: PlanAPI.rowHook)
        try recorder.closeFiles()
        let severalRoles = api.membershipsWithSeveralRoles
        if severalRoles > 0 {
            // No API reads the setting; WorkOS tells only by refusing the first such membership.
            context.stderr.write(
                "Note: \(ReportText.counted(severalRoles, "membership is", "memberships are")) planned with several "
                    + "roles, which WorkOS accepts only when the environment has multiple roles turned on (no API "
                    + "reads the setting); with it off, the import fails those rows (the first one after creating "
                    + "its user).\n")
        }

        let recorded = recorder.summary
        var summary = PlanSummary()
        summary.counts = recorded.counts
        summary.counts.organizationsCreated += (plannedOrganization ? 1 : 0) + (organizationReport?.createdThisRun ?? 0)
        summary.organizationFile = organizationReport?.counts
        summary.roleFile = roleReport?.counts
        summary.ssoConnections = ssoReport?.counts
        summary.counts.membershipsExisting = plan.membershipsExisting
        summary.counts.notAttempted = outcome.notAttempted
        summary.counts.total = recorded.counts.succeeded + recorded.counts.failed + outcome.notAttempted
        summary.failuresByReason = recorded.failuresByReason
        summary.warnings = recorded.warnings
        summary.interrupted = stop.isRequested
        summary.survey = surveyed
        summary.coverage = outcome.coverage
        summary.durationSeconds = seconds(since: started)
        if let out { summary.files = [WrittenFile(label: "Plan file", path: out)] }
        return summary
    }
}
