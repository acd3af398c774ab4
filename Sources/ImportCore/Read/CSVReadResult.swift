/// One record from ``CSVReader/next()``: either parsed cleanly or broken in a way only this record suffers.
public enum CSVReadResult: Sendable, Equatable {
    /// A well-formed record with exactly as many fields as the header.
    case record(CSVRecord)
    /// A record that cannot be used as is. The fields are a best effort (for the rejects file) and
    /// `reason` says what is wrong without naming the line, e.g. "expected 4 fields, found 6".
    case malformed(CSVRecord, reason: String)

    /// The record, whichever way it was read.
    public var record: CSVRecord {
        switch self {
        case .record(let record), .malformed(let record, _): return record
        }
    }
}
