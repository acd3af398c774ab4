import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `errno` of a file call that failed for a reason other than an interruption.
struct FileCallError: Error, Equatable {
    /// The `errno` value.
    var code: Int32

    /// The system's description, e.g. "No space left on device".
    var description: String { SystemError.describe(code) }
}

/// The file calls that a signal can interrupt, each retried on `EINTR` here and nowhere else, so no
/// reader or writer of the import has a retry loop of its own (or forgets one).
///
/// The calls are the plain system calls: one `read(2)` is one `read`, with no buffer of its own, so the
/// hot paths (the CSV reader, the journal's one `write(2)` per line) cost what they cost before.
enum FileIO {
    /// `open(2)`; new files get `mode` (0600 unless said otherwise).
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o600) throws(FileCallError) -> Int32 {
        while true {
            let descriptor = systemOpen(path, flags, mode)
            if descriptor >= 0 { return descriptor }
            if errno != EINTR { throw FileCallError(code: errno) }
        }
    }

    /// One `read(2)` into `buffer`: the number of bytes read, 0 at the end of the file.
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(FileCallError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = systemRead(descriptor, base, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw FileCallError(code: errno) }
        }
    }

    /// One `pread(2)` into `buffer` from `offset`, leaving the file position alone: the number of bytes
    /// read, 0 at the end of the file.
    static func read(
        _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int
    ) throws(FileCallError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = pread(descriptor, base, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno != EINTR { throw FileCallError(code: errno) }
        }
    }

    /// Fills `buffer` (from `offset` with `pread(2)`, else from the file position), continuing after short
    /// reads: the number of bytes read, fewer than the buffer holds only at the end of the file.
    static func readFully(
        _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int? = nil
    ) throws(FileCallError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let rest = UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])
            let count: Int
            if let offset {
                count = try read(descriptor, into: rest, at: offset + filled)
            } else {
                count = try read(descriptor, into: rest)
            }
            if count == 0 { break }
            filled += count
        }
        return filled
    }

    /// Up to `count` bytes (from `offset` with `pread(2)`, else from the file position), fewer only at the end
    /// of the file.
    static func readBytes(_ descriptor: Int32, count: Int, at offset: Int? = nil) throws(FileCallError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let result = bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(FileCallError) in try readFully(descriptor, into: buffer, at: offset) }
        }
        let filled = try result.get()
        bytes.removeLast(count - filled)
        return bytes
    }

    /// Writes every byte of `buffer` at the file position, continuing after short writes.
    static func writeAll(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) throws(FileCallError) {
        guard var base = buffer.baseAddress else { return }
        var remaining = buffer.count
        while remaining > 0 {
            let written = systemWrite(descriptor, base, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileCallError(code: errno)
            }
            base += written
            remaining -= written
        }
    }

    /// ``writeAll(_:_:)`` for bytes in any contiguous collection.
    static func writeAll(_ descriptor: Int32, _ bytes: some ContiguousBytes) throws(FileCallError) {
        let failure: FileCallError? = bytes.withUnsafeBytes { buffer in
            do throws(FileCallError) {
                try writeAll(descriptor, buffer)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }
}

// Free functions so the calls reach the C library rather than the same-named members above.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemRead(_ descriptor: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, base, count)
}
private func systemWrite(_ descriptor: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, base, count)
}
