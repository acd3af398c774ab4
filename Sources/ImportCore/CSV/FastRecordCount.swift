#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Counts the data records of a CSV file without parsing fields, for progress totals.
///
/// It follows quotes (a line break inside a quoted field does not end a record), skips empty lines and
/// lines of only delimiters and blanks (as the reader does), and it does not count the header (a `sep=`
/// line is the caller's to subtract). The count is exact for well-formed files; after a quoting error the
/// reader's recovery may yield a different number, so treat it as an estimate there.
///
/// - Throws: ``CSVReaderError`` when the file cannot be opened or read.
public func fastRecordCount(path: String, delimiter: UInt8 = 0x2C) throws -> Int {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
        let code = errno
        if code == ENOENT { throw CSVReaderError.fileNotFound(path: path) }
        if code == EACCES { throw CSVReaderError.permissionDenied(path: path) }
        throw CSVReaderError.unreadable(path: path, reason: String(cString: strerror(code)))
    }
    defer { _ = close(descriptor) }
    let capacity = 1 << 20
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    defer { buffer.deallocate() }
    var counter = RecordCounter(delimiter: delimiter)
    while true {
        let result = read(descriptor, buffer, capacity)
        if result == 0 { break }
        if result < 0 {
            let code = errno
            if code == EINTR { continue }
            throw CSVReaderError.unreadable(path: path, reason: String(cString: strerror(code)))
        }
        counter.consume(UnsafeBufferPointer(start: buffer, count: result))
    }
    return counter.dataRecords
}

/// The quote-aware line counting behind ``fastRecordCount(path:)``, kept apart so tests can feed it bytes.
struct RecordCounter {
    /// The file's delimiter, which alone does not make a line a record.
    var delimiter: UInt8
    private var inQuotes = false
    private var lineHasContent = false
    private var records = 0

    /// A counter at the start of a file separated by `delimiter`.
    init(delimiter: UInt8 = 0x2C) {
        self.delimiter = delimiter
    }

    /// Counts the records that end in `bytes`.
    mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>) {
        var inQuotes = self.inQuotes
        var lineHasContent = self.lineHasContent
        var records = self.records
        for byte in bytes {
            if byte == 0x22 {
                inQuotes.toggle()
                lineHasContent = true
            } else if (byte == 0x0A || byte == 0x0D) && !inQuotes {
                if lineHasContent { records += 1 }
                lineHasContent = false
            } else if byte != delimiter && byte != 0x20 && byte != 0x09 {
                lineHasContent = true
            }
        }
        self.inQuotes = inQuotes
        self.lineHasContent = lineHasContent
        self.records = records
    }

    /// Records seen so far, including a last one without a final line break, minus the header.
    var dataRecords: Int {
        max(0, records + (lineHasContent ? 1 : 0) - 1)
    }
}
