extension ImportRun {
    /// Reads and checks the organizations file (`--organizations`), before anything is sent; nil without one.
    func readOrganizationFile() throws(ImportError) -> OrganizationFile? {
        guard let path = options.organizationsPath else { return nil }
        let file = try OrganizationFile.read(
            path: path, limits: options.configuration.limits, verifyDomains: options.verifyDomains)
        for warning in file.warnings {
            let prefix = "line \(warning.line): "
            let message =
                warning.message.hasPrefix(prefix) ? String(warning.message.dropFirst(prefix.count)) : warning.message
            context.stderr.write("warning: \(path) line \(warning.line): \(message)\n")
        }
        return file
    }

    /// The dry run's word on the organizations file: each row that breaks a rule, with its line, on stderr.
    func reportProblems(_ file: OrganizationFile) -> OrganizationFileCounts {
        for problem in file.problems {
            context.stderr.write("\(file.path) line \(problem.line): \(problem.message)\n")
        }
        var counts = OrganizationFileCounts()
        counts.rows = file.definitions.count + file.problems.count
        counts.failed = file.problems.count
        return counts
    }

    /// Settles the organizations file's rows through the executor, before the first users row, and tells
    /// each row worth telling on stderr; a journal that cannot record a write stops the run.
    ///
    /// - Parameter changes: also tell the organizations created and updated (a plan tells only the rows that
    ///   fail or differ: its creates and updates are imagined).
    func importOrganizations(_ file: OrganizationFile?, executor: RowExecutor, changes: Bool) async throws(ImportError)
        -> OrganizationFileReport?
    {
        guard let file else { return nil }
        let report = await executor.importOrganizations(file, stop: stop)
        for line in report.lines where changes || !line.isChange {
            context.stderr.write(line.text + "\n")
        }
        if let error = report.journalError { throw .journal(error) }
        return report
    }
}
