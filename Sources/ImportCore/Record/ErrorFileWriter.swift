import Foundation

/// Writes failed rows to the `--errors-out` file as they happen: CSV, JSON Lines or one JSON array.
///
/// Each failure is encoded and handed to the operating system in one write, never gathered in memory,
/// so a crash loses nothing already reported. The file is created with mode 0600 because it holds
/// user data; secrets in the row are masked (see ``ErrorFileRecord``).
///
/// Used by the one task that collects outcomes, so it is deliberately not `Sendable`.
public final class ErrorFileWriter {
    /// The file being written.
    public let path: String
    /// The layout chosen from the path's extension.
    public let format: ErrorFileFormat
    /// Failures written by this writer (not counting those already in a resumed file).
    public private(set) var recordsWritten = 0
    /// The file's size in bytes after the last write: the journal records it with each failure.
    public private(set) var size = 0

    private let header: [String]
    private let secretColumns: Set<Int>
    private var fd: Int32?
    /// JSON array only: whether the array already holds a record, so the next one needs a comma.
    private var arrayHasRecords = false
    private let encoder: JSONEncoder

    /// Opens (or creates) the error file.
    ///
    /// - Parameters:
    ///   - header: the input CSV's column names, used as the keys of `rawRow`.
    ///   - secretColumns: the 0-based columns that feed one of our secret columns, whatever they are called
    ///     (``RowValidator/secretColumns``); masked besides those whose name says they hold a secret.
    ///   - append: continue the file of an interrupted run. CSV gets no second header; a JSON array is
    ///     reopened before its closing bracket and stays valid. A missing file is simply created.
    ///   - keeping: with `append`, the size the journal recorded after its last failure; anything after it
    ///     was written for a row the journal never settled, and is cut off so that row is reported once.
    public init(
        path: String, header: [String], secretColumns: Set<Int> = [], append: Bool, keeping: Int? = nil
    ) throws(OutputFileError) {
        self.path = path
        self.header = header
        self.secretColumns = secretColumns
        self.format = ErrorFileFormat(path: path)
        self.encoder = DeterministicJSON.makeEncoder()

        // The descriptor is kept only once the file is ready, so a failed open never runs close() on it.
        let fd: Int32
        switch format {
        case .csv, .jsonLines:
            fd = try append ? SecureFile.openForAppend(path: path) : SecureFile.open(path: path, append: false)
        case .jsonArray:
            fd = try append ? SecureFile.openForUpdate(path: path) : SecureFile.open(path: path, append: false)
        }
        do throws(OutputFileError) {
            if append, let keeping { try SecureFile.cut(fd, to: keeping, path: path) }
            arrayHasRecords = try Self.prepare(fd, format: format, append: append, path: path)
            size = try SecureFile.size(of: fd, path: path)
        } catch {
            try? SecureFile.close(fd, path: path)
            throw error
        }
        self.fd = fd
    }

    /// Writes what a file needs before its first record and says whether a JSON array already has records.
    private static func prepare(
        _ fd: Int32, format: ErrorFileFormat, append: Bool, path: String
    ) throws(OutputFileError) -> Bool {
        switch format {
        case .csv, .jsonLines:
            let size = try SecureFile.size(of: fd, path: path)
            if size > 0 {
                try SecureFile.endWithNewline(fd, size: size, path: path)
            } else if format == .csv {
                try SecureFile.write(CSVRowEncoder.line(ErrorFileRecord.csvColumns), to: fd, path: path)
            }
            return false
        case .jsonArray:
            if append { return try reopenArray(fd, path: path) }
            try SecureFile.write("[", to: fd, path: path)
            return false
        }
    }

    deinit {
        // A writer dropped without close() still leaves a valid file behind.
        try? close()
    }

    /// Writes one failure.
    ///
    /// - Parameter fields: the row's raw CSV cells in header order (empty when none could be read).
    public func write(_ failure: RowFailure, fields: [String]) throws(OutputFileError) {
        guard let fd else { throw .alreadyClosed(path: path) }
        let record = ErrorFileRecord(failure: failure, header: header, secretColumns: secretColumns, fields: fields)
        let text: String
        switch format {
        case .csv:
            text = CSVRowEncoder.line(record.csvFields(rawRowJSON: encode(record.rawRow)))
        case .jsonLines:
            text = encode(record) + "\n"
        case .jsonArray:
            text = (arrayHasRecords ? ",\n" : "\n") + encode(record)
        }
        try SecureFile.write(text, to: fd, path: path)
        size += text.utf8.count
        arrayHasRecords = true
        recordsWritten += 1
    }

    /// Finishes the file (a JSON array gets its closing bracket) and closes it. Calling it again does nothing.
    public func close() throws(OutputFileError) {
        guard let fd else { return }
        self.fd = nil
        if format == .jsonArray {
            do throws(OutputFileError) {
                try SecureFile.write("\n]\n", to: fd, path: path)
            } catch {
                try? SecureFile.close(fd, path: path)
                throw error
            }
        }
        try SecureFile.close(fd, path: path)
    }

    private func encode(_ value: some Encodable) -> String {
        // Encoding strings, numbers and string maps cannot fail; the fallback keeps the file parseable.
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Positions a JSON array file so the next record can be appended, and says whether it holds records.
    ///
    /// Accepts a closed array (`[ ... ]`), one left open by a crash (ends with `}` or `[`), an empty or
    /// blank file (started afresh), and refuses anything else rather than corrupt it.
    private static func reopenArray(_ fd: Int32, path: String) throws(OutputFileError) -> Bool {
        let size = try SecureFile.size(of: fd, path: path)
        let tail = TailScanner(fd: fd, path: path)
        var keepLength = 0
        var hasRecords = false
        if let found = try tail.lastNonBlank(before: size) {
            let (lastOffset, last) = found
            guard try tail.firstNonBlank(upTo: size) == UInt8(ascii: "[") else {
                throw .notResumable(path: path, reason: "it does not hold a JSON array")
            }
            var end = (lastOffset, last)
            if last == UInt8(ascii: "]") {
                guard let previous = try tail.lastNonBlank(before: lastOffset) else {
                    throw .notResumable(path: path, reason: "it does not hold a JSON array")
                }
                end = previous
            }
            switch end.1 {
            case UInt8(ascii: "}"): hasRecords = true
            case UInt8(ascii: "["): hasRecords = false
            default: throw .notResumable(path: path, reason: "it ends in the middle of a record")
            }
            keepLength = end.0 + 1
        }
        try SecureFile.truncate(fd, to: keepLength, path: path)
        try SecureFile.seekToEnd(fd, path: path)
        if keepLength == 0 { try SecureFile.write("[", to: fd, path: path) }
        return hasRecords
    }
}

/// Finds the first and last non-blank bytes of a file without reading all of it.
private struct TailScanner {
    let fd: Int32
    let path: String
    let chunk = 4096

    func lastNonBlank(before end: Int) throws(OutputFileError) -> (Int, UInt8)? {
        var end = end
        while end > 0 {
            let start = max(0, end - chunk)
            let bytes = try SecureFile.read(fd, at: start, count: end - start, path: path)
            if let index = bytes.lastIndex(where: { !Self.isBlank($0) }) { return (start + index, bytes[index]) }
            end = start
        }
        return nil
    }

    func firstNonBlank(upTo end: Int) throws(OutputFileError) -> UInt8? {
        var start = 0
        while start < end {
            let bytes = try SecureFile.read(fd, at: start, count: min(chunk, end - start), path: path)
            if bytes.isEmpty { return nil }
            if let byte = bytes.first(where: { !Self.isBlank($0) }) { return byte }
            start += bytes.count
        }
        return nil
    }

    static func isBlank(_ byte: UInt8) -> Bool {
        CellText.isBlank(byte)
    }
}
