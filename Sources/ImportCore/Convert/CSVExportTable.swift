/// A provider's CSV export read by name: the header's columns found once, cells looked up by column name.
///
/// Clerk and Supabase exports are CSV with a header; the importer's own streaming ``CSVReader`` reads them
/// (RFC 4180, any line ending, a byte order mark), comma-separated, since both write commas. A row the
/// reader cannot parse becomes a skipped outcome with its line, and reading goes on.
struct CSVExportTable {
    private let positions: [String: Int]

    /// Maps the header; throws when a required column is missing.
    init(header: [String], required: [String], file: String, source: ConvertSource) throws(ConvertError) {
        var positions: [String: Int] = [:]
        for (index, cell) in header.enumerated() {
            let name = cell.trimmingBlanks.lowercased()
            if positions[name] == nil { positions[name] = index }
        }
        let missing = required.filter { positions[$0] == nil }
        guard missing.isEmpty else {
            throw .notAnExport(
                path: file, source: source,
                reason: "its header has no \(missing.joined(separator: ", ")) column\(missing.count == 1 ? "" : "s")")
        }
        self.positions = positions
    }

    /// The trimmed cell of `column`, `nil` when the column is missing or the cell blank (Postgres's `NULL`
    /// text counts as blank).
    func cell(_ column: String, in record: CSVRecord) -> String? {
        guard let index = positions[column], index < record.fields.count else { return nil }
        let text = record.fields[index].trimmingBlanks
        return text.isEmpty || text == "NULL" ? nil : text
    }

    /// Opens `file` as a comma-separated CSV, mapping the reader's errors to conversion errors.
    static func open(_ file: String, source: ConvertSource) throws(ConvertError) -> CSVReader {
        do {
            return try CSVReader(path: file, format: CSVFormat(delimiter: UInt8(ascii: ",")))
        } catch {
            switch error {
            case .fileNotFound: throw .inputNotFound(path: file)
            case .permissionDenied, .isDirectory, .unreadable:
                throw .inputUnreadable(path: file, reason: error.description)
            default: throw .notAnExport(path: file, source: source, reason: error.description)
            }
        }
    }

    /// Reads every record of `reader`, handing each to `body`, and a row the reader refuses to `emit` as skipped.
    static func forEachRecord(
        _ reader: CSVReader, file: String, emit: (ConversionOutcome) throws(ConvertError) -> Void,
        _ body: (CSVRecord, InputPosition) throws(ConvertError) -> Void
    ) throws(ConvertError) {
        while let result = reader.next() {
            let position = ConverterSupport.position(file, line: result.record.line)
            switch result {
            case .record(let record):
                try body(record, position)
            case .malformed(_, let reason):
                try emit(
                    ConversionOutcome(
                        sourceId: nil, email: nil, position: position,
                        result: .skipped(ConversionReason("the CSV row cannot be read", detail: reason))))
            }
        }
        if let error = reader.readError {
            throw .inputUnreadable(path: file, reason: error.description)
        }
    }
}
