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
        var configuration = options.configuration
        if let out, let problem = OutputPaths.problem(input: options.csvPath, outputs: [("--out", out)]) {
            throw .usage(problem)
        }
        let (reader, validator) = try open()

        // Nothing is written, so only the read budgets pace the run.
        configuration.rates.writesAreSent = false
        let pacer = RequestPacer(rates: configuration.rates, clock: clock)
        let control = ConcurrencyControl(limit: configuration.concurrencyLimit, writeRateTarget: nil, clock: clock)
        let runner = RequestRunner(
            pacer: pacer, policy: RetryPolicy(maxRetries: configuration.maxRetries), clock: clock, control: control)
        try await Preflight(api: live, runner: runner, baseURL: options.environment.baseURL).check()
        let runStartedAt = Timestamp.truncatedToMilliseconds(clock.wallNow())

        // The run's one organization: looked up, or (with --create-org-if-missing) planned.
        var organizationId: String?
        if configuration.organization != .none {
            let resolverAPI = PlanAPI(live: live, environment: .empty, runner: runner, clock: clock)
            organizationId = try await OrganizationResolver(api: resolverAPI, runner: runner, runId: "plan")
                .resolve(configuration.organization, log: CapturedText())
        }
        let plannedOrganization = organizationId.map { $0.hasPrefix(PlanAPI.plannedPrefix) } ?? false
        let (environment, surveyed) = await surveyEnvironment(
            api: live, runner: runner, organizationId: plannedOrganization ? nil : organizationId, pagesPerRow: 1)
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
        outputs.plan = plan
        let recorder = OutcomeRecorder(outputs: outputs)
        recorder.record(ignoredColumns: validator.unknownColumns)
        let executor = RowExecutor(
            api: api, runner: runner, configuration: configuration, organizationId: organizationId, runId: "plan",
            runStartedAt: runStartedAt, clock: clock, environment: environment)
        let pipeline = ImportPipeline(
            reader: reader, validator: validator, recorder: recorder, stop: stop, clock: clock)
        let outcome = try await pipeline.run(
            executor: executor, concurrency: control, settled: nil, duplicates: duplicates)
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

        let counts = recorder.summary
        var summary = PlanSummary()
        summary.usersToCreate = counts.imported
        summary.usersToUpdate = counts.updated
        summary.usersExisting = counts.alreadyExisted - counts.updated
        summary.organizationsToCreate = counts.organizationsCreated + (plannedOrganization ? 1 : 0)
        summary.membershipsToCreate = counts.membershipsCreated
        summary.membershipsExisting = recorder.membershipsExisting
        summary.membershipsToUpdate = counts.membershipsUpdated
        summary.factorsToEnroll = counts.factorsEnrolled
        summary.failed = counts.failed
        summary.failuresByReason = counts.failuresByReason
        summary.warnings = counts.warnings
        summary.total = counts.imported + counts.alreadyExisted + counts.failed + outcome.notAttempted
        summary.notAttempted = outcome.notAttempted
        summary.interrupted = stop.isRequested
        summary.survey = surveyed
        summary.durationSeconds = seconds(since: started)
        if let out { summary.files = [WrittenFile(label: "Plan file", path: out)] }
        return summary
    }
}
