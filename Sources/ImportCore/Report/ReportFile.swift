/// Writes a report page (`--report`): mode 0600, into a file beside the destination that replaces it only
/// once complete, so an interrupted or failed write never leaves half a page that looks whole.
public enum ReportFile {
    /// Renders `report` and puts the page at `path`.
    public static func write(_ report: RunReport, to path: String) throws(OutputFileError) {
        let file = try ReplacedOutputFile(replacing: path)
        do throws(OutputFileError) {
            try SecureFile.write(ReportPage.render(report), to: file.descriptor, path: path)
        } catch {
            try? SecureFile.close(file.descriptor, path: path)
            file.discard()
            throw error
        }
        do throws(OutputFileError) {
            try SecureFile.close(file.descriptor, path: path)
        } catch {
            file.discard()
            throw error
        }
        try file.commit()
    }
}

extension ImportRun {
    /// How many of the file's valid rows carry each field, for an import's or a verify's report page: one
    /// more pass over the file with the import's rules (a dry run's pace), made only when a report is asked
    /// for, since a resumed import sends only some of the rows; `nil` when the file cannot be read again. A
    /// dry run and a plan count it in their own pass (their summaries' `coverage`).
    public func fileCoverage() -> FieldCoverage? {
        guard let (reader, validator) = try? open(quietly: true) else { return nil }
        var coverage = FieldCoverage(noun: "row")
        while let result = reader.next() {
            guard case .record(let record) = result, case .valid(let row, _) = validator.validate(record) else {
                continue
            }
            coverage.add(row)
        }
        return coverage
    }
}
