#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

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
