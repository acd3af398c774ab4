import Testing

@testable import ImportCore

@Suite("Hash buckets: the first pass of the checks across rows")
struct HashBucketsTests {
    @Test("a hash added twice is found once; hashes that differ in their kept bits are not")
    func repeatedOnce() {
        var buckets = HashBuckets(bucketBits: 12)
        let hashes: [UInt64] = [
            0xABC0_0000_1234_5678,
            0xABC0_0000_1234_5678,  // the same hash again
            0xABC0_0000_1234_5678,  // and a third time
            0xABD0_0000_1234_5678,  // another bucket, same bottom 32 bits
            0xABC0_0000_1234_5679,  // same bucket, another entry
            0x0000_0000_0000_0000,  // zero, which the table must not take for a free place
            0x0000_0000_0000_0000,
            0xFFF0_0000_FFFF_FFFF,  // the largest kept value
        ]
        for hash in hashes { buckets.insert(hash) }
        #expect(buckets.count == hashes.count)
        let repeated = buckets.takeRepeated()
        #expect(repeated.kept.count == 2)
        #expect(repeated.contains(0xABC0_0000_1234_5678))
        #expect(repeated.contains(0))
        #expect(!repeated.contains(0xABD0_0000_1234_5678))
        #expect(!repeated.contains(0xABC0_0000_1234_5679))
        #expect(buckets.count == 0, "taking the repeats empties the buckets")
    }

    @Test("bits between the bucket's and the bottom 32 are not kept: hashes differing only there repeat")
    func middleBitsDropped() {
        var buckets = HashBuckets(bucketBits: 8)
        buckets.insert(0x1200_0001_0000_0042)
        buckets.insert(0x12F0_0FFF_0000_0042)
        let repeated = buckets.takeRepeated()
        #expect(repeated.contains(0x1234_5678_0000_0042))
        #expect(!repeated.contains(0x1300_0000_0000_0042), "another bucket")
    }

    @Test("a crowded bucket: every entry is compared, not only neighbours in the table", arguments: [2, 3, 50, 1000])
    func crowdedBucket(entries: Int) {
        var buckets = HashBuckets()
        // Entries that share their low bits, so they collide in the table and probe past one another.
        for index in 0..<entries { buckets.insert(UInt64(index) << 20) }
        buckets.insert(UInt64(entries - 1) << 20)
        let repeated = buckets.takeRepeated()
        #expect(repeated.kept.count == 1)
        #expect(repeated.contains(UInt64(entries - 1) << 20))
    }

    @Test("under a budget the upper buckets are given up until the rest fit; passes from each end find every repeat")
    func budgetedPasses() {
        // 1,000 hashes spread over the 256 buckets, every fifth one added twice: 1,200 in all.
        let distinct = (0..<1000).map { UInt64($0 + 1) &* 0x9E37_79B9_7F4A_7C15 }
        let hashes = distinct + distinct.enumerated().filter { $0.offset % 5 == 0 }.map(\.element)
        var all = HashBuckets(bucketBits: 8)
        for hash in hashes { all.insert(hash) }
        let expected = all.takeRepeated().kept
        #expect(expected.count == 200)

        var found = Set<UInt64>()
        var start = 0
        var passes = 0
        while start < 256 {
            var pass = HashBuckets(bucketBits: 8, start: start, budget: 100)
            var most = 0
            for hash in hashes {
                pass.insert(hash)
                most = max(most, pass.count)
            }
            #expect(most <= 100, "a pass never holds more than its budget")
            #expect(pass.end > start, "every pass covers at least one bucket")
            found.formUnion(pass.takeRepeated().kept)
            start = pass.end
            passes += 1
        }
        #expect(found == expected)
        #expect(passes >= 12, "1,200 hashes at most 100 a pass take at least 12 passes")
    }

    @Test("a single bucket over the budget is kept whole: its repeats are still found")
    func bucketOverBudget() {
        var buckets = HashBuckets(bucketBits: 8, start: 7, budget: 3)
        for _ in 0..<10 { buckets.insert(0x07AA_0000_0000_0001) }
        buckets.insert(0x0100_0000_0000_0001)  // below the start: not taken
        #expect(buckets.count == 10)
        #expect(buckets.end == 8)
        let repeated = buckets.takeRepeated()
        #expect(repeated.contains(0x07AA_0000_0000_0001))
        #expect(!repeated.contains(0x0100_0000_0000_0001))
    }

    @Test(
        "the bucket bits grow with the file: 8 for small files, 12 from about 34 MB",
        arguments: [(0, 8), (2_000_000, 8), (4_300_000, 10), (16_800_000, 11), (34_000_000, 12), (1 << 40, 12)])
    func bitsForSize(fileSize: Int, bits: Int) {
        #expect(HashBuckets.bucketBits(forFileSize: fileSize) == bits)
    }
}
