#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bytes ``CSVReader`` parses: a file read in large chunks into one reusable buffer, or an in-memory
/// array (for tests).
///
/// Reading with POSIX `read` into a fixed buffer keeps memory flat whatever the file size. The source can
/// move back to an earlier offset, which the reader needs to resume after a quoting error.
struct CSVByteSource {
    /// The open file, or -1 for in-memory input.
    let fileDescriptor: Int32
    /// Current chunk; ``count`` bytes are valid.
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    /// Absolute offset of `buffer[0]` in the input.
    private(set) var bufferOffset = 0
    /// Valid bytes in ``buffer``.
    private(set) var count = 0
    /// Next byte to parse, as an index into ``buffer``.
    var position = 0
    /// `errno` of a failed `read`, if any; reading stops there.
    private(set) var readFailure: Int32?

    /// A source over an open file, read `chunkSize` bytes at a time.
    init(fileDescriptor: Int32, chunkSize: Int) {
        self.fileDescriptor = fileDescriptor
        capacity = chunkSize
        buffer = .allocate(capacity: chunkSize)
    }

    /// A source over bytes already in memory; there is nothing to refill.
    init(bytes: [UInt8]) {
        fileDescriptor = -1
        capacity = max(1, bytes.count)
        buffer = .allocate(capacity: capacity)
        bytes.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { buffer.update(from: base, count: source.count) }
        }
        count = bytes.count
    }

    /// Absolute offset of the next byte to parse.
    var offset: Int { bufferOffset + position }

    /// Frees the buffer and closes the file; the owner calls this once.
    func close() {
        buffer.deallocate()
        if fileDescriptor >= 0 { _ = systemClose(fileDescriptor) }
    }

    /// Replaces the chunk with the next one. Returns false at end of input or on a read error.
    mutating func refill() -> Bool {
        guard fileDescriptor >= 0, readFailure == nil else {
            position = count
            return false
        }
        bufferOffset += count
        count = 0
        position = 0
        do throws(FileCallError) {
            count = try FileIO.read(fileDescriptor, into: UnsafeMutableRawBufferPointer(start: buffer, count: capacity))
            return count > 0
        } catch {
            readFailure = error.code
            return false
        }
    }

    /// Moves to absolute `target`, which is never past the bytes read so far.
    mutating func seek(to target: Int) {
        if target >= bufferOffset && target <= bufferOffset + count {
            position = target - bufferOffset
            return
        }
        guard fileDescriptor >= 0, lseek(fileDescriptor, off_t(target), SEEK_SET) >= 0 else {
            readFailure = readFailure ?? errno
            position = count
            return
        }
        bufferOffset = target
        count = 0
        position = 0
    }
}

/// `close(2)`, named apart from ``CSVByteSource/close()``.
private func systemClose(_ descriptor: Int32) -> Int32 {
    #if canImport(Glibc)
        Glibc.close(descriptor)
    #elseif canImport(Musl)
        Musl.close(descriptor)
    #else
        Darwin.close(descriptor)
    #endif
}
