import WorkOSClient

/// The last stage of the pipeline: records each row's outcome in the counts, the journal, the error file, the
/// rejects file, the per-row lines and the progress line, in that order of durability.
///
/// Used only by the task that collects outcomes, so it needs no locking. The error and rejects files are
/// written before the journal, so a crash between the two can only repeat a report, never lose one.
public final class OutcomeRecorder {
    /// Where the recorder writes; every part is optional.
    public struct Outputs {
        public var stdout: any TextSink
        public var stderr: any TextSink
        /// Print a line per row on stdout.
        public var rowLines: Bool
        /// Colour the per-row marks (stdout is a terminal and `NO_COLOR` is unset).
        public var color: Bool
        public var errorFile: ErrorFileWriter?
        public var rejects: RejectsWriter?
        public var journal: JournalWriter?
        public var progress: ProgressReporter?
        /// A plan's per-row predictions.
        var plan: PlanFile?

        public init(
            stdout: any TextSink, stderr: any TextSink, rowLines: Bool, color: Bool = false,
            errorFile: ErrorFileWriter? = nil,
            rejects: RejectsWriter? = nil, journal: JournalWriter? = nil, progress: ProgressReporter? = nil
        ) {
            self.stdout = stdout
            self.stderr = stderr
            self.rowLines = rowLines
            self.color = color
            self.errorFile = errorFile
            self.rejects = rejects
            self.journal = journal
            self.progress = progress
        }
    }

    /// Warnings of one kind printed in full before the rest are only counted.
    static let warningsShownPerKind = 10

    private let outputs: Outputs
    /// Counts so far, including rows settled by earlier runs of the same journal.
    public private(set) var summary: ImportSummary
    /// Rows this run has settled (for progress, which counts this run only when resuming).
    private var settledThisRun = 0
    private var warningsShown: [RowWarning.Kind: Int] = [:]

    /// Counts carried over from the journal: progress shows this run's rows only, done, ok and failed alike.
    private let initial: ImportSummary

    /// - Parameter initial: counts carried over from the journal of an interrupted run.
    public init(outputs: Outputs, initial: ImportSummary = ImportSummary()) {
        self.outputs = outputs
        self.summary = initial
        self.initial = initial
    }

    /// Prints (up to a limit per kind) and counts a row's warnings.
    public func record(warnings: [RowWarning]) {
        for warning in warnings {
            summary.warnings += 1
            let shown = warningsShown[warning.kind, default: 0]
            warningsShown[warning.kind] = shown + 1
            if shown < Self.warningsShownPerKind {
                outputs.stderr.write(RowLineFormatter.line(for: warning))
            } else if shown == Self.warningsShownPerKind {
                outputs.stderr.write("warning: more warnings like this are counted but not shown\n")
            }
        }
    }

    /// Counts each header column the importer does not read as one warning, and keeps their names for the
    /// summary; ``ImportRun`` has already printed the one warning line that names them.
    public func record(ignoredColumns: [String]) {
        summary.ignoredColumns = ignoredColumns
        summary.warnings += ignoredColumns.count
    }

    /// Records a row that failed before reaching WorkOS, or that WorkOS refused.
    ///
    /// - Parameters:
    ///   - fields: the row's cells, for the error file's `rawRow`.
    ///   - bytes: where the row is in the input, for the rejects file's byte-for-byte copy.
    ///   - effects: what the row did in WorkOS before it failed (a membership made before its factor
    ///     failed), journaled with it so a resume and an undo know.
    public func record(
        failure: RowFailure, fields: [String], bytes: Range<Int>, effects: RowResult? = nil
    ) throws(ImportError) {
        summary.failed += 1
        if let effects { countEffects(effects) }
        let reason = failure.reasonText
        summary.failuresByReason.add(reason: reason, line: failure.line, example: failure.reasonExample)
        do {
            try outputs.errorFile?.write(failure, fields: fields)
            try outputs.rejects?.write(recordAt: bytes)
            try outputs.plan?.record(
                RowPrediction(result: effects ?? RowResult(failed: failure), line: failure.line, email: failure.email))
        } catch {
            throw .output(error)
        }
        try journal(
            JournalEntry(
                record: failure.recordNumber, outcome: .failed, userId: failure.userId,
                membership: effects?.membership ?? .none, organizationId: effects?.organizationId,
                membershipId: effects?.membershipId, factor: effects?.factor ?? .none, factorId: effects?.factorId,
                outputs: checkpoint, line: failure.line, reason: reason,
                userCreated: failure.userId != nil && effects?.userCreated == true))
        line(RowReport(failure: failure))
        advance()
    }

    /// Records the result of a row that reached WorkOS.
    public func record(result: RowResult, row: ImportRow, fields: [String]) throws(ImportError) {
        if result.organizationCreated { summary.organizationsCreated += 1 }
        if let failure = result.failure {
            try record(failure: failure, fields: fields, bytes: row.byteRange, effects: result)
            return
        }
        switch result.outcome {
        case .imported: summary.imported += 1
        case .existed: summary.alreadyExisted += 1
        case .updated:
            summary.alreadyExisted += 1
            summary.updated += 1
        case .failed: break
        }
        countEffects(result)
        do {
            try outputs.plan?.record(RowPrediction(result: result, line: row.line, email: row.email))
        } catch {
            throw .output(error)
        }
        try journal(
            JournalEntry(
                record: row.recordNumber, outcome: result.outcome, userId: result.userId,
                membership: result.membership, organizationId: result.organizationId,
                membershipId: result.membershipId, factor: result.factor, factorId: result.factorId))
        line(
            RowReport(
                line: row.line, recordNumber: row.recordNumber, email: row.email, kind: result.outcome,
                userId: result.userId, membership: result.membership, organization: row.organization?.label,
                factor: result.factor, message: result.note))
        advance()
    }

    /// Counts the memberships and factors a row changed.
    private func countEffects(_ result: RowResult) {
        switch result.membership {
        case .created, .reactivated: summary.membershipsCreated += 1
        case .rolesUpdated: summary.membershipsUpdated += 1
        case .existing, .none: break
        }
        if result.factor == .enrolled { summary.factorsEnrolled += 1 }
    }

    /// Counts a row a dry run found valid.
    ///
    /// - Parameter repeat: the row repeats an earlier row's email, so it would find that row's user rather
    ///   than create one.
    public func recordValidInDryRun(repeat: Bool = false) {
        if `repeat` {
            summary.alreadyExisted += 1
        } else {
            summary.imported += 1
        }
        advance()
    }

    /// Moves a row a dry run counted as a user to create to the rows that repeat an earlier row's email.
    public func countValidAsRepeat() {
        summary.imported -= 1
        summary.alreadyExisted += 1
    }

    /// Takes back a dry run's count of a valid row that is about to be recorded as a failure instead.
    public func uncountValid() {
        summary.imported -= 1
        settledThisRun -= 1
    }

    /// Memberships a plan's rows would find in place.
    var membershipsExisting: Int { outputs.plan?.membershipsExisting ?? 0 }

    /// The output files' sizes now, recorded in the journal with each failure (see ``OutputCheckpoint``).
    public var checkpoint: OutputCheckpoint? {
        guard outputs.errorFile != nil || outputs.rejects != nil else { return nil }
        return OutputCheckpoint(errors: outputs.errorFile?.size, rejects: outputs.rejects?.size)
    }

    /// Updates the progress line with the position in the file.
    public func progress(bytesFraction: Double?) {
        outputs.progress?.update(
            done: settledThisRun, ok: summary.succeeded - initial.succeeded, failed: summary.failed - initial.failed,
            bytesFraction: bytesFraction)
    }

    private func advance() {
        settledThisRun += 1
    }

    private func journal(_ entry: JournalEntry) throws(ImportError) {
        do {
            try outputs.journal?.record(entry)
        } catch {
            throw .journal(error)
        }
    }

    /// Prints a row's line; the report is only built when lines are on (not with `--quiet` or `--json`).
    private func line(_ report: @autoclosure () -> RowReport) {
        guard outputs.rowLines else { return }
        // On a terminal, stdout and stderr share the screen: the live progress line goes first.
        outputs.progress?.clearLine()
        outputs.stdout.write(RowLineFormatter.line(for: report(), color: outputs.color))
    }

    /// Closes the error and rejects files so they are complete and valid.
    public func closeFiles() throws(ImportError) {
        outputs.progress?.finish()
        do {
            try outputs.errorFile?.close()
            try outputs.rejects?.close()
            try outputs.plan?.close()
        } catch {
            throw .output(error)
        }
    }
}
