/// Where each ``ImportColumn`` is in a file's records, looked up by the column itself.
///
/// The storage follows `ImportColumn.allCases`, and every read and write goes through the column, so a
/// case added anywhere in ``ImportColumn`` moves nothing: no table numbered by hand has to follow it.
public struct ColumnPositions: Sendable, Equatable {
    private var storage = [Int](repeating: -1, count: ColumnPositions.order.count)

    /// No column present.
    public init() {}

    /// The 0-based position of `column` in each record, or -1 when the header lacks it.
    public subscript(column: ImportColumn) -> Int {
        get { storage[Self.index(of: column)] }
        set { storage[Self.index(of: column)] = newValue }
    }

    /// Whether the header has `column`.
    public func contains(_ column: ImportColumn) -> Bool {
        self[column] >= 0
    }

    private static func index(of column: ImportColumn) -> Int {
        // A few comparisons of a case tag: cheaper than hashing, and derived from the type.
        order.firstIndex(of: column)!
    }

    /// `ImportColumn.allCases`, built once (the synthesized property makes a new array on every call).
    private static let order = ImportColumn.allCases
}
