/// Why a CSV file cannot be read at all. Each description is one sentence saying how to fix it.
///
/// Problems with single records are not errors: the reader returns them as
/// ``CSVReadResult/malformed(_:reason:)`` and goes on with the next record.
public enum CSVReaderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No file at the path.
    case fileNotFound(path: String)
    /// The file exists but this user may not read it.
    case permissionDenied(path: String)
    /// The path names a directory.
    case isDirectory(path: String)
    /// Opening or reading failed for another reason; `reason` is the system's message.
    case unreadable(path: String, reason: String)
    /// The file has no header line: it is empty, holds only a byte order mark, or only blank lines.
    case emptyFile(path: String)
    /// The file starts with a UTF-16 byte order mark.
    case utf16(path: String)
    /// The header line contains NUL bytes, so the file is probably binary or UTF-16 without a mark.
    case notText(path: String)
    /// The header line is not valid UTF-8.
    case headerNotUTF8(path: String)
    /// The file was read as UTF-8 but is not: `line` holds its first byte that is not UTF-8. Checked over
    /// the whole file before any row is used, so a Windows export is refused rather than half imported.
    case notUTF8(path: String, line: Int)
    /// The header line cannot be parsed; `reason` says what is wrong with it.
    case malformedHeader(path: String, reason: String)

    /// One sentence for the user: what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "Cannot find CSV file \(path); check the path given to --csv (it is relative to the current folder)."
        case .permissionDenied(let path):
            return "The file \(path) cannot be read (permission denied); make it readable by this user."
        case .isDirectory(let path):
            return "\(path) is a directory; pass the path of a CSV file."
        case .unreadable(let path, let reason):
            return "The file \(path) could not be read (\(reason)); check the file and try again."
        case .emptyFile(let path):
            return "The file \(path) has no header line; the first line must name the columns, e.g. "
                + "email,first_name,last_name."
        case .utf16(let path):
            return "The file \(path) is UTF-16 encoded; save it as UTF-8 (in Excel: CSV UTF-8)."
        case .notText(let path):
            return "The file \(path) contains NUL bytes in its header, so it is not a UTF-8 text file; "
                + "export it again as CSV UTF-8."
        case .headerNotUTF8(let path):
            return "The header of \(path) is not valid UTF-8; save the file as UTF-8 (in Excel: CSV UTF-8)."
        case .notUTF8(let path, let line):
            return "The file \(path) is not valid UTF-8 (first at line \(line)), so no row was imported; save it "
                + "as UTF-8 (in Excel: CSV UTF-8), or pass --encoding cp1252 for a Windows or Excel export, or "
                + "--encoding latin1 for ISO-8859-1, to convert it while reading."
        case .malformedHeader(let path, let reason):
            return "The header line of \(path) cannot be read: \(reason); fix the first line of the file."
        }
    }
}
