/// Why a seed or state file could not be used.
public enum EmulatorFileError: Error, Sendable, CustomStringConvertible {
    /// The seed file is missing or malformed.
    case unreadable(path: String, reason: String)
    /// The state file could not be written.
    case unwritable(path: String, reason: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "Cannot read the seed file \(path): \(reason)."
        case .unwritable(let path, let reason):
            "Cannot write the state file \(path): \(reason). Check that its folder exists and is writable."
        }
    }
}
