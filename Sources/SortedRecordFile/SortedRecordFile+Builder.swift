extension SortedRecordFile {
    /// Builds a ``SortedRecordFile`` from records added in any order, in memory that does not grow with
    /// their number.
    ///
    /// Each payload is appended to the data file as it arrives. Its entry (key, offset, length) is buffered;
    /// every `runCapacity` entries the buffer is sorted and written out as a *run* file. ``finish()`` merges
    /// the runs, at most `mergeFanIn` at a time, into the one sorted entry file. Memory is the entry buffer
    /// (about 40 bytes × `runCapacity`) plus one read block per run being merged, whatever the total.
    ///
    /// When a key is added more than once the last payload added wins, so a later page or update replaces an
    /// earlier one. Use a builder from one task.
    package final class Builder {
        private struct Pending {
            var entry: RecordEntry
            var sequence: Int
        }

        private struct Run {
            var fd: Int32
            var path: String
            var count: Int
        }

        private let directory: String
        private let runCapacity: Int
        private let mergeFanIn: Int
        private var data: BufferedFileWriter
        private var ownsData = true
        private var pending: [Pending] = []
        private var runs: [Run] = []
        private var sequence = 0
        private var finished = false

        /// A builder whose files go in `directory`, which must exist.
        ///
        /// `runCapacity` entries are sorted in memory at a time; `mergeFanIn` runs are merged at a time.
        package init(
            directory: String, runCapacity: Int = 65_536, mergeFanIn: Int = 64
        ) throws(SortedRecordFileError) {
            precondition(runCapacity > 0, "a run holds at least one entry")
            precondition(mergeFanIn >= 2, "a merge reads at least two runs")
            self.directory = directory
            self.runCapacity = runCapacity
            self.mergeFanIn = mergeFanIn
            let file = try RecordFileIO.createUnique(in: directory, suffix: "data")
            data = BufferedFileWriter(fd: file.fd, path: file.path)
            pending.reserveCapacity(min(runCapacity, 1 << 16))
        }

        deinit {
            if ownsData { RecordFileIO.discard(fd: data.fd, path: data.path) }
            for run in runs { RecordFileIO.discard(fd: run.fd, path: run.path) }
        }

        /// Adds one record; a key added before is replaced by this payload.
        package func add(_ key: RecordKey, payload: [UInt8]) throws(SortedRecordFileError) {
            guard !finished else { throw .alreadyFinished(path: data.path) }
            guard payload.count <= Int(UInt32.max) else {
                throw .payloadTooLarge(path: data.path, length: payload.count)
            }
            let entry = RecordEntry(key: key, offset: UInt64(data.position), length: UInt32(payload.count))
            try data.append(payload)
            pending.append(Pending(entry: entry, sequence: sequence))
            sequence += 1
            if pending.count >= runCapacity { try writeRun() }
        }

        /// Writes the last run, merges all runs into the entry file, and returns the finished map.
        ///
        /// The builder cannot be used afterwards. On failure its files are removed when it is released.
        package func finish() throws(SortedRecordFileError) -> SortedRecordFile {
            guard !finished else { throw .alreadyFinished(path: data.path) }
            finished = true
            if !pending.isEmpty { try writeRun() }
            pending = []
            try data.flush()
            let dataSize = try RecordFileIO.size(of: data.fd, path: data.path)
            guard dataSize == data.position else { throw .truncated(path: data.path) }
            // Merge passes replace each group of consecutive runs by its merge, so run order (and with it
            // which of two equal keys is newer) is kept.
            while runs.count > mergeFanIn {
                var index = 0
                while index < runs.count {
                    let end = min(index + mergeFanIn, runs.count)
                    if end - index > 1 {
                        let merged = try merge(runs[index..<end], collectingBlockKeys: false)
                        replace(index..<end, with: merged.run)
                    }
                    index += 1
                }
            }
            let final = try merge(runs[...], collectingBlockKeys: true)
            replace(runs.indices, with: nil)
            ownsData = false
            return SortedRecordFile(
                dataFD: data.fd, dataPath: data.path, dataSize: dataSize, entryFD: final.run.fd,
                entryPath: final.run.path, count: final.run.count, blockFirstKeys: final.blockFirstKeys)
        }

        /// Sorts the buffered entries, keeps the last of each key, and writes them as a new run.
        private func writeRun() throws(SortedRecordFileError) {
            pending.sort { left, right in
                left.entry.key != right.entry.key ? left.entry.key < right.entry.key : left.sequence < right.sequence
            }
            let file = try RecordFileIO.createUnique(in: directory, suffix: "run")
            runs.append(Run(fd: file.fd, path: file.path, count: 0))
            var writer = BufferedFileWriter(fd: file.fd, path: file.path)
            var written = 0
            for index in pending.indices
            where index + 1 == pending.count || pending[index + 1].entry.key != pending[index].entry.key {
                try writer.append(pending[index].entry)
                written += 1
            }
            try writer.flush()
            runs[runs.count - 1].count = written
            pending.removeAll(keepingCapacity: true)
        }

        /// Removes the files of `range` of the runs and puts `run`, if any, in their place.
        private func replace(_ range: Range<Int>, with run: Run?) {
            for old in runs[range] { RecordFileIO.discard(fd: old.fd, path: old.path) }
            runs.replaceSubrange(range, with: run.map { [$0] } ?? [])
        }

        /// Merges `group` (in the order the runs were written) into one new run; the inputs are left alone.
        ///
        /// Among equal keys the entry from the latest run wins. With `collectingBlockKeys` the first key of
        /// every block of ``SortedRecordFile/blockEntries`` entries is collected for the sparse index.
        private func merge(
            _ group: ArraySlice<Run>, collectingBlockKeys: Bool
        ) throws(SortedRecordFileError) -> (run: Run, blockFirstKeys: [RecordKey]) {
            let file = try RecordFileIO.createUnique(in: directory, suffix: "entries")
            var output = Run(fd: file.fd, path: file.path, count: 0)
            var blockFirstKeys: [RecordKey] = []
            do {
                var writer = BufferedFileWriter(fd: file.fd, path: file.path)
                var readers = group.map { RunReader(fd: $0.fd, path: $0.path, entryCount: $0.count) }
                var heap = MergeHeap()
                for source in readers.indices {
                    if let entry = try readers[source].next() {
                        heap.push(MergeHeap.Item(entry: entry, source: source))
                    }
                }
                var last: RecordEntry?
                func emit(_ entry: RecordEntry) throws(SortedRecordFileError) {
                    if collectingBlockKeys && output.count % SortedRecordFile.blockEntries == 0 {
                        blockFirstKeys.append(entry.key)
                    }
                    try writer.append(entry)
                    output.count += 1
                }
                while let top = heap.popMin() {
                    if let next = try readers[top.source].next() {
                        heap.push(MergeHeap.Item(entry: next, source: top.source))
                    }
                    // Equal keys leave the heap in run order, so the one kept is from the latest run.
                    if let previous = last, previous.key != top.entry.key { try emit(previous) }
                    last = top.entry
                }
                if let last { try emit(last) }
                try writer.flush()
            } catch {
                RecordFileIO.discard(fd: output.fd, path: output.path)
                throw error
            }
            return (output, blockFirstKeys)
        }
    }
}

/// A binary min-heap of the current head of each run being merged, ordered by key, then by run.
struct MergeHeap {
    struct Item {
        var entry: RecordEntry
        var source: Int

        func precedes(_ other: Item) -> Bool {
            entry.key != other.entry.key ? entry.key < other.entry.key : source < other.source
        }
    }

    private var items: [Item] = []

    mutating func push(_ item: Item) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin() -> Item? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = parent * 2 + 1
            let right = left + 1
            var smallest = parent
            if left < items.count && items[left].precedes(items[smallest]) { smallest = left }
            if right < items.count && items[right].precedes(items[smallest]) { smallest = right }
            guard smallest != parent else { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
