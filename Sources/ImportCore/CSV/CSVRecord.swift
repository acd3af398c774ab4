/// One record read from a CSV file, before any row rule is applied.
public struct CSVRecord: Sendable, Equatable {
    /// 1-based index of the data record (the header is not counted).
    public var recordNumber: Int
    /// 1-based physical line on which the record starts (the header is line 1).
    public var line: Int
    /// Byte offset of the first byte of the record in the file.
    public var byteOffset: Int
    /// The fields, unquoted, in file order.
    public var fields: [String]

    /// A record as the reader produced it.
    public init(recordNumber: Int, line: Int, byteOffset: Int, fields: [String]) {
        self.recordNumber = recordNumber
        self.line = line
        self.byteOffset = byteOffset
        self.fields = fields
    }
}
