/// A problem that stops a conversion before or while it runs: exit code 2, one sentence that says what to do.
///
/// Problems with one user are not errors: they are ``ConversionReason`` values on that user's outcome and
/// the conversion goes on. These are the problems no user can be converted through: a missing file, hash
/// parameters that cannot be right, a file that is not the export it should be.
public enum ConvertError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An input file does not exist.
    case inputNotFound(path: String)
    /// An input file exists but cannot be read.
    case inputUnreadable(path: String, reason: String)
    /// An input file is not in the shape its source writes (not JSON, no `users` array, no header).
    case notAnExport(path: String, source: ConvertSource, reason: String)
    /// The Firebase hash parameters are missing a value or have one that cannot be right.
    case badHashConfig(String)
    /// A flag's value is unusable.
    case badOption(String)
    /// The output or the skipped-records file could not be written.
    case output(OutputFileError)
    /// Ctrl-C (SIGINT, SIGTERM or SIGHUP) stopped the run before it finished; nothing was replaced.
    case interrupted(output: String)

    public var description: String {
        switch self {
        case .inputNotFound(let path):
            return
                "Cannot find the export file \(path). Check the path; it is relative to the folder you run the command from."
        case .inputUnreadable(let path, let reason):
            return
                "Cannot read the export file \(path) (\(reason)). Check its permissions, or copy it somewhere readable."
        case .notAnExport(let path, let source, let reason):
            return "\(path) is not \(source.exportDescription): \(reason). \(source.exportHint)"
        case .badHashConfig(let reason):
            return
                "The Firebase hash parameters are not usable: \(reason). Copy the hash_config block from the Firebase "
                + "console (Authentication → Users → ⋮ → Password hash parameters) into a file and pass it with --hash-config, "
                + "or give --signer-key, --salt-separator, --rounds and --mem-cost."
        case .badOption(let message):
            return message
        case .output(let error):
            return error.description
        case .interrupted(let output):
            return
                "Stopped before the conversion finished: \(output) was not written (a previous file there is "
                + "untouched). Run the same command again."
        }
    }
}
