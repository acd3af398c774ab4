import WorkOSClient

/// The last stage of the pipeline: counts each row's outcome and hands it to its sinks (``OutcomeSink``): the
/// error file, the rejects file, a mode's own file, the journal, the per-row lines, in that order of
/// durability, and the progress line.
///
/// Used only by the task that collects outcomes, so it needs no locking. The error and rejects files are
/// written before the journal, so a crash between the two can only repeat a report, never lose one. The
/// recorder knows no mode: a plan adds its file as one more sink.
public final class OutcomeRecorder {
    /// Where an import writes; every part is optional. ``sinks(adding:)`` turns them into the recorder's sinks.
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

        /// The sinks in their order of durability, with `files` (a mode's own outputs) after the error and
        /// rejects files and before the journal.
        public func sinks(adding files: [any OutcomeSink] = []) -> [any OutcomeSink] {
            var sinks: [any OutcomeSink] = []
            if let progress { sinks.append(progress) }
            if let errorFile { sinks.append(errorFile) }
            if let rejects { sinks.append(rejects) }
            sinks += files
            if let journal { sinks.append(JournalSink(journal: journal, checkpoint: checkpoint)) }
            if rowLines { sinks.append(RowLineSink(stdout: stdout, color: color, progress: progress)) }
            return sinks
        }

        /// Reads the output files' sizes now, for the journal (see ``OutputCheckpoint``).
        public var checkpoint: () -> OutputCheckpoint? {
            { [errorFile, rejects] in
                guard errorFile != nil || rejects != nil else { return nil }
                return OutputCheckpoint(errors: errorFile?.size, rejects: rejects?.size)
            }
        }
    }

    /// Warnings of one kind printed in full before the rest are only counted.
    static let warningsShownPerKind = 10

    private let sinks: [any OutcomeSink]
    private let stderr: any TextSink
    private let checkpointNow: () -> OutputCheckpoint?
    /// Counts so far, including rows settled by earlier runs of the same journal.
    public private(set) var summary: ImportSummary
    /// Rows this run has settled (for progress, which counts this run only when resuming).
    private var settledThisRun = 0
    private var warningsShown: [RowWarning.Kind: Int] = [:]

    /// Counts carried over from the journal: progress shows this run's rows only, done, ok and failed alike.
    private let initial: ImportSummary

    /// - Parameters:
    ///   - sinks: where each settled row goes, in this order.
    ///   - stderr: where warnings are printed.
    ///   - checkpoint: the output files' sizes now (``checkpoint``).
    ///   - initial: counts carried over from the journal of an interrupted run.
    public init(
        sinks: [any OutcomeSink], stderr: any TextSink, checkpoint: @escaping () -> OutputCheckpoint? = { nil },
        initial: ImportSummary = ImportSummary()
    ) {
        self.sinks = sinks
        self.stderr = stderr
        self.checkpointNow = checkpoint
        self.summary = initial
        self.initial = initial
    }

    /// Records into `outputs`, and into `files` (a mode's own outputs) after the error and rejects files.
    ///
    /// - Parameter initial: counts carried over from the journal of an interrupted run.
    public convenience init(
        outputs: Outputs, adding files: [any OutcomeSink] = [], initial: ImportSummary = ImportSummary()
    ) {
        self.init(
            sinks: outputs.sinks(adding: files), stderr: outputs.stderr, checkpoint: outputs.checkpoint,
            initial: initial)
    }

    /// Prints (up to a limit per kind) and counts a row's warnings.
    public func record(warnings: [RowWarning]) {
        for warning in warnings {
            summary.warnings += 1
            let shown = warningsShown[warning.kind, default: 0]
            warningsShown[warning.kind] = shown + 1
            if shown < Self.warningsShownPerKind {
                stderr.write(RowLineFormatter.line(for: warning))
            } else if shown == Self.warningsShownPerKind {
                stderr.write("warning: more warnings like this are counted but not shown\n")
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
        summary.counts.failed += 1
        if let effects { countEffects(effects) }
        summary.failuresByReason.add(reason: failure.reasonText, line: failure.line, example: failure.reasonExample)
        try settle(.failed(failure, fields: fields, bytes: bytes, effects: effects))
    }

    /// Records the result of a row that reached WorkOS.
    public func record(result: RowResult, row: ImportRow, fields: [String]) throws(ImportError) {
        if result.organizationCreated { summary.counts.organizationsCreated += 1 }
        if let failure = result.failure {
            try record(failure: failure, fields: fields, bytes: row.byteRange, effects: result)
            return
        }
        summary.counts.count(result.outcome)
        countEffects(result)
        try settle(.succeeded(result, row: row))
    }

    /// Hands a settled row to every sink, in order, and counts it for the progress line.
    private func settle(_ row: SettledRow) throws(ImportError) {
        for sink in sinks { try sink.take(row) }
        settledThisRun += 1
    }

    /// Counts the memberships and factors a row changed.
    private func countEffects(_ result: RowResult) {
        summary.counts.count(result.membership)
        summary.counts.count(result.factor)
    }

    /// The output files' sizes now, recorded in the journal with each failure (see ``OutputCheckpoint``).
    public var checkpoint: OutputCheckpoint? { checkpointNow() }

    /// Updates the progress line with the position in the file.
    ///
    /// - Parameter alsoSettled: rows settled without passing through the recorder (the dry run's valid
    ///   rows), counted as done and ok.
    public func progress(bytesFraction: Double?, alsoSettled: Int = 0) {
        for sink in sinks {
            sink.update(
                done: settledThisRun + alsoSettled,
                ok: summary.counts.succeeded - initial.counts.succeeded + alsoSettled,
                failed: summary.counts.failed - initial.counts.failed, bytesFraction: bytesFraction)
        }
    }

    /// Completes every sink (closes the error, rejects and mode files so they are complete and valid).
    public func closeFiles() throws(ImportError) {
        for sink in sinks { try sink.finish() }
    }
}
