/// Why a CSV header cannot be used: fatal, because no row can be read correctly without it.
public enum HeaderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No column is named `email`; `header` holds the names that were found.
    case missingEmailColumn(header: [String])
    /// Two columns have the same name once trimmed and lowercased; `positions` are 1-based.
    case duplicateColumn(name: String, positions: [Int])
    /// `--map column="header"` names a header cell the file does not have; `found` holds the names it has.
    case mappedColumnNotInHeader(column: String, header: String, found: [String])

    /// One sentence for the user: what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .missingEmailColumn(let header):
            let found = header.isEmpty ? "no columns" : header.map { "\"\($0)\"" }.joined(separator: ", ")
            return "The header has no email column (found \(found)); name the column that holds each user's "
                + "address \"email\", and if the columns are not separated by commas, say by which with "
                + "--delimiter (e.g. --delimiter ';')."
        case .duplicateColumn(let name, let positions):
            let list = positions.map(String.init).joined(separator: " and ")
            return "The header names the column \"\(name)\" more than once (columns \(list)); rename or "
                + "remove the extra one."
        case .mappedColumnNotInHeader(let column, let header, let found):
            let names = found.isEmpty ? "no columns" : found.map { "\"\($0)\"" }.joined(separator: ", ")
            return "--map \(column)=\"\(header)\" names a column the file does not have (its header has "
                + "\(names)); write the header exactly as the file spells it."
        }
    }
}
