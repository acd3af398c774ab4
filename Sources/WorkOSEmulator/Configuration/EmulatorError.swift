/// Why the emulator could not start or accept a setting.
public enum EmulatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The address could not be bound (in use, or not an address of this machine).
    case bindFailed(host: String, port: Int, reason: String)
    /// The seed data is inconsistent, e.g. two users with one email.
    case invalidSeed(String)
    /// A setting is out of range.
    case invalidConfiguration(String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .bindFailed(let host, let port, let reason):
            "Could not listen on \(host):\(port): \(reason). Pick another port with --port, or 0 for any free port."
        case .invalidSeed(let reason):
            "The seed data is invalid: \(reason). Fix the seed file and start again."
        case .invalidConfiguration(let reason):
            "Invalid emulator setting: \(reason)."
        }
    }
}
