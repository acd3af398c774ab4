import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension ImportRun {
    /// Rows checked at once; reads are paced by the read budget whatever this is.
    static let verifyWidth = 16

    /// `workos-import verify`: reads back what the file describes and reports every difference, writing
    /// nothing to WorkOS.
    ///
    /// - Parameters:
    ///   - out: where each difference goes (CSV), if anywhere.
    ///   - onDrift: called for each drifted row, in file order (the command prints its line).
    public func verify(out: String?, onDrift: @Sendable (RowDrift) -> Void = { _ in }) async throws(ImportError)
        -> VerifySummary
    {
        let live = context.api
        let clock = context.clock
        let started = clock.now()
        let configuration = options.configuration
        if let out, let problem = OutputPaths.problem(input: options.csvPath, outputs: [("--out", out)]) {
            throw .usage(problem)
        }
        let (reader, validator) = try open()
        let roleFile = try readRoleFile()
        let organizationFile = try readOrganizationFile()
        // Rows the import fails for contradicting an earlier row are reported as such, not compared.
        let duplicates = try DuplicateEmails.scan { () throws(ImportError) in try open(quietly: true) }
        let connection = WorkOSConnection(
            api: live, baseURL: options.environment.baseURL, rates: configuration.rates,
            maxRetries: configuration.maxRetries, clock: clock, fallbackLog: context.stderr,
            rows: .fixed(Self.verifyWidth))
        let runner = connection.runner
        // The run's one organization, looked up only: one that is missing is a difference on every row.
        let organization = try await connection.preflight(
            finding: lookupOnly(configuration.organization), runId: "verify", log: CapturedText())
        var runOrganization: RowChecker.OrganizationState?
        if configuration.organization != .none {
            do throws(ImportError) {
                let id = try await organization.id()
                runOrganization = .found(id ?? "")
            } catch {
                guard case .organizationNotFound = error else { throw error }
                runOrganization = .missing
            }
        }
        var surveyedOrganization: String?
        if case .found(let id) = runOrganization { surveyedOrganization = id }
        let (environment, surveyed) = await surveyEnvironment(
            api: live, runner: runner, organizationId: surveyedOrganization, pagesPerRow: 1)
        defer { environment.close() }

        let checker = RowChecker(
            api: live, runner: runner, environment: environment, defaultRoles: configuration.roleSlugs,
            runOrganization: runOrganization)
        let file: DriftFile?
        do {
            file = try out.map { path throws(OutputFileError) in try DriftFile(path: path) }
        } catch {
            throw .output(error)
        }
        var summary = VerifySummary()
        var writeError: OutputFileError?
        func settle(_ drift: RowDrift) {
            summary.total += 1
            if drift.differences.isEmpty {
                summary.matching += 1
                return
            }
            summary.drifted += 1
            for difference in drift.differences { summary.byKind[difference.kind, default: 0] += 1 }
            onDrift(drift)
            do {
                try file?.record(drift)
            } catch {
                writeError = writeError ?? error
            }
        }

        // The organizations file's rows and the roles file's first: the rows' memberships name them.
        if let organizationFile {
            let checker = OrganizationChecker(api: live, runner: runner)
            for drift in await checker.check(organizationFile) where !stop.isRequested { settle(drift) }
        }
        if let roleFile {
            for drift in await RoleChecker(api: live, runner: runner).check(roleFile) where !stop.isRequested {
                settle(drift)
            }
        }
        let width = Self.verifyWidth
        await withTaskGroup(of: (Int, RowDrift).self) { group in
            var submitted = 0
            var next = 0
            var pending: [Int: RowDrift] = [:]
            func flush() {
                while let drift = pending.removeValue(forKey: next) {
                    settle(drift)
                    next += 1
                }
            }
            while !stop.isRequested, let read = reader.next() {
                let sequence = submitted
                submitted += 1
                switch read {
                case .malformed(let record, let reason):
                    let problem = validator.problem(forMalformed: record, reason: reason)
                    pending[sequence] = Self.invalid(problem)
                case .record(let record):
                    switch validator.validate(record) {
                    case .invalid(let problem, _):
                        pending[sequence] = Self.invalid(problem)
                    case .valid(let row, _):
                        if let finding = duplicates.finding(for: row.recordNumber) {
                            pending[sequence] = RowDrift(
                                line: row.line, email: row.email,
                                differences: [
                                    Difference(kind: "contradicts-earlier-row", expected: "", found: finding.message)
                                ])
                            break
                        }
                        let candidates = duplicates.sameOrganizationCandidates(for: row.recordNumber)
                        group.addTask { (sequence, await checker.check(row, candidates: candidates)) }
                    }
                }
                flush()
                while submitted - next >= width * 4 || (submitted - next - pending.count) >= width {
                    guard let (done, drift) = await group.next() else { break }
                    pending[done] = drift
                    flush()
                }
            }
            while let (done, drift) = await group.next() {
                pending[done] = drift
                flush()
            }
        }
        for drift in try await verifySSOConnections(runner: runner) { settle(drift) }
        do {
            try file?.close()
        } catch {
            throw .output(error)
        }
        if let writeError { throw .output(writeError) }
        summary.survey = surveyed
        summary.interrupted = stop.isRequested
        summary.durationSeconds = seconds(since: started)
        if let out { summary.files = [WrittenFile(label: "Drift file", path: out)] }
        return summary
    }

    private static func invalid(_ problem: RowProblem) -> RowDrift {
        RowDrift(
            line: problem.line, email: problem.email,
            differences: [Difference(kind: "invalid-row", expected: "", found: problem.message)])
    }

    /// The run's organization target, never created.
    private func lookupOnly(_ target: OrganizationTarget) -> OrganizationTarget {
        if case .externalId(let externalId, _) = target { return .externalId(externalId, createWithName: nil) }
        return target
    }
}
