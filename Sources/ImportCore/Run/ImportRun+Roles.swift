extension ImportRun {
    /// Reads and checks the roles file (`--roles`, or a package's `role_definitions.csv`), before anything
    /// is sent; nil without one.
    func readRoleFile() throws(ImportError) -> RoleFile? {
        guard let path = options.rolesPath else { return nil }
        return try RoleFile.read(path: path)
    }

    /// The dry run's word on the roles file: each row that breaks a rule, with its line, on stderr.
    func reportProblems(_ file: RoleFile) -> RoleFileCounts {
        for problem in file.problems {
            context.stderr.write("\(file.path) line \(problem.line): \(problem.message)\n")
        }
        var counts = RoleFileCounts()
        counts.rows = file.definitions.count + file.problems.count
        counts.failed = file.problems.count
        return counts
    }

    /// The roles file's first part, before the organizations: the organization roles' organizations looked
    /// up (reads only), then the permissions and the environment roles; a journal that cannot record a write
    /// stops the run.
    func startRoles(_ file: RoleFile?, organizations: OrganizationFile?, executor: RowExecutor)
        async
        throws(ImportError) -> RoleFileImport?
    {
        guard let file else { return nil }
        var roles = RoleFileImport(file: file, executor: executor, stop: stop)
        await roles.checkOrganizations(in: organizations)
        await roles.settleEnvironment()
        if let error = roles.journalError { throw .journal(error) }
        return roles
    }

    /// The roles file's second part, once the organizations exist: the organization roles; then each row
    /// worth telling on stderr.
    ///
    /// - Parameter changes: also tell the roles created and updated (a plan tells only the rows that fail
    ///   or differ).
    func finishRoles(_ started: RoleFileImport?, changes: Bool) async throws(ImportError) -> RoleFileReport? {
        guard var roles = started else { return nil }
        await roles.settleOrganizationRoles()
        let report = roles.report()
        for line in report.lines where changes || !line.isChange {
            context.stderr.write(line.text + "\n")
        }
        if let error = report.journalError { throw .journal(error) }
        return report
    }
}
