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
/// held as a table). A fatal error removes the half-written output, since a partial file imported by
/// mistake would lose users without a word.
public struct ConvertRun {
    /// What the run was asked to do.
    public let settings: ConvertSettings
    /// Where warnings go (standard error for the command).
    public let warnings: any TextSink

    /// A run.
    public init(settings: ConvertSettings, warnings: any TextSink) {
        self.settings = settings
        self.warnings = warnings
    }

    /// What a finished run counted and the notes for its summary.
    public struct Finished: Sendable {
        /// The counts.
        public var counts: ConvertCounts
        /// Sentences about the whole run.
        public var notes: [String]

        /// The summary text.
        public func summary(settings: ConvertSettings) -> String {
            ConvertSummaryText.render(counts, settings: settings, notes: notes)
        }

        /// The summary as one JSON object (`convert --json`; keys in ``ConvertSummaryJSON``).
        public func json(settings: ConvertSettings) -> String {
            ConvertSummaryJSON.render(counts, settings: settings, notes: notes)
        }
    }

    /// Runs the conversion.
    public func run() throws(ConvertError) -> Finished {
        try checkPaths()
        var converter = try makeConverter()
        let writer: ConvertedCSVWriter
        do {
            writer = try ConvertedCSVWriter(path: settings.outputPath)
        } catch {
            throw .output(error)
        }
        var skippedWriter: SkippedRecordWriter? = nil
        if let skippedPath = settings.skippedPath {
            do {
                skippedWriter = try SkippedRecordWriter(path: skippedPath)
            } catch {
                try? writer.close()
                removeOutputs()
                throw .output(error)
            }
        }
        var counts = ConvertCounts()
        var fingerprints = EmailFingerprints()
        let source = settings.source
        let warnings = self.warnings
        do throws(ConvertError) {
            for file in settings.inputs {
                try converter.convert(file: file) { (outcome) throws(ConvertError) in
                    counts.record(outcome)
                    var line = SkippedRecordWriter.line(for: outcome, source: source)
                    if case .converted(let user, _, _) = outcome.result {
                        do throws(OutputFileError) {
                            try writer.write(user)
                        } catch {
                            throw .output(error)
                        }
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
            do throws(OutputFileError) {
                try writer.close()
                try skippedWriter?.close()
            } catch {
                throw .output(error)
            }
        } catch {
            try? writer.close()
            try? skippedWriter?.close()
            removeOutputs()
            throw error
        }
        if counts.repeatedEmails > 10 {
            warnings.write("warning: \(counts.repeatedEmails - 10) more users repeat an earlier user's address\n")
        }
        return Finished(counts: counts, notes: converter.notes)
    }

    private func makeConverter() throws(ConvertError) -> any ExportConverter {
        switch settings.source {
        case .firebase: return FirebaseConverter(settings: settings)
        case .auth0: return try Auth0Converter(settings: settings)
        case .clerk: return ClerkConverter(settings: settings)
        case .cognito: return CognitoConverter(settings: settings)
        case .supabase: return SupabaseConverter(settings: settings)
        }
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

    private static func sameFile(_ first: String, _ second: String) -> Bool {
        if first == second { return true }
        var a = stat()
        var b = stat()
        guard stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    private func removeOutputs() {
        _ = unlink(settings.outputPath)
        if let skipped = settings.skippedPath { _ = unlink(skipped) }
    }
}
