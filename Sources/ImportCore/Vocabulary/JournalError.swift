/// Why a journal could not be read, written or resumed; each message says what the user can do about it.
public enum JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The journal exists but could not be opened or read (I/O error, a folder at that path...).
    case unreadable(path: String, reason: String)
    /// The journal (or its folder) may not be read or written by this user.
    case permissionDenied(path: String)
    /// A line before the last one is not a journal line: the file was edited or damaged.
    case corrupt(path: String, line: Int)
    /// The file at the journal path was not written by this tool; it is left untouched.
    case notAJournal(path: String)
    /// The journal was written by a newer version of this tool.
    case newerVersion(path: String, version: Int)
    /// The CSV file differs from the one the interrupted run was importing.
    case csvChanged(csvPath: String, journalPath: String)
    /// The import options differ from those of the interrupted run; the strings name each difference.
    case settingsChanged(journalPath: String, differences: [String])
    /// Writing the journal failed (disk full, file system read-only...).
    case writeFailed(path: String, reason: String)
    /// The CSV file could not be read to fingerprint it.
    case csvUnreadable(path: String, reason: String)
    /// Another import is running on this journal right now.
    case inUse(path: String)
    /// The journal was written against another WorkOS environment (API address or secret key).
    case environmentChanged(journalPath: String, differences: [String])
    /// The journal was written by a version that did not record its environment, so a resume cannot be
    /// checked to go to the same one.
    case environmentUnknown(journalPath: String)
    /// A dry run would overwrite an output file that an interrupted import is still filling.
    case outputOfInterruptedImport(flag: String, path: String, journalPath: String)

    /// A sentence or two the CLI prints as is.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "Cannot read the journal \(path): \(reason). Check the path, or use --restart to start over "
                + "(rows already imported will then be reported as already existing)."
        case .permissionDenied(let path):
            return "Permission denied for the journal \(path). Fix its permissions, or choose another location "
                + "with --journal <path>."
        case .corrupt(let path, let line):
            return "The journal \(path) is damaged at line \(line) and cannot be resumed. Use --restart to start "
                + "over (rows already imported will then be reported as already existing)."
        case .notAJournal(let path):
            return "\(path) is not an import journal, so it was left untouched. Choose another location with "
                + "--journal <path>, or move that file away."
        case .newerVersion(let path, let version):
            return "The journal \(path) was written by a newer version of workos-import (format \(version), this "
                + "version reads up to \(JournalHeader.currentVersion)). Resume with the newer version, or use "
                + "--restart to start over."
        case .csvChanged(let csvPath, let journalPath):
            return "The file \(csvPath) changed since the interrupted run recorded in \(journalPath). Use "
                + "--restart to start over, or restore the file to resume."
        case .settingsChanged(let journalPath, let differences):
            return "The options differ from the interrupted run recorded in \(journalPath): "
                + differences.joined(separator: "; ")
                + ". Run again with the same options to resume, or use --restart to start over."
        case .writeFailed(let path, let reason):
            return "Cannot write the journal \(path): \(reason). Free some disk space or choose another location "
                + "with --journal <path>; rows already recorded are safe."
        case .csvUnreadable(let path, let reason):
            return "Cannot read the CSV file \(path): \(reason). Check the path and its permissions."
        case .inUse(let path):
            return "Another workos-import is running on the journal \(path) right now. Wait for it to finish (or "
                + "stop it), or give this run its own --journal <path> if it is a different import."
        case .environmentChanged(let journalPath, let differences):
            return "The interrupted import in \(journalPath) was running against another WorkOS environment: "
                + differences.joined(separator: "; ")
                + ". Resume it with the same --base-url and key, or use --restart to import this file into the "
                + "new environment from the start."
        case .environmentUnknown(let journalPath):
            return "The journal \(journalPath) does not record which WorkOS environment it was written for, so "
                + "it cannot be resumed safely. Use --restart to start over (rows already imported will then be "
                + "reported as already existing)."
        case .outputOfInterruptedImport(let flag, let path, let journalPath):
            return "\(flag) \(path) belongs to the interrupted import recorded in \(journalPath); a dry run would "
                + "overwrite it. Give the dry run another file, or finish the import first."
        }
    }
}
