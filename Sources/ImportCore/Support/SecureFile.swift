#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Opens and writes report files so that user data is private and nothing reported is lost.
///
/// Files are created with mode 0600, and an existing regular file is set to 0600 too, since it now holds
/// this run's user data. Anything that is not a regular file (a device such as `/dev/null`, a pipe) keeps its
/// mode: as root, a chmod there would lock every other user out of it. Writes go straight to the file descriptor with no user-space buffer, so
/// each record reaches the operating system the moment it is written and a crash loses nothing reported.
public enum SecureFile {
    /// Opens `path` for writing and returns its file descriptor, mode 0600.
    ///
    /// With `append` the existing content is kept and writes go to the end; otherwise the file is
    /// truncated. A missing file is created in both cases.
    public static func open(path: String, append: Bool) throws(OutputFileError) -> Int32 {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
        return try openFile(path: path, flags: flags)
    }

    /// Opens `path` for reading and writing without truncating it, mode 0600; used to reopen a JSON array.
    static func openForUpdate(path: String) throws(OutputFileError) -> Int32 {
        try openFile(path: path, flags: O_RDWR | O_CREAT | O_CLOEXEC)
    }

    /// Opens `path` for appending and reading back its end, mode 0600; used to continue a CSV or JSONL file.
    static func openForAppend(path: String) throws(OutputFileError) -> Int32 {
        try openFile(path: path, flags: O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC)
    }

    private static func openFile(path: String, flags: Int32) throws(OutputFileError) -> Int32 {
        let fd: Int32
        do throws(FileCallError) {
            fd = try FileIO.open(path, flags)
        } catch {
            throw .cannotOpen(path: path, code: error.code)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            _ = systemClose(fd)
            throw .cannotOpen(path: path, code: code)
        }
        // Only a regular file holds what this run writes; a device or a pipe keeps its mode.
        if (info.st_mode & S_IFMT) == S_IFREG && fchmod(fd, 0o600) != 0 {
            let code = errno
            _ = systemClose(fd)
            throw .cannotOpen(path: path, code: code)
        }
        return fd
    }

    /// Cuts a file being continued back to the `length` an interrupted run's journal recorded.
    ///
    /// A longer file holds records of rows the journal never settled (the run died between writing them
    /// and journaling them); they are written again when those rows are. A shorter file lost records
    /// since, which cannot be repaired, so it is refused.
    static func cut(_ fd: Int32, to length: Int, path: String) throws(OutputFileError) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(path: path, code: errno) }
        // Only a regular file has a length to restore (a device such as /dev/null has none).
        guard (info.st_mode & S_IFMT) == S_IFREG else { return }
        let size = Int(info.st_size)
        if size < length {
            throw .notResumable(
                path: path,
                reason:
                    "it is shorter (\(size) bytes) than when the interrupted run last wrote it (\(length) bytes), so "
                    + "records are missing")
        }
        if size > length { try truncate(fd, to: length, path: path) }
    }

    /// Writes all of `text` to `fd`, retrying short writes and interruptions.
    public static func write(_ text: String, to fd: Int32, path: String) throws(OutputFileError) {
        var text = text
        let code: Int32? = text.withUTF8 { buffer in writeAll(buffer, to: fd) }
        if let code { throw .cannotWrite(path: path, code: code) }
    }

    /// Writes the whole buffer and returns `nil`, or the `errno` of the first failure.
    static func writeAll(_ buffer: UnsafeBufferPointer<UInt8>, to fd: Int32) -> Int32? {
        do throws(FileCallError) {
            try FileIO.writeAll(fd, UnsafeRawBufferPointer(buffer))
            return nil
        } catch {
            return error.code
        }
    }

    /// The size of the open file in bytes.
    static func size(of fd: Int32, path: String) throws(OutputFileError) -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(path: path, code: errno) }
        return Int(info.st_size)
    }

    /// Reads up to `count` bytes at `offset` without moving the file position.
    static func read(_ fd: Int32, at offset: Int, count: Int, path: String) throws(OutputFileError) -> [UInt8] {
        do throws(FileCallError) {
            return try FileIO.readBytes(fd, count: count, at: offset)
        } catch {
            throw .cannotRead(path: path, code: error.code)
        }
    }

    /// Cuts the file down to `length` bytes.
    static func truncate(_ fd: Int32, to length: Int, path: String) throws(OutputFileError) {
        guard ftruncate(fd, off_t(length)) == 0 else { throw .cannotWrite(path: path, code: errno) }
    }

    /// Moves the write position to the end of the file.
    static func seekToEnd(_ fd: Int32, path: String) throws(OutputFileError) {
        guard lseek(fd, 0, SEEK_END) >= 0 else { throw .cannotWrite(path: path, code: errno) }
    }

    /// Adds a line break when a line-based file was cut off mid-line, so the next line starts cleanly.
    static func endWithNewline(_ fd: Int32, size: Int, path: String) throws(OutputFileError) {
        let last = try read(fd, at: size - 1, count: 1, path: path)
        if last.first != 0x0A { try write("\n", to: fd, path: path) }
    }

    /// Closes `fd`, reporting a failed close (which can mean lost data on network file systems).
    public static func close(_ fd: Int32, path: String) throws(OutputFileError) {
        guard systemClose(fd) == 0 else { throw .cannotClose(path: path, code: errno) }
    }
}

// Free functions so the calls reach the C library rather than the same-named members above.
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
