import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A report file (`--errors-out`, `--rejects`) could not be created, written or closed.
///
/// These are fatal for the run: a report the user asked for must not silently go missing. Every
/// description names the path and says what to do about it.
public enum OutputFileError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The file could not be created or opened; `code` is the `errno` value.
    case cannotOpen(path: String, code: Int32)
    /// An existing file could not be read back when appending to it.
    case cannotRead(path: String, code: Int32)
    /// The input CSV could not be read again to copy a failed record into the rejects file.
    case cannotReadInput(path: String, code: Int32)
    /// Bytes could not be written (disk full, file system gone read-only, ...).
    case cannotWrite(path: String, code: Int32)
    /// The file could not be flushed and closed, so its end may be missing.
    case cannotClose(path: String, code: Int32)
    /// The writer was used after `close()`; a programming error surfaced as data rather than a crash.
    case alreadyClosed(path: String)
    /// Appending was asked for, but the existing file is not in the shape this tool writes.
    case notResumable(path: String, reason: String)

    /// The path the error is about.
    public var path: String {
        switch self {
        case .cannotOpen(let path, _), .cannotRead(let path, _), .cannotReadInput(let path, _),
            .cannotWrite(let path, _),
            .cannotClose(let path, _), .alreadyClosed(let path), .notResumable(let path, _):
            return path
        }
    }

    /// A sentence naming the path, the cause and the fix.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let code):
            return "Cannot create '\(path)': \(SystemError.describe(code)). \(Self.hint(code))"
        case .cannotRead(let path, let code):
            return "Cannot read '\(path)' to continue it: \(SystemError.describe(code)). \(Self.hint(code))"
        case .cannotReadInput(let path, let code):
            return
                "Cannot read '\(path)' again to copy its failed rows to the rejects file: \(SystemError.describe(code)). "
                + "Keep the input file in place, unchanged, until the import ends."
        case .cannotWrite(let path, let code):
            return "Cannot write to '\(path)': \(SystemError.describe(code)). \(Self.hint(code))"
        case .cannotClose(let path, let code):
            return "Cannot finish writing '\(path)': \(SystemError.describe(code)). \(Self.hint(code))"
        case .alreadyClosed(let path):
            return "'\(path)' was already closed; nothing more can be written to it."
        case .notResumable(let path, let reason):
            return "Cannot continue '\(path)': \(reason). Move the file away or choose another path, then run again."
        }
    }

    /// Same as ``description``, for APIs that read `LocalizedError`.
    public var errorDescription: String? { description }

    private static func hint(_ code: Int32) -> String {
        switch code {
        case ENOENT, ENOTDIR:
            return "The folder does not exist: create it first or choose a path in an existing folder."
        case EACCES, EPERM:
            return "Check the permissions of the file and its folder, or choose a path you can write to."
        case EISDIR:
            return "That path is a folder: give a file name instead."
        case EROFS:
            return "The file system is read-only: choose a path on a writable disk."
        case ENOSPC, EDQUOT:
            return "The disk is full: free some space or choose a path on another disk."
        default:
            return "Check that the path is writable and the disk has free space."
        }
    }
}
