import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading seeds and writing state files for `workos-import emulate`.
extension EmulatorSnapshot {
    /// Writes the snapshot as sorted, pretty JSON to `path`, readable by the owner only (0600),
    /// since it holds user data.
    public func write(to path: String) throws(EmulatorFileError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(self) } catch { throw .unwritable(path: path, reason: "\(error)") }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
        // An existing file keeps its mode on open; make sure it is owner-only before writing.
        fchmod(descriptor, 0o600)
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.close()
        } catch {
            throw .unwritable(path: path, reason: "\(error)")
        }
    }
}

extension EmulatorSeed {
    /// Reads a seed file (the JSON shape of ``EmulatorSeed``).
    public static func load(path: String) throws(EmulatorFileError) -> EmulatorSeed {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "the file does not exist or cannot be read")
        }
        do {
            return try JSONDecoder().decode(EmulatorSeed.self, from: data)
        } catch {
            throw .unreadable(path: path, reason: "it is not a valid seed: \(error)")
        }
    }
}

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
