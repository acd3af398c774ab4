#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streams the records of a CSV file (RFC 4180, UTF-8 with or without a byte order mark, LF, CRLF or CR
/// line ends) in constant memory.
///
/// The reader parses the header when it is created and fails with a ``CSVReaderError`` only for problems
/// that make the whole file unusable. Everything else is per record: ``next()`` returns
/// ``CSVReadResult/malformed(_:reason:)`` for a record that cannot be used, and reading goes on.
///
/// Limits and recovery:
/// - A field longer than ``maximumFieldBytes`` (1 MiB) fails its record without being buffered whole; a
///   record longer than ``maximumRecordBytes`` (8 MiB) fails the same way.
/// - After a quoting error (a quoted field never closed, or text after a closing quote) the record fails
///   and reading resumes at the line after the one where that record started, so one stray quote cannot
///   swallow the rest of the file.
/// - Records with NUL bytes or invalid UTF-8 fail with a reason that names the column.
///
/// One task uses a reader at a time; it is not `Sendable`.
public final class CSVReader {
    /// The longest field the reader accepts, in bytes.
    public static let maximumFieldBytes = 1 << 20
    /// The longest record the reader accepts, in bytes.
    public static let maximumRecordBytes = 8 << 20
    /// The most columns a header may have.
    public static let maximumColumns = 4096
    /// Bytes read from the file per `read` call.
    static let chunkSize = 1 << 20

    /// The header cells in file order, byte order mark stripped, not trimmed.
    public let header: [String]
    /// Size of the input in bytes (for progress).
    public let fileSize: Int
    /// Line on which the header starts (1 unless blank lines come first); warnings about columns name it.
    public let headerLine: Int
    /// Set when reading failed part way through the file; ``next()`` then returns `nil`.
    ///
    /// Check it after ``next()`` returns `nil`: a `nil` with this set means the file was not read to the end.
    public private(set) var readError: CSVReaderError?

    private let path: String
    private var source: CSVByteSource
    private var scanner: CSVRecordScanner
    private var recordNumber = 0
    private var furthestOffset = 0

    /// Bytes of the file read so far (for progress); never goes backwards.
    public var bytesConsumed: Int { max(furthestOffset, source.offset) }

    /// Opens the file at `path` and reads its header.
    ///
    /// - Throws: ``CSVReaderError`` when the file is missing, unreadable, empty, not UTF-8 text, or its
    ///   header line cannot be parsed.
    public convenience init(path: String) throws(CSVReaderError) {
        try self.init(path: path, chunkSize: Self.chunkSize)
    }

    /// Opens the file at `path`, reading `chunkSize` bytes (at least 4) at a time; tests use tiny chunks to
    /// put every chunk boundary to work.
    convenience init(path: String, chunkSize: Int) throws(CSVReaderError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR: throw .fileNotFound(path: path)
            case EACCES, EPERM: throw .permissionDenied(path: path)
            default: throw .unreadable(path: path, reason: Self.systemMessage(code))
            }
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            _ = close(descriptor)
            throw .unreadable(path: path, reason: Self.systemMessage(code))
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            _ = close(descriptor)
            throw .isDirectory(path: path)
        }
        let source = CSVByteSource(fileDescriptor: descriptor, chunkSize: max(4, chunkSize))
        try self.init(path: path, source: source, fileSize: Int(status.st_size))
    }

    /// Reads CSV from memory; `bytes` is the whole file. Used by tests.
    ///
    /// - Throws: ``CSVReaderError`` for the same header problems as ``init(path:)``.
    public convenience init(bytes: [UInt8]) throws(CSVReaderError) {
        try self.init(path: "(input)", source: CSVByteSource(bytes: bytes), fileSize: bytes.count)
    }

    private init(path: String, source: CSVByteSource, fileSize: Int) throws(CSVReaderError) {
        var source = source
        var scanner = CSVRecordScanner(
            maximumFieldBytes: Self.maximumFieldBytes, maximumRecordBytes: Self.maximumRecordBytes,
            maximumStoredFields: Self.maximumColumns)
        do {
            let header = try Self.readHeader(path: path, source: &source, scanner: &scanner)
            scanner.setMaximumStoredFields(header.count + 64)
            self.header = header
            self.headerLine = scanner.recordLine
        } catch {
            scanner.deallocate()
            source.close()
            throw error
        }
        self.path = path
        self.source = source
        self.scanner = scanner
        self.fileSize = fileSize
        if let failure = source.readFailure {
            readError = .unreadable(path: path, reason: Self.systemMessage(failure))
        }
    }

    deinit {
        scanner.deallocate()
        source.close()
    }

    /// The next record, or `nil` at the end of the file. Blank lines are skipped.
    public func next() -> CSVReadResult? {
        switch advance(cleanCheck: nil) {
        case .none, .clean: return nil
        case .read(let result): return result
        }
    }

    /// The next record, validated by `validator`, or `nil` at the end of the file.
    ///
    /// Rows that certainly pass with no warning come back as ``CheckedRecord/clean(recordNumber:line:)``
    /// without any string being built, which is what makes a dry run over a large file fast.
    public func nextChecked(by validator: RowValidator) -> CheckedRecord? {
        switch advance(cleanCheck: validator.isClean) {
        case .none: return nil
        case .clean(let recordNumber, let line): return .clean(recordNumber: recordNumber, line: line)
        case .read(.record(let record)): return .validated(record, validator.validate(record))
        case .read(.malformed(let record, let reason)): return .malformed(record, reason: reason)
        }
    }

    /// What ``advance(cleanCheck:)`` found.
    private enum Advance {
        case none
        case clean(recordNumber: Int, line: Int)
        case read(CSVReadResult)
    }

    /// Reads the next record. With `cleanCheck`, a well-formed record that passes it is reported as
    /// clean without decoding its fields.
    private func advance(cleanCheck: ((RecordBytes) -> Bool)?) -> Advance {
        while true {
            let step = Self.scanNext(source: &source, scanner: &scanner)
            furthestOffset = max(furthestOffset, source.offset)
            switch step {
            case .endOfInput, .needInput:
                if readError == nil, let failure = source.readFailure {
                    readError = .unreadable(path: path, reason: Self.systemMessage(failure))
                }
                return .none
            case .record:
                if scanner.isBlankRecord { continue }
                recordNumber += 1
                if let cleanCheck, isWellFormedUTF8Record() {
                    let bytes = RecordBytes(
                        base: scanner.bytes, ends: scanner.fieldEnds, count: scanner.fieldCount,
                        byteCount: scanner.byteCount)
                    if cleanCheck(bytes) { return .clean(recordNumber: recordNumber, line: scanner.recordLine) }
                }
                return .read(checkedRecord())
            case .unterminatedQuote:
                recordNumber += 1
                let reason =
                    "a quoted field in column \(columnName(scanner.quoteOpenField)) opens on line "
                    + "\(scanner.quoteOpenLine) and is never closed; close it with \" or double any quote "
                    + "inside it (\"\")"
                return .read(malformedAndResume(reason: reason))
            case .textAfterClosingQuote:
                recordNumber += 1
                let reason =
                    "column \(columnName(scanner.currentField)) has text after its closing quote; double "
                    + "any quote inside a quoted field (\"\")"
                return .read(malformedAndResume(reason: reason))
            }
        }
    }

    /// Whether the scanned record has none of the problems ``checkedRecord()`` reports.
    private func isWellFormedUTF8Record() -> Bool {
        guard scanner.oversizedField < 0, !scanner.oversizedRecord, scanner.droppedFieldCount == 0,
            scanner.fieldCount == header.count, Self.firstFieldWithNUL(scanner) == nil
        else { return false }
        return RecordBytes(
            base: scanner.bytes, ends: scanner.fieldEnds, count: scanner.fieldCount, byteCount: scanner.byteCount
        ).isValidUTF8
    }

    // MARK: - Records

    private func checkedRecord() -> CSVReadResult {
        let (fields, invalidUTF8Field) = Self.decodeFields(scanner)
        let record = CSVRecord(
            recordNumber: recordNumber, line: scanner.recordLine, byteOffset: scanner.recordOffset, fields: fields)
        if scanner.oversizedField >= 0 {
            let reason =
                "column \(columnName(scanner.oversizedField)) is larger than the "
                + "\(Self.maximumFieldBytes / (1 << 20)) MiB limit for one field"
            return .malformed(record, reason: reason)
        }
        if scanner.oversizedRecord {
            return .malformed(
                record, reason: "the record is larger than the \(Self.maximumRecordBytes / (1 << 20)) MiB limit")
        }
        let found = scanner.fieldCount + scanner.droppedFieldCount
        if found != header.count {
            return .malformed(record, reason: "expected \(header.count) fields, found \(found)")
        }
        if let field = invalidUTF8Field {
            return .malformed(
                record, reason: "column \(columnName(field)) is not valid UTF-8; save the file as UTF-8")
        }
        if let field = Self.firstFieldWithNUL(scanner) {
            return .malformed(
                record,
                reason: "column \(columnName(field)) contains a NUL byte; the file may be binary or UTF-16")
        }
        return .record(record)
    }

    private func malformedAndResume(reason: String) -> CSVReadResult {
        let (fields, _) = Self.decodeFields(scanner)
        let record = CSVRecord(
            recordNumber: recordNumber, line: scanner.recordLine, byteOffset: scanner.recordOffset, fields: fields)
        if scanner.firstLineEndOffset >= 0 {
            source.seek(to: scanner.firstLineEndOffset)
            scanner.restartAfterFirstLine()
        } else {
            scanner.skipRestOfLine()
        }
        return .malformed(record, reason: reason)
    }

    /// "3 (last_name)" for field index 2, or just "7" past the header.
    private func columnName(_ index: Int) -> String {
        index < header.count ? "\(index + 1) (\(header[index]))" : "\(index + 1)"
    }

    // MARK: - Scanning

    private static func scanNext(
        source: inout CSVByteSource, scanner: inout CSVRecordScanner
    ) -> CSVRecordScanner.Step {
        while true {
            if source.position >= source.count && !source.refill() {
                return scanner.finish()
            }
            let step = scanner.scan(
                source.buffer, count: source.count, position: &source.position, baseOffset: source.bufferOffset)
            if step != .needInput { return step }
        }
    }

    private static func readHeader(
        path: String, source: inout CSVByteSource, scanner: inout CSVRecordScanner
    ) throws(CSVReaderError) -> [String] {
        if source.count == 0 { _ = source.refill() }
        let buffer = source.buffer
        if source.count >= 2
            && ((buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF))
        {
            throw .utf16(path: path)
        }
        if source.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            source.position = 3
        }
        var step = scanNext(source: &source, scanner: &scanner)
        while step == .record && scanner.isBlankRecord {
            step = scanNext(source: &source, scanner: &scanner)
        }
        switch step {
        case .endOfInput, .needInput:
            if let failure = source.readFailure {
                throw .unreadable(path: path, reason: systemMessage(failure))
            }
            throw .emptyFile(path: path)
        case .unterminatedQuote:
            throw .malformedHeader(path: path, reason: "a quoted column name is never closed")
        case .textAfterClosingQuote:
            throw .malformedHeader(path: path, reason: "a quoted column name has text after its closing quote")
        case .record:
            break
        }
        if scanner.oversizedField >= 0 || scanner.oversizedRecord {
            throw .malformedHeader(path: path, reason: "a column name is longer than 1 MiB")
        }
        if scanner.droppedFieldCount > 0 {
            throw .malformedHeader(path: path, reason: "it has more than \(maximumColumns) columns")
        }
        if firstFieldWithNUL(scanner) != nil { throw .notText(path: path) }
        let (fields, invalid) = decodeFields(scanner)
        if invalid != nil { throw .headerNotUTF8(path: path) }
        return fields
    }

    /// The stored fields as strings, and the index of the first field that was not valid UTF-8 (such a
    /// field is decoded with replacement characters, for the rejects file).
    private static func decodeFields(_ scanner: CSVRecordScanner) -> ([String], Int?) {
        var fields: [String] = []
        fields.reserveCapacity(scanner.fieldCount)
        var invalidField: Int?
        let base = scanner.bytes
        // Checking validity by hand and then decoding is much faster than the generic validating initializer.
        let allASCII = UTF8Check.isASCII(base, scanner.byteCount)
        for index in 0..<scanner.fieldCount {
            let range = scanner.fieldRange(index)
            let bytes = UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
            if invalidField == nil && !allASCII && !UTF8Check.isValid(bytes) { invalidField = index }
            fields.append(String(decoding: bytes, as: UTF8.self))
        }
        return (fields, invalidField)
    }

    private static func firstFieldWithNUL(_ scanner: CSVRecordScanner) -> Int? {
        guard scanner.byteCount > 0, let hit = memchr(scanner.bytes, 0, scanner.byteCount) else { return nil }
        let offset = UnsafeRawPointer(hit) - UnsafeRawPointer(scanner.bytes)
        for index in 0..<scanner.fieldCount where scanner.fieldRange(index).contains(offset) {
            return index
        }
        return scanner.fieldCount
    }

    private static func systemMessage(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
