#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

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
        let failure = writeAll(data, to: descriptor)
        if close(descriptor) != 0 || failure != 0 {
            throw .unwritable(path: path, reason: String(cString: strerror(failure != 0 ? failure : errno)))
        }
    }
}

/// Writes every byte of `data` to `descriptor`, again after a partial write or an interrupted call; returns
/// 0, or the `errno` of the write that failed.
private func writeAll(_ data: Data, to descriptor: Int32) -> Int32 {
    data.withUnsafeBytes { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return 0
    }
}
