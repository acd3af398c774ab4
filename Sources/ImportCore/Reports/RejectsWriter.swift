/// Writes the failed rows in the input's own columns, ready to fix and feed back with `--csv`.
///
/// Unlike the error file, values are kept exactly as read, passwords included, because the file exists to
/// be imported again; that is why it is created with mode 0600. Rows reach the operating system as they
/// are written. Used by the one task that collects outcomes, so it is deliberately not `Sendable`.
public final class RejectsWriter {
    /// The file being written.
    public let path: String
    /// Rows written by this writer (not counting those already in a resumed file).
    public private(set) var rowsWritten = 0
    /// The file's size in bytes after the last write: the journal records it with each failure.
    public private(set) var size = 0

    private var fd: Int32?

    /// Opens (or creates) the rejects file and writes the input's header, unless `append` continues a
    /// file that already has one.
    ///
    /// - Parameter keeping: with `append`, the size the journal recorded after its last failure; rows after
    ///   it belong to rows the journal never settled and are cut off, so each failed row appears once.
    public init(path: String, header: [String], append: Bool, keeping: Int? = nil) throws(OutputFileError) {
        self.path = path
        let fd = try append ? SecureFile.openForAppend(path: path) : SecureFile.open(path: path, append: false)
        self.fd = fd
        if append, let keeping { try SecureFile.cut(fd, to: keeping, path: path) }
        let size = try SecureFile.size(of: fd, path: path)
        if size > 0 {
            try SecureFile.endWithNewline(fd, size: size, path: path)
        } else {
            try SecureFile.write(CSVRowEncoder.line(header), to: fd, path: path)
        }
        self.size = try SecureFile.size(of: fd, path: path)
    }

    deinit {
        try? close()
    }

    /// Writes one row's raw cells, quoted as RFC 4180 requires.
    public func write(fields: [String]) throws(OutputFileError) {
        guard let fd else { throw .alreadyClosed(path: path) }
        let line = CSVRowEncoder.line(fields)
        try SecureFile.write(line, to: fd, path: path)
        size += line.utf8.count
        rowsWritten += 1
    }

    /// Closes the file. Calling it again does nothing.
    public func close() throws(OutputFileError) {
        guard let fd else { return }
        self.fd = nil
        try SecureFile.close(fd, path: path)
    }
}
