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
/// Before the header, the reader settles the file's format (``CSVFormat``), so that no row is used
/// under a wrong guess:
/// - Encoding: in UTF-8 (the default) the whole file is checked first, and a file that is not UTF-8 is
///   refused with the line of its first bad byte (``CSVReaderError/notUTF8(path:line:)``); Latin-1 and
///   cp1252 are converted field by field.
/// - Delimiter: the one given; else the one an Excel `sep=;` first line names (that line is skipped but
///   still counts for line numbers); else a comma, unless the header only has an `email` column when
///   split on `;`, tab or `|`, in which case that delimiter is used and ``detectedDelimiter`` says so.
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
    /// The delimiter in use.
    public let delimiter: UInt8
    /// The file's encoding.
    public let encoding: CSVEncoding
    /// The delimiter found by looking at the header when none was given, if it is not a comma; callers
    /// tell the user, since it was a guess (a strong one: only it gives an `email` column).
    public let detectedDelimiter: UInt8?
    /// Whether a Latin-1 file holds bytes 0x80–0x9F, which Latin-1 reads as invisible control characters
    /// and cp1252 as `€`, curly quotes and dashes: such a file is almost surely cp1252, and callers say so.
    public let hasLatin1Controls: Bool
    /// Whether the file starts with an Excel `sep=` line, which names the delimiter and is not the header.
    public let hasSeparatorLine: Bool
    /// Where the header sits in the file: from the first byte after any byte order mark (so a `sep=` line
    /// and blank lines before the header are in it) to the end of the header's line ending. The rejects
    /// file copies these bytes.
    public let headerBytes: Range<Int>
    /// Set when reading failed part way through the file; ``next()`` then returns `nil`.
    ///
    /// Check it after ``next()`` returns `nil`: a `nil` with this set means the file was not read to the end.
    public private(set) var readError: CSVReaderError?

    private let path: String
    private var source: CSVByteSource
    private var scanner: CSVRecordScanner
    private var recordNumber = 0

    /// Records read so far, valid or not.
    public var recordsRead: Int { recordNumber }
    private var furthestOffset = 0
    /// Absolute offset just past the record just scanned, its line ending included.
    private var recordEnd = 0

    /// Bytes of the file read so far (for progress); never goes backwards.
    public var bytesConsumed: Int { max(furthestOffset, source.offset) }

    /// Opens the file at `path`, settles its format and reads its header.
    ///
    /// - Throws: ``CSVReaderError`` when the file is missing, unreadable, empty, not UTF-8 text (in UTF-8),
    ///   or its header line cannot be parsed.
    public convenience init(path: String, format: CSVFormat = CSVFormat()) throws(CSVReaderError) {
        try self.init(path: path, chunkSize: Self.chunkSize, format: format)
    }

    /// Opens the file at `path`, reading `chunkSize` bytes (at least 4) at a time; tests use tiny chunks to
    /// put every chunk boundary to work.
    convenience init(path: String, chunkSize: Int, format: CSVFormat = CSVFormat()) throws(CSVReaderError) {
        let descriptor: Int32
        do throws(FileCallError) {
            descriptor = try FileIO.open(path, O_RDONLY | O_CLOEXEC)
        } catch {
            switch error.code {
            case ENOENT, ENOTDIR: throw .fileNotFound(path: path)
            case EACCES, EPERM: throw .permissionDenied(path: path)
            default: throw .unreadable(path: path, reason: error.description)
            }
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            _ = close(descriptor)
            throw .unreadable(path: path, reason: SystemError.describe(code))
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            _ = close(descriptor)
            throw .isDirectory(path: path)
        }
        let source = CSVByteSource(fileDescriptor: descriptor, chunkSize: max(4, chunkSize))
        try self.init(path: path, source: source, fileSize: Int(status.st_size), format: format)
    }

    /// Reads CSV from memory; `bytes` is the whole file. Used by tests.
    ///
    /// - Throws: ``CSVReaderError`` for the same header problems as ``init(path:)``.
    public convenience init(bytes: [UInt8], format: CSVFormat = CSVFormat()) throws(CSVReaderError) {
        try self.init(path: "(input)", source: CSVByteSource(bytes: bytes), fileSize: bytes.count, format: format)
    }

    private init(path: String, source: CSVByteSource, fileSize: Int, format: CSVFormat) throws(CSVReaderError) {
        var source = source
        var scanner = CSVRecordScanner(
            maximumFieldBytes: Self.maximumFieldBytes, maximumRecordBytes: Self.maximumRecordBytes,
            maximumStoredFields: Self.maximumColumns)
        do {
            let found = try Self.readHeader(path: path, format: format, source: &source, scanner: &scanner)
            scanner.setMaximumStoredFields(found.header.count + 64)
            self.header = found.header
            self.headerLine = scanner.recordLine
            self.headerBytes = found.bytes
            self.hasSeparatorLine = found.hasSeparatorLine
            self.hasLatin1Controls = format.encoding == .latin1 && source.containsC1Bytes()
            self.detectedDelimiter = found.detectedDelimiter
            self.delimiter = scanner.delimiter
            self.encoding = format.encoding
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
            readError = .unreadable(path: path, reason: SystemError.describe(failure))
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

    /// Hands `body` every record's cell in `column` (a missing cell as empty bytes), in file order, with the
    /// record's number and line; records that cannot be parsed are passed over.
    ///
    /// For the checks across rows, which read one column of every row: a well-formed record's cell is read
    /// where the scanner left it, without building a string, so the pass costs little more than reading.
    func forEachCell(
        in column: Int, _ body: (_ recordNumber: Int, _ line: Int, _ cell: UnsafeBufferPointer<UInt8>) -> Void
    ) {
        // The check closure is stored as an optional, hence escaping in type only; it never outlives the loop.
        withoutActuallyEscaping(body) { body in
            let check: (RecordBytes) -> Bool = { bytes in
                body(self.recordNumber, self.scanner.recordLine, bytes.field(column))
                return true
            }
            while true {
                switch advance(cleanCheck: check) {
                case .none: return
                case .clean: continue
                case .read(.record(let record)):
                    var cell = column < record.fields.count ? record.fields[column] : ""
                    cell.withUTF8 { body(record.recordNumber, record.line, $0) }
                case .read(.malformed): continue
                }
            }
        }
    }

    /// Hands `body` every well-formed record's cells, in file order, with the record's number and line;
    /// records that cannot be parsed are passed over.
    ///
    /// For the checks across rows that read a few columns of every row: a well-formed record's cells are read
    /// where the scanner left them, and a string is built only for a record that needed decoding.
    func forEachRow(_ body: (_ recordNumber: Int, _ line: Int, _ cells: RowCells) -> Void) {
        withoutActuallyEscaping(body) { body in
            let check: (RecordBytes) -> Bool = { bytes in
                body(self.recordNumber, self.scanner.recordLine, RowCells(bytes: bytes))
                return true
            }
            while true {
                switch advance(cleanCheck: check) {
                case .none: return
                case .clean: continue
                case .read(.record(let record)): body(record.recordNumber, record.line, RowCells(fields: record.fields))
                case .read(.malformed): continue
                }
            }
        }
    }

    /// What ``advance(cleanCheck:)`` found.
    enum Advance {
        case none
        case clean(recordNumber: Int, line: Int)
        case read(CSVReadResult)
    }

    /// Reads the next record. With `cleanCheck`, a well-formed record that passes it is reported as
    /// clean without decoding its fields.
    ///
    /// The check is passed in, not named, so reading does not depend on the row rules: the dry run's
    /// fast path (``CSVReader/nextChecked(by:)``, in Check/) hands in ``RowValidator``'s clean check.
    func advance(cleanCheck: ((RecordBytes) -> Bool)?) -> Advance {
        while true {
            let step = Self.scanNext(source: &source, scanner: &scanner)
            furthestOffset = max(furthestOffset, source.offset)
            switch step {
            case .endOfInput, .needInput:
                if readError == nil, let failure = source.readFailure {
                    readError = .unreadable(path: path, reason: SystemError.describe(failure))
                }
                return .none
            case .record:
                if scanner.isBlankRecord { continue }
                recordNumber += 1
                recordEnd = endOfLine(carriageReturn: endedWithCarriageReturn)
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

    /// Whether the scanned record has none of the problems ``checkedRecord()`` reports, and its bytes
    /// are the UTF-8 the clean check reads: valid UTF-8 in a UTF-8 file, ASCII (the same in every
    /// encoding) in a Latin-1 or cp1252 one.
    private func isWellFormedUTF8Record() -> Bool {
        guard scanner.oversizedField < 0, !scanner.oversizedRecord, scanner.droppedFieldCount == 0,
            scanner.fieldCount == header.count, Self.firstFieldWithNUL(scanner) == nil
        else { return false }
        guard encoding == .utf8 else { return UTF8Check.isASCII(scanner.bytes, scanner.byteCount) }
        return RecordBytes(
            base: scanner.bytes, ends: scanner.fieldEnds, count: scanner.fieldCount, byteCount: scanner.byteCount
        ).isValidUTF8
    }

    /// Whether the record just scanned ended at a CR, the byte before the reading position.
    private var endedWithCarriageReturn: Bool {
        source.position > 0 && source.buffer[source.position - 1] == 0x0D
    }

    /// The reading position as the end of a line, taking the LF of a CRLF when the line ended at its CR.
    /// The LF is only looked at, not consumed: the scanner skips it as it always has.
    private func endOfLine(carriageReturn: Bool) -> Int {
        let end = source.offset
        guard carriageReturn else { return end }
        if source.position >= source.count && !source.refill() { return end }
        return source.position < source.count && source.buffer[source.position] == 0x0A ? end + 1 : end
    }

    // MARK: - Records

    private func checkedRecord() -> CSVReadResult {
        let (fields, invalidUTF8Field) = Self.decodeFields(scanner, encoding: encoding)
        let record = CSVRecord(
            recordNumber: recordNumber, line: scanner.recordLine, byteOffset: scanner.recordOffset,
            byteCount: recordEnd - scanner.recordOffset, fields: fields)
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

    /// The record a quoting error stopped, made of the lines it was read from: its first line when it
    /// ran on past it (reading resumes on the next line), else the rest of its one line.
    private func malformedAndResume(reason: String) -> CSVReadResult {
        let (fields, _) = Self.decodeFields(scanner, encoding: encoding)
        let end: Int
        if scanner.firstLineEndOffset >= 0 {
            source.seek(to: scanner.firstLineEndOffset)
            scanner.restartAfterFirstLine()
            end = endOfLine(carriageReturn: scanner.firstLineEndWasCarriageReturn)
        } else {
            Self.skipRestOfLine(source: &source, scanner: &scanner)
            end = endOfLine(carriageReturn: endedWithCarriageReturn)
        }
        let record = CSVRecord(
            recordNumber: recordNumber, line: scanner.recordLine, byteOffset: scanner.recordOffset,
            byteCount: end - scanner.recordOffset, fields: fields)
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

    /// What ``readHeader(path:format:source:scanner:)`` settled.
    private struct HeaderFound {
        var header: [String]
        var bytes: Range<Int>
        var hasSeparatorLine: Bool
        var detectedDelimiter: UInt8?
    }

    /// Settles the encoding and the delimiter, then reads the header with them.
    private static func readHeader(
        path: String, format: CSVFormat, source: inout CSVByteSource, scanner: inout CSVRecordScanner
    ) throws(CSVReaderError) -> HeaderFound {
        if source.count == 0 { _ = source.refill() }
        let start = source.peek(at: 0, length: 8)
        if start.count >= 2 && ((start[0] == 0xFF && start[1] == 0xFE) || (start[0] == 0xFE && start[1] == 0xFF)) {
            throw .utf16(path: path)
        }
        if format.encoding == .utf8 {
            switch source.firstInvalidUTF8() {
            case .valid: break
            case .invalid(let offset): throw .notUTF8(path: path, line: source.line(atOffset: offset))
            case .readFailed(let code): throw .unreadable(path: path, reason: SystemError.describe(code))
            }
        }
        let bomLength = start.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        source.seek(to: bomLength)
        let separator = separatorLineDelimiter(source.peek(at: bomLength, length: 7))
        if separator != nil { skipRestOfLine(source: &source, scanner: &scanner) }
        scanner.delimiter = format.delimiter ?? separator ?? CSVRecordScanner.comma

        var header = try scanHeader(path: path, source: &source, scanner: &scanner, encoding: format.encoding)
        var detected: UInt8?
        if format.delimiter == nil && separator == nil && !hasEmailColumn(header) {
            let headerOffset = scanner.recordOffset
            let headerLine = scanner.recordLine
            for candidate in CSVFormat.delimiters where candidate != CSVRecordScanner.comma {
                if let found = try rescanHeader(
                    delimiter: candidate, at: headerOffset, line: headerLine, path: path, source: &source,
                    scanner: &scanner, encoding: format.encoding), hasEmailColumn(found)
                {
                    header = found
                    detected = candidate
                    break
                }
            }
            if detected == nil {
                header =
                    try rescanHeader(
                        delimiter: CSVRecordScanner.comma, at: headerOffset, line: headerLine, path: path,
                        source: &source, scanner: &scanner, encoding: format.encoding) ?? header
            }
        }
        let endedWithCarriageReturn = source.position > 0 && source.buffer[source.position - 1] == 0x0D
        var end = source.offset
        if endedWithCarriageReturn {
            if source.position < source.count || source.refill() {
                if source.buffer[source.position] == 0x0A { end += 1 }
            }
        }
        return HeaderFound(
            header: header, bytes: bomLength..<end, hasSeparatorLine: separator != nil, detectedDelimiter: detected)
    }

    /// Reads the header again from `offset` with another delimiter; `nil` when it cannot be read that way.
    private static func rescanHeader(
        delimiter: UInt8, at offset: Int, line: Int, path: String, source: inout CSVByteSource,
        scanner: inout CSVRecordScanner, encoding: CSVEncoding
    ) throws(CSVReaderError) -> [String]? {
        source.seek(to: offset)
        scanner.restart(atLine: line)
        scanner.delimiter = delimiter
        do {
            return try scanHeader(path: path, source: &source, scanner: &scanner, encoding: encoding)
        } catch {
            // Only the comma reading's errors are reported; another delimiter was just a guess.
            if delimiter == CSVRecordScanner.comma { throw error }
            return nil
        }
    }

    /// Whether a header cell names the email column (by the rule ``ImportColumn/key(for:)`` applies).
    private static func hasEmailColumn(_ header: [String]) -> Bool {
        header.contains { ImportColumn(header: CellText.trim($0)) == .email }
    }

    /// The delimiter an Excel `sep=;` line names (`sep=` in any case, one byte, then the end of the line),
    /// or `nil` when `start` (the first bytes after any byte order mark) is not such a line.
    private static func separatorLineDelimiter(_ start: [UInt8]) -> UInt8? {
        guard start.count >= 5, start[0] | 0x20 == 0x73, start[1] | 0x20 == 0x65, start[2] | 0x20 == 0x70,
            start[3] == 0x3D
        else { return nil }
        let delimiter = start[4]
        guard delimiter >= 0x20 && delimiter < 0x7F || delimiter == 0x09, delimiter != 0x22 else { return nil }
        guard start.count == 5 || start[5] == 0x0A || start[5] == 0x0D else { return nil }
        return delimiter
    }

    /// Consumes the rest of the physical line the reading position is on, refilling as needed.
    private static func skipRestOfLine(source: inout CSVByteSource, scanner: inout CSVRecordScanner) {
        while true {
            if source.position >= source.count && !source.refill() { return }
            if scanner.skipRestOfLine(
                source.buffer, count: source.count, position: &source.position, baseOffset: source.bufferOffset)
            {
                return
            }
        }
    }

    /// Scans the first non-blank record as the header and checks it.
    private static func scanHeader(
        path: String, source: inout CSVByteSource, scanner: inout CSVRecordScanner, encoding: CSVEncoding
    ) throws(CSVReaderError) -> [String] {
        var step = scanNext(source: &source, scanner: &scanner)
        while step == .record && scanner.isBlankRecord {
            step = scanNext(source: &source, scanner: &scanner)
        }
        switch step {
        case .endOfInput, .needInput:
            if let failure = source.readFailure {
                throw .unreadable(path: path, reason: SystemError.describe(failure))
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
        let (fields, invalid) = decodeFields(scanner, encoding: encoding)
        if invalid != nil { throw .headerNotUTF8(path: path) }
        return fields
    }

    /// The stored fields as strings, and the index of the first field that was not valid UTF-8 (such a
    /// field is decoded with replacement characters, for the rejects file).
    private static func decodeFields(_ scanner: CSVRecordScanner, encoding: CSVEncoding) -> ([String], Int?) {
        var fields: [String] = []
        fields.reserveCapacity(scanner.fieldCount)
        var invalidField: Int?
        let base = scanner.bytes
        // Checking validity by hand and then decoding is much faster than the generic validating initializer.
        let allASCII = UTF8Check.isASCII(base, scanner.byteCount)
        for index in 0..<scanner.fieldCount {
            let range = scanner.fieldRange(index)
            let bytes = UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
            if allASCII {
                fields.append(String(decoding: bytes, as: UTF8.self))
                continue
            }
            if encoding == .utf8 && invalidField == nil && !UTF8Check.isValid(bytes) { invalidField = index }
            fields.append(encoding.decode(bytes))
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
}
