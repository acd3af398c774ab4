import Foundation
import ImportCore
import SortedRecordFile
import Testing

/// A private temporary folder for one test, removed when the value is released.
private final class IndexScratch {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("index-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The names of the files in the folder now.
    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    /// Whether this system lists a process's open files in `/proc/self/fd`.
    static var canListOpenFiles: Bool { FileManager.default.fileExists(atPath: "/proc/self/fd") }

    /// The files this process holds open that were created in `folder` (their names removed or not), with
    /// their permission bits and sizes, read through `/proc/self/fd`.
    static func openFiles(in folder: String) -> [(link: String, mode: Int, size: Int)] {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.compactMap { name in
            let entry = "/proc/self/fd/" + name
            guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: entry),
                link.hasPrefix(folder + "/")
            else { return nil }
            var info = stat()
            guard stat(entry, &info) == 0 else { return nil }
            return (link, Int(info.st_mode) & 0o777, Int(info.st_size))
        }
    }
}

/// Random keys and payloads from a fixed seed, so a failure is reproduced on every run.
private struct RecordSource {
    var random: SeededRandom

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    mutating func key() -> RecordKey { RecordKey(high: random.next(), low: random.next()) }

    mutating func payload() -> [UInt8] {
        (0..<random.below(40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }
}

@Suite("Sorted record file")
struct SortedRecordFileTests {
    @Test("A key is the first 16 bytes of the SHA-256 of the text, big-endian halves")
    func keyHashing() {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223 b00361a396177a9cb410ff61f20015ad
        let key = RecordKey(hashing: "abc")
        #expect(key == RecordKey(high: 0xba78_16bf_8f01_cfea, low: 0x4141_40de_5dae_2223))
        #expect(key.description == "ba7816bf8f01cfea414140de5dae2223")
        #expect(RecordKey(hashing: "abd") != key)
    }

    @Test("Keys order by their high half, then their low half, as unsigned numbers")
    func keyOrder() {
        #expect(RecordKey(high: 1, low: .max) < RecordKey(high: 2, low: 0))
        #expect(RecordKey(high: 2, low: 1) < RecordKey(high: 2, low: 2))
        #expect(RecordKey(high: 0x7FFF_FFFF_FFFF_FFFF, low: 0) < RecordKey(high: 0x8000_0000_0000_0000, low: 0))
        #expect(!(RecordKey(high: 3, low: 3) < RecordKey(high: 3, low: 3)))
    }

    @Test(
        "Every key added in random order is found with its payload, and keys never added are not",
        arguments: [(runCapacity: 7, fanIn: 64, count: 1_000), (7, 3, 1_000), (64, 2, 3_000), (65_536, 64, 3_000)])
    func matchesDictionary(runCapacity: Int, fanIn: Int, count: Int) throws {
        let scratch = try IndexScratch()
        let builder = try SortedRecordFile.Builder(
            directory: scratch.path, runCapacity: runCapacity, mergeFanIn: fanIn)
        var source = RecordSource(seed: UInt64(runCapacity * 31 + fanIn))
        var oracle: [RecordKey: [UInt8]] = [:]
        for _ in 0..<count {
            let key = source.key()
            let payload = source.payload()
            oracle[key] = payload
            try builder.add(key, payload: payload)
        }
        let index = try builder.finish()
        #expect(index.count == oracle.count)
        for (key, payload) in oracle {
            #expect(try index.payload(for: key) == payload)
            #expect(try index.contains(key))
        }
        for _ in 0..<count {
            let absent = source.key()
            guard oracle[absent] == nil else { continue }
            #expect(try index.payload(for: absent) == nil)
            #expect(try !index.contains(absent))
        }
    }

    @Test("Keys below the first, between two and above the last stored key are misses")
    func missesAtTheEdges() throws {
        let scratch = try IndexScratch()
        let builder = try SortedRecordFile.Builder(directory: scratch.path, runCapacity: 7)
        // Every even key 2...600: five blocks of 128 entries, the last one partial.
        for value in stride(from: 600, through: 2, by: -2) {
            try builder.add(RecordKey(high: 5, low: UInt64(value)), payload: [UInt8(value % 251)])
        }
        let index = try builder.finish()
        #expect(index.count == 300)
        #expect(try index.payload(for: RecordKey(high: 0, low: 0)) == nil)
        #expect(try index.payload(for: RecordKey(high: 5, low: 1)) == nil)
        #expect(try index.payload(for: RecordKey(high: 5, low: 257)) == nil)
        #expect(try index.payload(for: RecordKey(high: 5, low: 601)) == nil)
        #expect(try index.payload(for: RecordKey(high: 6, low: 0)) == nil)
        #expect(try index.payload(for: RecordKey(high: .max, low: .max)) == nil)
        for value in stride(from: 2, through: 600, by: 2) {
            #expect(try index.payload(for: RecordKey(high: 5, low: UInt64(value))) == [UInt8(value % 251)])
        }
    }

    @Test("A key added again replaces its payload, within one run and across runs and merge passes")
    func lastAddedWins() throws {
        let scratch = try IndexScratch()
        let builder = try SortedRecordFile.Builder(directory: scratch.path, runCapacity: 7, mergeFanIn: 2)
        var source = RecordSource(seed: 99)
        let keys = (0..<50).map { _ in source.key() }
        var oracle: [RecordKey: [UInt8]] = [:]
        // Ten rounds over the same keys in changing order: every key recurs in many runs, and some twice
        // in a row inside one run.
        for round in 0..<10 {
            for position in 0..<keys.count {
                let key = keys[(position * (round + 1) * 7) % keys.count]
                let payload = Array("round \(round) position \(position)".utf8)
                oracle[key] = payload
                try builder.add(key, payload: payload)
                if position % 9 == 0 {
                    oracle[key] = payload + [0]
                    try builder.add(key, payload: payload + [0])
                }
            }
        }
        let index = try builder.finish()
        #expect(index.count == keys.count)
        for key in keys { #expect(try index.payload(for: key) == oracle[key]) }
    }

    @Test("An empty builder gives an empty map that finds nothing")
    func empty() throws {
        let scratch = try IndexScratch()
        let index = try SortedRecordFile.Builder(directory: scratch.path, runCapacity: 7).finish()
        #expect(index.count == 0)
        #expect(index.byteCount == 0)
        #expect(try index.payload(for: RecordKey(hashing: "anyone@example.com")) == nil)
    }

    @Test("An empty payload is stored and found as empty, not as missing")
    func emptyPayloads() throws {
        let scratch = try IndexScratch()
        let builder = try SortedRecordFile.Builder(directory: scratch.path, runCapacity: 7)
        var oracle: [RecordKey: [UInt8]] = [:]
        for value in 0..<40 {
            let key = RecordKey(hashing: "user\(value)@example.com")
            let payload: [UInt8] = value % 3 == 0 ? [] : Array("payload \(value)".utf8)
            oracle[key] = payload
            try builder.add(key, payload: payload)
        }
        // An empty payload replacing a full one, and the other way round, at the same data offset.
        let replaced = RecordKey(hashing: "user1@example.com")
        try builder.add(replaced, payload: [])
        oracle[replaced] = []
        let filled = RecordKey(hashing: "user3@example.com")
        try builder.add(filled, payload: [7])
        oracle[filled] = [7]
        let index = try builder.finish()
        #expect(index.count == 40)
        for (key, payload) in oracle { #expect(try index.payload(for: key) == payload) }
    }

    @Test("Lookups from many tasks at once all find their payloads")
    func concurrentLookups() async throws {
        let scratch = try IndexScratch()
        let builder = try SortedRecordFile.Builder(directory: scratch.path, runCapacity: 100)
        for value in 0..<2_000 {
            try builder.add(RecordKey(hashing: "user\(value)@example.com"), payload: Array("user \(value)".utf8))
        }
        let index = try builder.finish()
        let wrong = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<16 {
                group.addTask {
                    var wrong = 0
                    for value in stride(from: task, to: 4_000, by: 16) {
                        let found = try index.payload(for: RecordKey(hashing: "user\(value)@example.com"))
                        let expected = value < 2_000 ? Array("user \(value)".utf8) : nil
                        if found != expected { wrong += 1 }
                    }
                    return wrong
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(wrong == 0)
    }

    @Test("No file of the index ever shows in its folder; the open files are readable by their owner only")
    func privateFiles() throws {
        let scratch = try IndexScratch()
        let builder = try SortedRecordFile.Builder(directory: scratch.path, runCapacity: 7)
        for value in 0..<100 {
            try builder.add(RecordKey(hashing: "user\(value)@example.com"), payload: Array("Ada \(value)".utf8))
        }
        // While building: the data file and 14 runs are open, all private, and none has a name.
        #expect(try scratch.contents().isEmpty)
        let during = IndexScratch.openFiles(in: scratch.path)
        if IndexScratch.canListOpenFiles {
            #expect(during.count == 15)
            for file in during { #expect(file.mode == 0o600, "\(file.link)") }
        }
        let index = try builder.finish()
        #expect(try scratch.contents().isEmpty)
        if IndexScratch.canListOpenFiles {
            let after = IndexScratch.openFiles(in: scratch.path)
            #expect(after.count == 2)
            #expect(index.byteCount == after.map(\.size).reduce(0, +))
        }
        #expect(index.filePaths.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
    }

    @Test("close() ends lookups with an error naming the index")
    func closeEndsLookups() throws {
        let scratch = try IndexScratch()
        let builder = try SortedRecordFile.Builder(directory: scratch.path, runCapacity: 7)
        try builder.add(RecordKey(hashing: "a@example.com"), payload: [1, 2, 3])
        let index = try builder.finish()
        #expect(try index.payload(for: RecordKey(hashing: "a@example.com")) == [1, 2, 3])
        index.close()
        #expect(try scratch.contents().isEmpty)
        #expect(throws: SortedRecordFileError.closed(path: index.filePaths[1])) {
            try index.payload(for: RecordKey(hashing: "a@example.com"))
        }
        index.close()
    }

    @Test("Releasing the map, or a builder that never finished, frees its files")
    func releaseFreesFiles() throws {
        let scratch = try IndexScratch()
        try #require(IndexScratch.canListOpenFiles, "needs /proc/self/fd")
        do {
            let builder = try SortedRecordFile.Builder(directory: scratch.path, runCapacity: 7)
            for value in 0..<30 { try builder.add(RecordKey(hashing: "u\(value)"), payload: [UInt8(value)]) }
            #expect(IndexScratch.openFiles(in: scratch.path).count == 5)
        }
        #expect(IndexScratch.openFiles(in: scratch.path).isEmpty)
        do {
            let builder = try SortedRecordFile.Builder(directory: scratch.path, runCapacity: 7)
            for value in 0..<30 { try builder.add(RecordKey(hashing: "u\(value)"), payload: [UInt8(value)]) }
            let index = try builder.finish()
            #expect(index.count == 30)
            #expect(IndexScratch.openFiles(in: scratch.path).count == 2)
        }
        #expect(IndexScratch.openFiles(in: scratch.path).isEmpty)
        #expect(try scratch.contents().isEmpty)
    }

    @Test("A builder cannot be used after finish()")
    func finishedBuilder() throws {
        let scratch = try IndexScratch()
        let builder = try SortedRecordFile.Builder(directory: scratch.path)
        let index = try builder.finish()
        #expect(throws: SortedRecordFileError.self) { try builder.add(RecordKey(high: 1, low: 1), payload: []) }
        #expect(throws: SortedRecordFileError.self) { _ = try builder.finish() }
        #expect(index.count == 0)
    }

    @Test("A folder that does not exist is an error naming the path and how to fix it")
    func missingFolder() throws {
        let scratch = try IndexScratch()
        let missing = scratch.path + "/nope"
        do {
            _ = try SortedRecordFile.Builder(directory: missing)
            Issue.record("a builder was made in a folder that does not exist")
        } catch {
            #expect(error.path.hasPrefix(missing + "/"))
            #expect(error.description.contains("does not exist"))
        }
    }
}
