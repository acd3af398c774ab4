/// What a run does with the journal it found: start a new one, or continue the one there.
public enum JournalDecision: Sendable {
    /// No usable journal, or `--restart`: create a new journal (new run id) and process every row.
    case start
    /// An interrupted import of the same file with the same options: append to the journal, skip the
    /// settled rows, and count them in the summary.
    case resume(JournalState)
    /// The journal records a finished import: start a new journal. Running a finished import again
    /// creates nothing new; every row reports that the user already existed.
    case restartBecauseComplete(JournalState)
}

extension JournalDecision {
    /// Decides whether a run starts over or resumes, from the journal found at its journal path.
    ///
    /// - Parameters:
    ///   - existing: the replayed journal (`JournalReplay.load`), nil when there is none.
    ///   - csv: the fingerprint of the CSV file this run reads.
    ///   - settings: this run's options.
    ///   - restart: `--restart` was given.
    ///   - environment: the WorkOS environment this run imports into; a resume must go to the journal's.
    ///   - journalPath: the journal's path, for error messages.
    /// - Throws: `JournalError.csvChanged` when the file's content differs from the interrupted run's, and
    ///   `.settingsChanged` when the options differ, `.environmentChanged` or `.environmentUnknown` when the
    ///   journal belongs to another (or an unrecorded) environment; every message points at `--restart`.
    public static func decide(
        existing: JournalState?, csv: CSVFingerprint, settings: JournalSettings, restart: Bool,
        environment: JournalEnvironment, journalPath: String = "the journal"
    ) throws(JournalError) -> JournalDecision {
        guard !restart, let existing else { return .start }
        if existing.isComplete { return .restartBecauseComplete(existing) }
        if !existing.header.csv.sameContent(as: csv) {
            throw .csvChanged(csvPath: csv.path, journalPath: journalPath)
        }
        guard let recorded = existing.header.environment else { throw .environmentUnknown(journalPath: journalPath) }
        let moved = recorded.differences(from: environment)
        if !moved.isEmpty { throw .environmentChanged(journalPath: journalPath, differences: moved) }
        let differences = existing.header.settings.differences(from: settings)
        if !differences.isEmpty {
            throw .settingsChanged(journalPath: journalPath, differences: differences)
        }
        return .resume(existing)
    }
}
