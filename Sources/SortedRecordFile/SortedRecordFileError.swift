#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A ``SortedRecordFile`` could not create, write or read one of its files, or was used wrongly.
///
/// The files live in a temporary folder the caller chose, so every description names the path and says
/// what to do about it, as ``OutputFileError`` does for report files.
package enum SortedRecordFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file could not be created in the folder; `code` is the `errno` value.
    case cannotCreate(path: String, code: Int32)
    /// Bytes could not be written (disk full, file system gone read-only, ...).
    case cannotWrite(path: String, code: Int32)
    /// Bytes could not be read back.
    case cannotRead(path: String, code: Int32)
    /// A file is shorter than what was written to it, so it was changed or cut behind this process's back.
    case truncated(path: String)
    /// One payload is larger than the 4 GiB an entry can describe.
    case payloadTooLarge(path: String, length: Int)
    /// `add` or `finish` was called on a builder that already finished.
    case alreadyFinished(path: String)
    /// A lookup was made after `close()`.
    case closed(path: String)

    /// The path the error is about.
    package var path: String {
        switch self {
        case .cannotCreate(let path, _), .cannotWrite(let path, _), .cannotRead(let path, _), .truncated(let path),
            .payloadTooLarge(let path, _), .alreadyFinished(let path), .closed(let path):
            return path
        }
    }

    /// A sentence naming the path, the cause and the fix.
    package var description: String {
        switch self {
        case .cannotCreate(let path, let code):
            return "Cannot create the index file '\(path)': \(systemDescription(code)). \(Self.hint(code))"
        case .cannotWrite(let path, let code):
            return "Cannot write to the index file '\(path)': \(systemDescription(code)). \(Self.hint(code))"
        case .cannotRead(let path, let code):
            return "Cannot read the index file '\(path)': \(systemDescription(code)). \(Self.hint(code))"
        case .truncated(let path):
            return
                "The index file '\(path)' is shorter than what was written to it; something else changed it. "
                + "Leave the temporary folder alone while the run lasts, then run again."
        case .payloadTooLarge(let path, let length):
            return
                "A record of \(length) bytes is too large for the index '\(path)', which holds records up to 4 GiB."
        case .alreadyFinished(let path):
            return "The index '\(path)' was already finished; nothing more can be added to it."
        case .closed(let path):
            return "The index '\(path)' was already closed and its files removed; nothing can be looked up in it."
        }
    }

    private static func hint(_ code: Int32) -> String {
        switch code {
        case ENOENT, ENOTDIR:
            return "The temporary folder does not exist: create it or choose another one."
        case EACCES, EPERM:
            return "Check the permissions of the temporary folder, or choose one you can write to."
        case EROFS:
            return "The file system is read-only: choose a temporary folder on a writable disk."
        case ENOSPC, EDQUOT:
            return "The disk is full: free some space or choose a temporary folder on another disk."
        default:
            return "Check that the temporary folder is writable and its disk has free space."
        }
    }
}

/// The system's sentence for `errno` `code`; this target depends on nothing, so it has its own.
private func systemDescription(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}
