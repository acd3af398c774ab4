/// One record read from a CSV file, before any row rule is applied.
public struct CSVRecord: Sendable, Equatable {
    /// 1-based index of the data record (the header is not counted).
    public var recordNumber: Int
    /// 1-based physical line on which the record starts (the header is line 1).
    public var line: Int
    /// Byte offset of the first byte of the record in the file.
    public var byteOffset: Int
    /// How many bytes of the file the record takes, its line ending (LF, CRLF or CR) included; a record
    /// the reader cut short after a quoting error takes only the lines it was read from.
    public var byteCount: Int
    /// The fields, unquoted, in file order.
    public var fields: [String]

    /// A record as the reader produced it.
    public init(recordNumber: Int, line: Int, byteOffset: Int, byteCount: Int = 0, fields: [String]) {
        self.recordNumber = recordNumber
        self.line = line
        self.byteOffset = byteOffset
        self.byteCount = byteCount
        self.fields = fields
    }

    /// Where the record's bytes are in the file, so the rejects file can copy it exactly as it was.
    public var byteRange: Range<Int> { byteOffset..<(byteOffset + byteCount) }
}
