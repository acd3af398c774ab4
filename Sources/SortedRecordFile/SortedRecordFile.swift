import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An immutable map from ``RecordKey`` to payload bytes, kept on disk so that its size costs no memory.
///
/// A survey of what already exists in WorkOS (every user, every membership) can hold millions of records;
/// this keeps them in two files in a temporary folder and only a sparse index in memory:
///
/// - the *data file* holds the payloads back to back, in the order they were added;
/// - the *entry file* holds one fixed-width entry per distinct key (key, payload offset, payload length),
///   sorted by key.
///
/// Memory holds the first key of every block of ``blockEntries`` entries (16 bytes per 128 records: about
/// 125 KB for a million). A lookup binary-searches those keys, reads that one block of entries with `pread`,
/// binary-searches it, and reads the payload with a second `pread`. `pread` keeps no file position, so
/// lookups are safe from many tasks at once.
///
/// The files are created mode 0600, since payloads hold users' data, and their names are removed as soon as
/// they are opened: nothing of them is left on disk once the process ends, however it ends. Build one with
/// ``Builder``.
package final class SortedRecordFile: Sendable {
    /// Entries per block of the entry file: one lookup reads one block (128 × 28 bytes, under a 4 KiB page).
    package static let blockEntries = 128

    /// The number of distinct keys.
    package let count: Int

    private let dataFD: Int32
    private let dataPath: String
    private let entryFD: Int32
    private let entryPath: String
    private let dataSize: Int
    /// The first key of each block of the entry file, in order.
    private let blockFirstKeys: [RecordKey]
    private let closed = Atomic<Bool>(false)

    init(
        dataFD: Int32, dataPath: String, dataSize: Int, entryFD: Int32, entryPath: String, count: Int,
        blockFirstKeys: [RecordKey]
    ) {
        self.dataFD = dataFD
        self.dataPath = dataPath
        self.dataSize = dataSize
        self.entryFD = entryFD
        self.entryPath = entryPath
        self.count = count
        self.blockFirstKeys = blockFirstKeys
    }

    deinit {
        _ = closeDescriptor(dataFD)
        _ = closeDescriptor(entryFD)
    }

    /// The names the data file and the entry file were created under, for messages: neither is on disk any
    /// more (``RecordFileIO/createUnique(in:suffix:)`` removes each name at once), and the files themselves
    /// go when the value is released.
    package var filePaths: [String] { [dataPath, entryPath] }

    /// The bytes the files take on disk: every payload once (the last one added for a key and any it replaced),
    /// plus 28 bytes per distinct key.
    package var byteCount: Int { dataSize + count * RecordEntry.width }

    /// The payload last added for `key`, or `nil` when no record has that key.
    package func payload(for key: RecordKey) throws(SortedRecordFileError) -> [UInt8]? {
        guard !closed.load(ordering: .relaxed) else { throw .closed(path: entryPath) }
        guard let entry = try entry(for: key) else { return nil }
        let length = Int(entry.length)
        guard length > 0 else { return [] }
        var payload = [UInt8](repeating: 0, count: length)
        let fd = dataFD
        let path = dataPath
        let got = try payload.withUnsafeMutableBytes { raw in
            Result { () throws(SortedRecordFileError) in
                try RecordFileIO.read(into: raw, from: fd, at: Int(entry.offset), path: path)
            }
        }.get()
        guard got == length else { throw .truncated(path: dataPath) }
        return payload
    }

    /// Whether a record has `key`, without reading its payload.
    package func contains(_ key: RecordKey) throws(SortedRecordFileError) -> Bool {
        guard !closed.load(ordering: .relaxed) else { throw .closed(path: entryPath) }
        return try entry(for: key) != nil
    }

    /// Ends lookups: afterwards they throw ``SortedRecordFileError/closed(path:)``; calling it again does
    /// nothing. The files have no name on disk; they are freed when the value is released.
    package func close() {
        // The descriptors stay open until the value is released, so a lookup racing with close() reads a
        // file that is intact rather than a descriptor number reused by something else.
        _ = closed.exchange(true, ordering: .acquiringAndReleasing)
    }

    /// The entry for `key`: one binary search in memory, one block read, one binary search in the block.
    private func entry(for key: RecordKey) throws(SortedRecordFileError) -> RecordEntry? {
        // The last block whose first key is not above `key`.
        var low = 0
        var high = blockFirstKeys.count
        while low < high {
            let middle = (low + high) / 2
            if blockFirstKeys[middle] <= key { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let first = (low - 1) * Self.blockEntries
        let entries = min(Self.blockEntries, count - first)
        let byteCount = entries * RecordEntry.width
        let fd = entryFD
        let path = entryPath
        let found: Result<RecordEntry?, SortedRecordFileError> = withUnsafeTemporaryAllocation(
            byteCount: byteCount, alignment: 8
        ) { raw in
            do throws(SortedRecordFileError) {
                let got = try RecordFileIO.read(into: raw, from: fd, at: first * RecordEntry.width, path: path)
                guard got == byteCount else { return .failure(.truncated(path: path)) }
            } catch {
                return .failure(error)
            }
            let base = UnsafeRawPointer(raw.baseAddress!)
            var low = 0
            var high = entries
            while low < high {
                let middle = (low + high) / 2
                let candidate = RecordEntry.key(at: base + middle * RecordEntry.width)
                if candidate == key { return .success(RecordEntry(at: base + middle * RecordEntry.width)) }
                if candidate < key { low = middle + 1 } else { high = middle }
            }
            return .success(nil)
        }
        return try found.get()
    }
}

// A free function so the call reaches the C library rather than the member `close()`.
private func closeDescriptor(_ fd: Int32) -> Int32 { close(fd) }
