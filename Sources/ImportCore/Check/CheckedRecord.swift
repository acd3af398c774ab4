/// One record from ``CSVReader/nextChecked(by:)``: read and validated in one step.
///
/// Made for `--dry-run`, where most rows are fine and building their strings would cost more than
/// checking them. Rows that are not plainly clean come with the full reader and validator results, so
/// messages and warnings are exactly those of ``CSVReader/next()`` plus ``RowValidator/validate(_:)``.
public enum CheckedRecord: Sendable, Equatable {
    /// The row passes every rule with no warning; no strings were built for it.
    case clean(recordNumber: Int, line: Int)
    /// The record parsed; here is what the validator said (valid with warnings, or invalid).
    case validated(CSVRecord, RowValidation)
    /// The record could not be parsed, as in ``CSVReadResult/malformed(_:reason:)``.
    case malformed(CSVRecord, reason: String)
}
