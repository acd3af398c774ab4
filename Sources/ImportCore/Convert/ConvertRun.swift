#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One `convert` invocation: read a provider's export files, write the importer's CSV and the skipped
/// records, count everything.
///
/// The pipeline is short: a provider's ``ExportConverter`` (Firebase, Auth0, Clerk, Cognito, Supabase)
/// turns each user into a ``ConversionOutcome``; this run writes converted users with
/// ``ConvertedCSVWriter``, writes every skipped or degraded user with ``SkippedRecordWriter``, warns about
/// repeated addresses (``EmailFingerprints``) and counts (``ConvertCounts``). Every file streams, so memory
/// does not grow with the export (Auth0's password file is the exception: it is joined by user id, so it is
/// held as a table). Both outputs are written to temporary files beside them and renamed into place only
/// when the run completes (``ReplacedOutputFile``): a fatal error, an interruption or a kill leaves the
/// previous outputs untouched, since a partial file imported by mistake would lose users without a word.
public struct ConvertRun {
    /// What the run was asked to do.
    public let settings: ConvertSettings
    /// Where warnings go (standard error for the command).
    public let warnings: any TextSink
    /// Set by the first Ctrl-C (SIGINT, SIGTERM, SIGHUP): the run stops before the next user and writes
    /// nothing.
    public let stop: StopSignal

    /// A run.
    public init(settings: ConvertSettings, warnings: any TextSink, stop: StopSignal = StopSignal()) {
        self.settings = settings
        self.warnings = warnings
        self.stop = stop
    }

    /// What a finished run counted and the notes for its summary.
    public struct Finished: Sendable {
        /// The counts.
        public var counts: ConvertCounts
        /// Sentences about the whole run.
        public var notes: [String]
        /// Sentences about something that probably went wrong (also written to standard error), such as an
        /// `--org-from` field no user has.
        public var warnings: [String] = []
        /// Which fields the converted users carry.
        public var coverage = FieldCoverage()

        /// The summary text, then the field coverage table.
        public func summary(settings: ConvertSettings) -> String {
            ConvertSummaryText.render(counts, settings: settings, notes: notes, warnings: warnings) + coverage.table
        }

        /// The summary as one JSON object (`convert --json`; keys in ``ConvertSummaryJSON``, and `coverage`).
        public func json(settings: ConvertSettings) -> String {
            JSONObjectText.inserting(
                [("coverage", coverage.json)],
                into: ConvertSummaryJSON.render(counts, settings: settings, notes: notes, warnings: warnings))
        }
    }

    /// Runs the conversion.
    public func run() throws(ConvertError) -> Finished {
        try checkPaths()
        var converter = try makeConverter()
        let output: ReplacedOutputFile
        do {
            output = try ReplacedOutputFile(replacing: settings.outputPath)
        } catch {
            throw .output(error)
        }
        let writer = ConvertedCSVWriter(descriptor: output.descriptor, path: settings.outputPath)
        var skippedOutput: ReplacedOutputFile? = nil
        var skippedWriter: SkippedRecordWriter? = nil
        if let skippedPath = settings.skippedPath {
            do {
                let file = try ReplacedOutputFile(replacing: skippedPath)
                skippedOutput = file
                skippedWriter = SkippedRecordWriter(descriptor: file.descriptor, path: skippedPath)
            } catch {
                try? writer.close()
                output.discard()
                throw .output(error)
            }
        }
        var counts = ConvertCounts()
        var coverage = FieldCoverage()
        var fingerprints = EmailFingerprints()
        let source = settings.source
        let warnings = self.warnings
        let stop = self.stop
        let outputPath = settings.outputPath
        do throws(ConvertError) {
            for file in settings.inputs {
                if stop.isRequested { throw .interrupted(output: outputPath) }
                if Self.isEmpty(file) {
                    throw .notAnExport(path: file, source: source, reason: "it is empty (no bytes, or only blanks)")
                }
                try converter.convert(file: file) { (outcome) throws(ConvertError) in
                    if stop.isRequested { throw .interrupted(output: outputPath) }
                    counts.record(outcome)
                    var line = SkippedRecordWriter.line(for: outcome, source: source)
                    if case .converted(let user, _, _) = outcome.result {
                        do throws(OutputFileError) {
                            try writer.write(user)
                        } catch {
                            throw .output(error)
                        }
                        coverage.add(user)
                        if !fingerprints.insert(user.email) {
                            counts.recordRepeatedEmail(user.email, at: outcome.position)
                            if counts.repeatedEmails <= 10 {
                                warnings.write(
                                    "warning: \(outcome.position): \(user.email) is the address of an earlier user too\n"
                                )
                            }
                            let reason = "the address is on an earlier user too, so the import fails this row"
                            if line == nil {
                                line = SkippedRecordWriter.Line(
                                    email: outcome.email, outcome: "converted_repeated_email",
                                    position: outcome.position.description, reason: reason, source: source.rawValue,
                                    sourceId: outcome.sourceId)
                            } else {
                                line?.reason += "; " + reason
                            }
                        }
                    }
                    if let line, skippedWriter != nil {
                        do throws(OutputFileError) {
                            try skippedWriter?.write(line)
                        } catch {
                            throw .output(error)
                        }
                    }
                }
            }
            if stop.isRequested { throw .interrupted(output: outputPath) }
            do throws(OutputFileError) {
                try writer.close()
                try skippedWriter?.close()
                // The CSV last: a run that dies between the two renames leaves the previous CSV.
                try skippedOutput?.commit()
                try output.commit()
            } catch {
                throw .output(error)
            }
        } catch {
            try? writer.close()
            try? skippedWriter?.close()
            output.discard()
            skippedOutput?.discard()
            throw error
        }
        if counts.repeatedEmails > 10 {
            warnings.write("warning: \(counts.repeatedEmails - 10) more users repeat an earlier user's address\n")
        }
        var finished = Finished(counts: counts, notes: converter.notes)
        finished.coverage = coverage
        finished.warnings = mappingWarnings(counts)
        for warning in finished.warnings { warnings.write("warning: \(warning)\n") }
        return finished
    }

    /// A warning for each of `--org-from` and `--org-name-from` that found a value for no converted user:
    /// almost always a misspelt field, which would otherwise give every user no organization without a word.
    private func mappingWarnings(_ counts: ConvertCounts) -> [String] {
        guard counts.converted > 0 else { return [] }
        var warnings: [String] = []
        for (option, field, found) in [
            ("--org-from", settings.orgFrom, counts.withOrganization),
            ("--org-name-from", settings.orgNameFrom, counts.withOrganizationName),
        ] {
            guard let field, found == 0 else { continue }
            warnings.append(
                "\(option) \(field.text) matched no user: none of the \(counts.converted) converted users has a value "
                    + "there, so \(option == "--org-from" ? "none has an organization" : "no organization has a name"). "
                    + "Check the field's spelling against the export.")
        }
        return warnings
    }

    private func makeConverter() throws(ConvertError) -> any ExportConverter {
        try settings.source.converter.init(settings: settings)
    }

    /// Refuses an output that is an input or the other output, compared as files (links included).
    private func checkPaths() throws(ConvertError) {
        guard !settings.inputs.isEmpty else {
            throw .badOption("Name at least one export file after the source, e.g. `convert firebase users.json`.")
        }
        var outputs = [("--out", settings.outputPath)]
        if let skipped = settings.skippedPath { outputs.append(("--skipped", skipped)) }
        if outputs.count == 2 && Self.sameFile(outputs[0].1, outputs[1].1) {
            throw .badOption("--out and --skipped name the same file; give each its own.")
        }
        let inputs = settings.inputs + (settings.passwordsPath.map { [$0] } ?? [])
        for (flag, output) in outputs {
            for input in inputs where Self.sameFile(input, output) {
                throw .badOption(
                    "\(flag) \(output) is the export file \(input) itself; write the result to another file.")
            }
        }
    }

    /// Whether `path` is a regular file holding nothing but blanks: one rule for every provider, since an
    /// empty export is a failed export, never zero users to convert. A file that cannot be opened is left
    /// to the converter, which says why.
    static func isEmpty(_ path: String) -> Bool {
        // Only a regular file is opened here: opening a named pipe would take the writer's data.
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return false }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { _ = close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= 65_536 else {
            return false
        }
        // A file that cannot be read is left to the converter too.
        guard let bytes = try? FileIO.readBytes(descriptor, count: Int(info.st_size)) else { return false }
        var blanks = bytes[...]
        if blanks.starts(with: [0xEF, 0xBB, 0xBF]) { blanks = blanks.dropFirst(3) }
        return blanks.allSatisfy(CellText.isBlank)
    }

    private static func sameFile(_ first: String, _ second: String) -> Bool {
        if first == second { return true }
        var a = stat()
        var b = stat()
        guard stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }
}
