import WorkOSClient

extension ImportRun {
    /// Reads and checks the SSO connection files and the secrets file, before anything is sent; nil without
    /// SSO files. Each note (an external id made from the row, columns not sent) goes to stderr.
    func readSSOConnectionFiles() throws(ImportError) -> SSOConnectionFiles? {
        guard !options.ssoConnectionPaths.isEmpty else { return nil }
        let files = try SSOConnectionFiles.read(
            paths: options.ssoConnectionPaths, secretsPath: options.ssoSecretsPath,
            verifyDomains: options.verifyDomains)
        for note in files.notes { context.stderr.write("note: \(note)\n") }
        return files
    }

    /// The dry run's word on the SSO files: each row that breaks a rule, with its file and line, on stderr.
    func reportProblems(_ files: SSOConnectionFiles) -> SSOConnectionCounts {
        for problem in files.problems {
            context.stderr.write("\(problem.path) line \(problem.line): \(problem.message)\n")
        }
        var counts = SSOConnectionCounts()
        counts.rows = files.definitions.count + files.problems.count
        counts.failed = files.problems.count
        return counts
    }

    /// Creates the SSO connections through the executor, after the organizations and before the first users
    /// row; tells each row worth telling on stderr and writes `--sso-out`. A journal that cannot record a
    /// write stops the run; an environment without the feature does not.
    ///
    /// - Parameter changes: also tell the connections created (a plan tells only the rows that fail: its
    ///   creates are imagined) and write `--sso-out`.
    func importSSOConnections(_ files: SSOConnectionFiles?, executor: RowExecutor, changes: Bool = true)
        async throws(ImportError) -> SSOConnectionReport?
    {
        guard let files else { return nil }
        let report = await executor.importSSOConnections(files, stop: stop)
        for result in report.results {
            let prefix = "\(result.path) line \(result.line): "
            switch result.outcome {
            case .created(let connection) where changes:
                context.stderr.write(prefix + "SSO connection \(connection.id) (\(connection.state))\n")
            case .existing(let connection):
                context.stderr.write(prefix + "SSO connection \(connection.id) already existed\n")
            case .failed(let message, _):
                context.stderr.write(prefix + message + "\n")
            case .notCreated, .created:
                break
            }
            if !result.notTaken.isEmpty {
                context.stderr.write(prefix + "not sent: \(result.notTaken.joined(separator: "; "))\n")
            }
        }
        if report.featureOff {
            context.stderr.write(
                "\(report.counts.notCreated) SSO connections were not created: "
                    + SSOConnectionReport.featureOffSentence + ". The users are imported.\n")
        }
        if changes, let path = options.ssoOut {
            do throws(OutputFileError) { try SSOCutoverFile.write(report, to: path) } catch { throw .output(error) }
        }
        if let error = report.journalError { throw .journal(error) }
        return report
    }
}
