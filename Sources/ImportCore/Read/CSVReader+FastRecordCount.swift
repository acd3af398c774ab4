#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension CSVReader {
    /// Counts the data records of a CSV file without parsing fields, for progress totals.
    ///
    /// It follows quotes (a line break inside a quoted field does not end a record), skips empty lines and
    /// lines of only delimiters and blanks (as the reader does), and it does not count the header (a `sep=`
    /// line is the caller's to subtract). The count is exact for well-formed files; after a quoting error the
    /// reader's recovery may yield a different number, so treat it as an estimate there.
    ///
    /// - Throws: ``CSVReaderError`` when the file cannot be opened or read.
    public static func fastRecordCount(path: String, delimiter: UInt8 = 0x2C) throws -> Int {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { throw CSVReaderError.fileNotFound(path: path) }
            if code == EACCES { throw CSVReaderError.permissionDenied(path: path) }
            throw CSVReaderError.unreadable(path: path, reason: SystemError.describe(code))
        }
        defer { _ = close(descriptor) }
        let capacity = 1 << 20
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var counter = RecordCounter(delimiter: delimiter)
        while true {
            let result: Int
            do throws(FileCallError) {
                result = try FileIO.read(
                    descriptor, into: UnsafeMutableRawBufferPointer(start: buffer, count: capacity))
            } catch {
                throw CSVReaderError.unreadable(path: path, reason: error.description)
            }
            if result == 0 { break }
            counter.consume(UnsafeBufferPointer(start: buffer, count: result))
        }
        return counter.dataRecords
    }
}
