#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes the failed records exactly as they are in the input, byte for byte, ready to fix and feed back
/// with `--csv`.
///
/// Re-encoding the parsed fields would lose what the user has to fix: a malformed record such as
/// `x@example.com,"Ed"x,L` would come out re-quoted, bytes of another encoding would become replacement
/// characters, and a `sep=;` line or a semicolon layout would turn into commas. So the writer copies bytes
/// from the input file instead: first the header line as it was (with any `sep=` line and the blank lines
/// before it, without a byte order mark), then each failed record's bytes with its own line ending. A
/// last record that had no line ending gets the header's, so the next record starts on a new line.
///
/// Unlike the error file, values are kept exactly as read, passwords included, because the file exists to
/// be imported again; that is why it is created with mode 0600. Rows reach the operating system as they
/// are written. Used by the one task that collects outcomes, so it is deliberately not `Sendable`.
public final class RejectsWriter {
    /// The file being written.
    public let path: String
    /// The CSV file the records are copied from.
    public let inputPath: String
    /// Rows written by this writer (not counting those already in a resumed file).
    public private(set) var rowsWritten = 0
    /// The file's size in bytes after the last write: the journal records it with each failure.
    public private(set) var size = 0

    private var fd: Int32?
    private var inputFD: Int32?
    /// The header's line ending (LF, CRLF or CR), given to a last record that had none.
    private let lineEnding: [UInt8]

    /// Opens (or creates) the rejects file and copies the input's header into it, unless `append`
    /// continues a file that already has one.
    ///
    /// - Parameters:
    ///   - inputPath: the CSV file being imported; it is read again, never written.
    ///   - headerBytes: where the header sits in that file (``CSVReader/headerBytes``).
    ///   - keeping: with `append`, the size the journal recorded after its last failure; rows after it belong to
    ///     rows the journal never settled and are cut off, so each failed row appears once.
    public init(
        path: String, inputPath: String, headerBytes: Range<Int>, append: Bool, keeping: Int? = nil
    ) throws(OutputFileError) {
        self.path = path
        self.inputPath = inputPath
        let input = open(inputPath, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .cannotReadInput(path: inputPath, code: errno) }
        let header: [UInt8]
        do throws(OutputFileError) {
            header = try Self.read(input, headerBytes, inputPath: inputPath)
        } catch {
            _ = systemClose(input)
            throw error
        }
        lineEnding = Self.lineEnding(of: header)
        let fd: Int32
        do throws(OutputFileError) {
            fd = try append ? SecureFile.openForAppend(path: path) : SecureFile.open(path: path, append: false)
        } catch {
            _ = systemClose(input)
            throw error
        }
        self.fd = fd
        self.inputFD = input
        if append, let keeping { try SecureFile.cut(fd, to: keeping, path: path) }
        let existing = try SecureFile.size(of: fd, path: path)
        if existing > 0 {
            try SecureFile.endWithNewline(fd, size: existing, path: path)
        } else {
            try write(header)
        }
        size = try SecureFile.size(of: fd, path: path)
    }

    deinit {
        try? close()
    }

    /// Copies one record's bytes from the input, `range` being ``CSVRecord/byteRange``.
    public func write(recordAt range: Range<Int>) throws(OutputFileError) {
        guard let inputFD else { throw .alreadyClosed(path: path) }
        try write(try Self.read(inputFD, range, inputPath: inputPath))
        rowsWritten += 1
    }

    /// Closes the file. Calling it again does nothing.
    public func close() throws(OutputFileError) {
        if let inputFD {
            self.inputFD = nil
            _ = systemClose(inputFD)
        }
        guard let fd else { return }
        self.fd = nil
        try SecureFile.close(fd, path: path)
    }

    /// Writes `bytes`, adding the line ending when they do not end with one.
    private func write(_ bytes: [UInt8]) throws(OutputFileError) {
        guard let fd else { throw .alreadyClosed(path: path) }
        var bytes = bytes
        if let last = bytes.last, last != 0x0A && last != 0x0D { bytes += lineEnding }
        let code = bytes.withUnsafeBufferPointer { SecureFile.writeAll($0, to: fd) }
        if let code { throw .cannotWrite(path: path, code: code) }
        size += bytes.count
    }

    private static func read(_ fd: Int32, _ range: Range<Int>, inputPath: String) throws(OutputFileError) -> [UInt8] {
        let bytes: [UInt8]
        do throws(OutputFileError) {
            bytes = try SecureFile.read(fd, at: range.lowerBound, count: range.count, path: inputPath)
        } catch {
            if case .cannotRead(_, let code) = error { throw .cannotReadInput(path: inputPath, code: code) }
            throw error
        }
        // The file shrank since it was read: it changed under the import, so its bytes cannot be trusted.
        guard bytes.count == range.count else { throw .cannotReadInput(path: inputPath, code: EIO) }
        return bytes
    }

    private static func lineEnding(of header: [UInt8]) -> [UInt8] {
        guard let last = header.last else { return [0x0A] }
        if last == 0x0A { return header.count >= 2 && header[header.count - 2] == 0x0D ? [0x0D, 0x0A] : [0x0A] }
        return last == 0x0D ? [0x0D] : [0x0A]
    }
}

/// `close(2)`, named apart from ``RejectsWriter/close()``.
private func systemClose(_ fd: Int32) -> Int32 {
    close(fd)
}
