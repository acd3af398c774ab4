#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One entry of a run or of the final entry file: where a key's payload lies in the data file.
///
/// On disk an entry is ``width`` bytes, little-endian: key high, key low, payload offset (8 bytes each),
/// payload length (4 bytes). Fixed width lets a lookup find entry `n` at `n * width` without parsing.
struct RecordEntry: Sendable {
    static let width = 28

    var key: RecordKey
    var offset: UInt64
    var length: UInt32

    /// Writes the entry at `base`, which has room for ``width`` bytes.
    func store(to base: UnsafeMutableRawPointer) {
        base.storeBytes(of: key.high.littleEndian, toByteOffset: 0, as: UInt64.self)
        base.storeBytes(of: key.low.littleEndian, toByteOffset: 8, as: UInt64.self)
        base.storeBytes(of: offset.littleEndian, toByteOffset: 16, as: UInt64.self)
        base.storeBytes(of: length.littleEndian, toByteOffset: 24, as: UInt32.self)
    }

    /// The key of the entry at `base`, read without decoding the rest (for the binary search of a block).
    static func key(at base: UnsafeRawPointer) -> RecordKey {
        RecordKey(
            high: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            low: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }

    /// The entry at `base`.
    init(at base: UnsafeRawPointer) {
        key = Self.key(at: base)
        offset = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        length = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 24, as: UInt32.self))
    }

    init(key: RecordKey, offset: UInt64, length: UInt32) {
        self.key = key
        self.offset = offset
        self.length = length
    }
}

/// Plain file operations for the index, with `EINTR` retried and failures as ``SortedRecordFileError``.
package enum RecordFileIO {
    /// Creates a new file with a unique name in `directory`, readable and writable by its owner only, and
    /// removes its name at once: the file is used through the descriptor alone, so it leaves the disk when
    /// the descriptor closes, however the process ends (even SIGKILL), and no copy of users' data outlives
    /// the run. The returned path names the file in error messages only.
    ///
    /// `O_EXCL` makes sure the file is new, so no other user's file or link is followed; a name already
    /// taken is retried with another random one.
    package static func createUnique(in directory: String, suffix: String) throws(SortedRecordFileError) -> (
        fd: Int32, path: String
    ) {
        var random = SystemRandomNumberGenerator()
        while true {
            let name = "index-" + String(random.next() as UInt64, radix: 36) + "." + suffix
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o600))
            if fd >= 0 {
                // The umask may have cleared bits of 0600, never added any; this keeps the mode exact.
                _ = fchmod(fd, 0o600)
                _ = unlink(path)
                return (fd, path)
            }
            switch errno {
            case EINTR, EEXIST: continue
            default: throw .cannotCreate(path: path, code: errno)
            }
        }
    }

    /// Writes all of `buffer` at the file's current position.
    static func writeAll(_ buffer: UnsafeRawBufferPointer, to fd: Int32, path: String) throws(SortedRecordFileError) {
        guard let start = buffer.baseAddress else { return }
        var done = 0
        while done < buffer.count {
            let written = write(fd, start + done, buffer.count - done)
            if written < 0 {
                if errno == EINTR { continue }
                throw .cannotWrite(path: path, code: errno)
            }
            done += written
        }
    }

    /// Fills `buffer` from `offset`, and returns how many bytes were read (fewer only at the end of the file).
    static func read(
        into buffer: UnsafeMutableRawBufferPointer, from fd: Int32, at offset: Int, path: String
    ) throws(SortedRecordFileError) -> Int {
        guard let start = buffer.baseAddress else { return 0 }
        var filled = 0
        while filled < buffer.count {
            let got = pread(fd, start + filled, buffer.count - filled, off_t(offset + filled))
            if got < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path: path, code: errno)
            }
            if got == 0 { break }
            filled += got
        }
        return filled
    }

    /// The size of the open file in bytes.
    static func size(of fd: Int32, path: String) throws(SortedRecordFileError) -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(path: path, code: errno) }
        return Int(info.st_size)
    }

    /// Closes `fd`, which frees the file: its name was removed when it was created.
    package static func discard(fd: Int32, path: String) {
        _ = close(fd)
    }
}

/// Collects bytes in memory and writes them in large blocks, so a million small records cost a few hundred
/// system calls rather than a million.
struct BufferedFileWriter {
    let fd: Int32
    let path: String
    /// Bytes written to the file so far plus those still buffered: the offset of the next byte.
    private(set) var position = 0
    private var buffer: [UInt8] = []
    private let capacity: Int

    init(fd: Int32, path: String, capacity: Int = 1 << 16) {
        self.fd = fd
        self.path = path
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    /// Appends `bytes`; a chunk larger than the buffer goes straight to the file.
    mutating func append(_ bytes: [UInt8]) throws(SortedRecordFileError) {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try bytes.withUnsafeBytes { raw in
                Result { () throws(SortedRecordFileError) in try RecordFileIO.writeAll(raw, to: fd, path: path) }
            }.get()
        } else {
            buffer.append(contentsOf: bytes)
        }
        position += bytes.count
    }

    /// Appends one entry in its on-disk form.
    mutating func append(_ entry: RecordEntry) throws(SortedRecordFileError) {
        if buffer.count + RecordEntry.width > capacity { try flush() }
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: RecordEntry.width))
        buffer.withUnsafeMutableBytes { raw in entry.store(to: raw.baseAddress! + start) }
        position += RecordEntry.width
    }

    /// Writes out whatever is buffered.
    mutating func flush() throws(SortedRecordFileError) {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { raw in
            Result { () throws(SortedRecordFileError) in try RecordFileIO.writeAll(raw, to: fd, path: path) }
        }.get()
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Reads the entries of one sorted run in order, a block at a time, for the merge.
struct RunReader {
    let fd: Int32
    let path: String
    private let entryCount: Int
    private var nextIndex = 0
    private var buffer: [UInt8]
    private var bufferStart = 0
    private var bufferCount = 0

    init(fd: Int32, path: String, entryCount: Int, blockEntries: Int = 1024) {
        self.fd = fd
        self.path = path
        self.entryCount = entryCount
        buffer = [UInt8](repeating: 0, count: blockEntries * RecordEntry.width)
    }

    /// The next entry, or `nil` after the last.
    mutating func next() throws(SortedRecordFileError) -> RecordEntry? {
        guard nextIndex < entryCount else { return nil }
        if nextIndex >= bufferStart + bufferCount {
            let wanted = min(buffer.count / RecordEntry.width, entryCount - nextIndex)
            let fd = fd
            let path = path
            let start = nextIndex
            let got = try buffer.withUnsafeMutableBytes { raw in
                Result { () throws(SortedRecordFileError) in
                    try RecordFileIO.read(
                        into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<wanted * RecordEntry.width]), from: fd,
                        at: start * RecordEntry.width, path: path)
                }
            }.get()
            guard got == wanted * RecordEntry.width else { throw .truncated(path: path) }
            bufferStart = nextIndex
            bufferCount = wanted
        }
        let slot = nextIndex - bufferStart
        nextIndex += 1
        return buffer.withUnsafeBytes { raw in RecordEntry(at: raw.baseAddress! + slot * RecordEntry.width) }
    }
}
