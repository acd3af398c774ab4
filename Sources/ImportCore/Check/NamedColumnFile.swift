/// A CSV file whose columns are found by their header names, as WorkOS's toolkit writes its package files
/// and the files beside a users file (organizations, roles, SSO connections, secrets, a cutover checklist):
/// UTF-8 with commas, read with the importer's own reader so each record keeps its line.
struct NamedColumnFile {
    /// The reader, past the header.
    let reader: CSVReader
    /// The header's names, trimmed (and lower-cased when asked), as read.
    let header: [String]
    /// Where each name is; the first of a repeated name wins.
    let positions: [String: Int]

    /// Opens `path`. `lowercased` for the files whose names are snake_case and read in any case; the SSO
    /// files' camelCase names are compared as written.
    init(path: String, lowercased: Bool = true) throws(ImportError) {
        do {
            reader = try CSVReader(path: path, format: CSVFormat(encoding: .utf8, delimiter: 0x2C))
        } catch {
            throw .csv(error)
        }
        header = reader.header.map { lowercased ? CellText.trim($0).lowercased() : CellText.trim($0) }
        positions = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The trimmed cell of `column` in `fields`, or nil when the header has no such column or the cell is blank.
    func cell(_ column: String, in fields: [String]) -> String? {
        guard let position = positions[column], position < fields.count else { return nil }
        let value = CellText.trim(fields[position])
        return value.isEmpty ? nil : value
    }

    /// Every cell of `fields` that is not blank, by its column's name.
    func cells(of fields: [String]) -> [String: String] {
        var cells: [String: String] = [:]
        for (column, position) in positions where position < fields.count {
            let value = CellText.trim(fields[position])
            if !value.isEmpty { cells[column] = value }
        }
        return cells
    }
}
