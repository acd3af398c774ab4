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

    /// ``nextChecked(by:)`` that also takes the row's fingerprints for the checks across rows, from the bytes
    /// it reads anyway: a dry run then reads the file a second time only when some fingerprints repeat.
    ///
    /// Every well-formed record gives its fingerprints, clean or not, as ``DuplicateEmails/scan(hash:open:)``
    /// takes them; a malformed one gives none. A clean row is counted into `coverage` from its bytes as well;
    /// any other row is the caller's to count, once it knows the row is valid.
    public func nextChecked(
        by validator: RowValidator, fingerprints: inout DuplicateEmails.Fingerprints, coverage: inout FieldCoverage
    ) -> CheckedRecord? {
        func check(_ bytes: RecordBytes) -> Bool {
            guard validator.isClean(bytes, counting: &coverage, at: fingerprints.columns) else { return false }
            fingerprints.add(RowCells(bytes: bytes))
            return true
        }
        let step = withoutActuallyEscaping(check) { check in advance(cleanCheck: check) }
        switch step {
        case .none: return nil
        case .clean(let recordNumber, let line): return .clean(recordNumber: recordNumber, line: line)
        case .read(.record(let record)):
            fingerprints.add(RowCells(fields: record.fields))
            return .validated(record, validator.validate(record))
        case .read(.malformed(let record, let reason)): return .malformed(record, reason: reason)
        }
    }
}
