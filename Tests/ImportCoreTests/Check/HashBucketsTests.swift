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

    @Test(
        "the bucket bits grow with the file: 8 for small files, 12 from about 34 MB",
        arguments: [(0, 8), (2_000_000, 8), (4_300_000, 10), (16_800_000, 11), (34_000_000, 12), (1 << 40, 12)])
    func bitsForSize(fileSize: Int, bits: Int) {
        #expect(HashBuckets.bucketBits(forFileSize: fileSize) == bits)
    }
}
