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
