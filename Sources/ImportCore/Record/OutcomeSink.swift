/// A row as ``OutcomeRecorder`` hands it to its sinks once it has settled.
public enum SettledRow {
    /// A row that failed before reaching WorkOS, or that WorkOS refused.
    ///
    /// `fields` are the row's cells (the error file's `rawRow`), `bytes` where the row is in the input (the
    /// rejects file's byte-for-byte copy), and `effects` what the row did in WorkOS before it failed.
    case failed(RowFailure, fields: [String], bytes: Range<Int>, effects: RowResult?)
    /// A row that reached WorkOS and ended without a failure.
    case succeeded(RowResult, row: ImportRow)
}

/// One place a run's outcomes go: the error file, the rejects file, the journal, the per-row lines, the
/// progress line, or a mode's own file (the plan's predictions).
///
/// The recorder calls its sinks in the order it was given them, so a sink that must be durable before another
/// (the error and rejects files before the journal, the journal before the row's line) comes first. A sink
/// knows nothing of the mode that made it: a run is whichever sinks it was given.
public protocol OutcomeSink: AnyObject {
    /// Takes one settled row; an error stops the run.
    func take(_ row: SettledRow) throws(ImportError)
    /// Told the counts so far (rows of this run only), so a progress display can redraw.
    func update(done: Int, ok: Int, failed: Int, bytesFraction: Double?)
    /// Completes what the sink writes at the end of the run (closes its file, clears its line).
    func finish() throws(ImportError)
}

extension OutcomeSink {
    /// Most sinks show no progress.
    public func update(done: Int, ok: Int, failed: Int, bytesFraction: Double?) {}
}

extension ErrorFileWriter: OutcomeSink {
    /// Writes a failed row; a row that succeeded has no entry.
    public func take(_ row: SettledRow) throws(ImportError) {
        guard case .failed(let failure, let fields, _, _) = row else { return }
        do { try write(failure, fields: fields) } catch { throw .output(error) }
    }

    /// Closes the JSON array.
    public func finish() throws(ImportError) {
        do { try close() } catch { throw .output(error) }
    }
}

extension RejectsWriter: OutcomeSink {
    /// Copies a failed row's bytes; a row that succeeded is not a reject.
    public func take(_ row: SettledRow) throws(ImportError) {
        guard case .failed(_, _, let bytes, _) = row else { return }
        do { try write(recordAt: bytes) } catch { throw .output(error) }
    }

    /// Closes the file.
    public func finish() throws(ImportError) {
        do { try close() } catch { throw .output(error) }
    }
}

extension ProgressReporter: OutcomeSink {
    /// Rows reach the progress line through ``update(done:ok:failed:bytesFraction:)``, not one by one.
    public func take(_ row: SettledRow) {}
}

/// Journals each settled row, after the output files have it (a crash between the two can only repeat a
/// report, never lose one).
public final class JournalSink: OutcomeSink {
    private let journal: JournalWriter
    private let checkpoint: () -> OutputCheckpoint?

    /// - Parameter checkpoint: the output files' sizes now, journaled with each failure so a resume can cut
    ///   them back to the last journaled row.
    public init(journal: JournalWriter, checkpoint: @escaping () -> OutputCheckpoint?) {
        self.journal = journal
        self.checkpoint = checkpoint
    }

    /// Journals the row's outcome and what it did in WorkOS.
    public func take(_ row: SettledRow) throws(ImportError) {
        do {
            try journal.record(Self.entry(for: row, checkpoint: checkpoint))
        } catch {
            throw .journal(error)
        }
    }

    /// The journal is finished by the run, which knows whether it completed.
    public func finish() {}

    static func entry(for row: SettledRow, checkpoint: () -> OutputCheckpoint?) -> JournalEntry {
        switch row {
        case .failed(let failure, _, _, let effects):
            return JournalEntry(
                record: failure.recordNumber, outcome: .failed, userId: failure.userId,
                membership: effects?.membership ?? .none, organizationId: effects?.organizationId,
                membershipId: effects?.membershipId, factor: effects?.factor ?? .none, factorId: effects?.factorId,
                outputs: checkpoint(), line: failure.line, reason: failure.reasonText,
                userCreated: failure.userId != nil && effects?.userCreated == true)
        case .succeeded(let result, let row):
            return JournalEntry(
                record: row.recordNumber, outcome: result.outcome, userId: result.userId,
                membership: result.membership, organizationId: result.organizationId,
                membershipId: result.membershipId, factor: result.factor, factorId: result.factorId)
        }
    }
}

/// Prints a line per row on stdout (not with `--quiet` or `--json`).
public final class RowLineSink: OutcomeSink {
    private let stdout: any TextSink
    private let color: Bool
    private let progress: ProgressReporter?

    /// - Parameters:
    ///   - color: colour the per-row marks (stdout is a terminal and `NO_COLOR` is unset).
    ///   - progress: the live progress line, cleared before each row's line.
    public init(stdout: any TextSink, color: Bool, progress: ProgressReporter?) {
        self.stdout = stdout
        self.color = color
        self.progress = progress
    }

    /// Prints the row's line.
    public func take(_ row: SettledRow) {
        let report: RowReport
        switch row {
        case .failed(let failure, _, _, _):
            report = RowReport(failure: failure)
        case .succeeded(let result, let row):
            report = RowReport(
                line: row.line, recordNumber: row.recordNumber, email: row.email, kind: result.outcome,
                userId: result.userId, membership: result.membership, organization: row.organization?.label,
                factor: result.factor, message: result.note)
        }
        // On a terminal, stdout and stderr share the screen: the live progress line goes first.
        progress?.clearLine()
        stdout.write(RowLineFormatter.line(for: report, color: color))
    }

    /// Lines are written whole; nothing is left to complete.
    public func finish() {}
}
