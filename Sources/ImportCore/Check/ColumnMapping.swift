/// `--map ours="Their Header"`: which header cell of the file holds each of our columns, for files from
/// other systems (Okta, OneLogin, a homegrown database) whose column names are not ours.
///
/// Only the header's meaning changes: the file is read as it is, and the error and rejects files keep the
/// file's own header. Columns that are not mapped are still found by their own names.
public struct ColumnMapping: Sendable, Equatable {
    /// One `--map`: our column and the header cell that holds it, as the user wrote it.
    public struct Entry: Sendable, Equatable {
        /// Our column.
        public var column: ImportColumn
        /// The file's header cell, trimmed.
        public var header: String

        /// Maps `header` onto `column`.
        public init(column: ImportColumn, header: String) {
            self.column = column
            self.header = header
        }
    }

    /// The maps, in the order given.
    public private(set) var entries: [Entry] = []

    /// No mapping: every column by its own name.
    public init() {}

    /// Reads the `--map` arguments (`ours=Their Header` each).
    ///
    /// - Throws: ``ColumnMappingError`` for an argument without `=`, an unknown column of ours, an empty
    ///   header name, or two maps to one column.
    public init(arguments: [String]) throws(ColumnMappingError) {
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else { throw .notAPair(argument) }
            let ours = CellText.trim(String(argument[..<equals]))
            let theirs = CellText.trim(String(argument[argument.index(after: equals)...]))
            guard let column = ImportColumn(header: ours) else { throw .unknownColumn(ours) }
            guard !theirs.isEmpty else { throw .emptyHeader(column: column.rawValue) }
            if let earlier = entries.first(where: { $0.column == column }) {
                throw .mappedTwice(column: column.rawValue, first: earlier.header, second: theirs)
            }
            entries.append(Entry(column: column, header: theirs))
        }
    }

    /// Whether no column is mapped.
    public var isEmpty: Bool { entries.isEmpty }

    /// The maps as the journal records them: `ours=theirs`, sorted by our column, so the same maps given in
    /// another order are the same settings.
    public var journalDescription: [String] {
        entries.map { "\($0.column.rawValue)=\($0.header)" }.sorted()
    }

    /// The header cell each mapped column is read from (0-based), matched exactly after trimming, else
    /// ignoring case.
    ///
    /// - Throws: ``HeaderError/mappedColumnNotInHeader(column:header:found:)`` when the file has no such
    ///   header cell, or more than one that match ignoring case and none exactly.
    func positions(in header: [String]) throws(HeaderError) -> [(column: ImportColumn, index: Int)] {
        let trimmed = header.map { CellText.trim($0) }
        var found: [(ImportColumn, Int)] = []
        for entry in entries {
            if let exact = trimmed.firstIndex(of: entry.header) {
                found.append((entry.column, exact))
                continue
            }
            let lowered = entry.header.lowercased()
            let matches = trimmed.indices.filter { trimmed[$0].lowercased() == lowered }
            guard matches.count == 1 else {
                throw .mappedColumnNotInHeader(column: entry.column.rawValue, header: entry.header, found: trimmed)
            }
            found.append((entry.column, matches[0]))
        }
        return found
    }
}

/// Why `--map` arguments cannot be used: each is a usage error (exit 2) with a sentence that says how to fix it.
public enum ColumnMappingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An argument without `=`.
    case notAPair(String)
    /// The left side names none of our columns.
    case unknownColumn(String)
    /// The right side is blank.
    case emptyHeader(column: String)
    /// Two maps name the same column of ours.
    case mappedTwice(column: String, first: String, second: String)

    public var description: String {
        switch self {
        case .notAPair(let argument):
            return "--map \(DisplayText.quoted(argument, limit: 60)) is not ours=theirs: write our column, an "
                + "equals sign and the file's header, e.g. --map email=\"E-mail Address\"."
        case .unknownColumn(let name):
            return "--map names \(DisplayText.quoted(name, limit: 40)), which is not one of our columns; the left "
                + "side is one of \(ImportColumn.namesForMessages)."
        case .emptyHeader(let column):
            return "--map \(column)= names no header: write the file's column name after the equals sign, e.g. "
                + "--map \(column)=\"Their Name\"."
        case .mappedTwice(let column, let first, let second):
            return "--map gives the column \(column) twice (\(DisplayText.quoted(first, limit: 40)) and "
                + "\(DisplayText.quoted(second, limit: 40))); keep one."
        }
    }
}
