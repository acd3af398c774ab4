/// Why an undo could not start or go on; each message says what to do about it.
public enum UndoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No journal at the path given with `--journal`.
    case journalMissing(path: String)
    /// The import journal could not be read.
    case journal(JournalError)
    /// The undo journal next to the import journal belongs to another import.
    case undoJournalOfAnotherImport(path: String, runId: String)
    /// The undo journal could not be read or written.
    case undoJournal(path: String, reason: String)
    /// Another undo is running on this journal right now.
    case undoInUse(path: String)
    /// The import is still running on its journal.
    case importRunning(path: String)
    /// Without a terminal to ask on, an undo needs `--yes`.
    case confirmationNeeded
    /// The import wrote to another WorkOS environment (API address or secret key) than this undo would go to.
    case environmentChanged(journalPath: String, differences: [String])
    /// The journal does not record its environment, so an undo cannot tell a 404 of the wrong environment
    /// from a deletion.
    case environmentUnknown(journalPath: String)

    /// A sentence or two the CLI prints as is.
    public var description: String {
        switch self {
        case .journalMissing(let path):
            return "There is no import journal at \(path). Give the journal the import wrote with --journal <path>, "
                + "or its CSV file with --csv <path> (the journal is then <csv path>.journal; --run N for a kept "
                + "earlier run, <journal>.N)."
        case .journal(let error):
            return error.description
        case .undoJournalOfAnotherImport(let path, let runId):
            return "The undo journal \(path) belongs to another import (run \(runId)). Move it away, or give "
                + "this undo another one with --undo-journal <path>."
        case .undoJournal(let path, let reason):
            return "Cannot use the undo journal \(path): \(reason). Fix its folder or permissions, or choose "
                + "another location with --undo-journal <path>."
        case .undoInUse(let path):
            return "Another undo is running on \(path). Wait for it to end, or stop it first."
        case .importRunning(let path):
            return "An import is still running on the journal \(path). Let it end (or stop it with Ctrl-C), then "
                + "run undo again."
        case .environmentChanged(let journalPath, let differences):
            return "The import in \(journalPath) wrote to another WorkOS environment: "
                + differences.joined(separator: "; ")
                + ". Run undo with the API address (--base-url or WORKOS_BASE_URL) and the key "
                + "(WORKOS_SECRET_KEY) the import used; nothing was deleted."
        case .environmentUnknown(let journalPath):
            return "The journal \(journalPath) does not record which WorkOS environment the import wrote to, so "
                + "undo cannot tell a deletion from a wrong environment. Delete what it lists by hand; nothing "
                + "was deleted."
        case .confirmationNeeded:
            return "undo deletes users, memberships, factors and organizations and there is no terminal to ask "
                + "on: run it again with --yes to confirm."
        }
    }
}
