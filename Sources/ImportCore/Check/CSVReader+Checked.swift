extension CSVReader {
    /// The next record, validated by `validator`, or `nil` at the end of the file.
    ///
    /// Rows that certainly pass with no warning come back as ``CheckedRecord/clean(recordNumber:line:)``
    /// without any string being built, which is what makes a dry run over a large file fast.
    public func nextChecked(by validator: RowValidator) -> CheckedRecord? {
        switch advance(cleanCheck: validator.isClean) {
        case .none: return nil
        case .clean(let recordNumber, let line): return .clean(recordNumber: recordNumber, line: line)
        case .read(.record(let record)): return .validated(record, validator.validate(record))
        case .read(.malformed(let record, let reason)): return .malformed(record, reason: reason)
        }
    }
}
