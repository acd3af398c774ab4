/// 64-bit hashes kept in 256 to 4,096 buckets by their top 8 to 12 bits, each bucket keeping the bottom 32
/// bits of its hashes: 40 to 44 bits of each hash in 4 bytes. The checks across rows
/// (``DuplicateEmails/Fingerprints``) add one hash per row and column of a file; a bucket that grows copies
/// only itself, so adding never holds two copies of all the hashes at once.
///
/// More buckets keep more bits, so fewer distinct values share a kept hash (and send the file to a second
/// read), but every bucket in use costs its own allocation: ``bucketBits(forFileSize:)`` picks the count
/// for the file's size.
///
/// A budget bounds the hashes held at once. Buckets from ``start`` on take hashes; when they hold more than
/// the budget, the upper half of the buckets still taking them is emptied and takes no more, until they fit.
/// What is left is complete for the buckets below ``end``: a pass over a large file finds the repeats of
/// those buckets, and the next pass starts at ``end``. Since the hashes are spread evenly, a file of
/// n rows takes about n / budget passes, each holding at most the budget.
struct HashBuckets: Sendable, Equatable {
    /// How far a hash is shifted to find its bucket: 64 minus the bucket bits.
    let shift: Int
    /// The first bucket that takes hashes.
    let start: Int
    /// The bucket after the last that takes hashes; lowered when the budget is exceeded.
    private(set) var end: Int
    /// The most hashes held at once before buckets are given up.
    let budget: Int
    /// The hashes held.
    private(set) var count = 0
    private var buckets: [[UInt32]]

    /// Empty buckets, one for each value of a hash's top `bucketBits` bits (8 to 12), taking the hashes of
    /// buckets from `start` on and holding at most `budget` of them (more only when a single bucket has more).
    init(bucketBits: Int = 12, start: Int = 0, budget: Int = .max) {
        let bits = min(12, max(8, bucketBits))
        shift = 64 - bits
        buckets = [[UInt32]](repeating: [], count: 1 << bits)
        self.start = min(max(0, start), buckets.count)
        end = buckets.count
        self.budget = max(1, budget)
    }

    /// Where the next pass starts: ``end``, or `nil` when these buckets reached the last one.
    var nextStart: Int? { end < buckets.count ? end : nil }

    /// The bucket bits for a file of `fileSize` bytes: about 256 rows a bucket, counting rows of 32 bytes
    /// (a short row, so a file gets more bits rather than fewer), from 8 bits (files under about 2 MB, where
    /// a bucket's allocation matters more than collisions) to 12 (from about 34 MB: two of a million
    /// distinct values share a kept hash in about one file in 35, against about 116 pairs in every such
    /// file with 32 bits).
    static func bucketBits(forFileSize fileSize: Int) -> Int {
        let rows = max(1, fileSize / 32)
        var bits = 8
        while bits < 12, rows >> bits > 256 { bits += 1 }
        return bits
    }

    /// Adds a hash, unless its bucket takes none.
    mutating func insert(_ hash: UInt64) {
        let bucket = Int(hash >> shift)
        guard bucket < end, bucket >= start else { return }
        buckets[bucket].append(UInt32(truncatingIfNeeded: hash))
        count += 1
        if count > budget { giveUpBuckets() }
    }

    /// Empties the upper half of the buckets that take hashes, and again, until the rest fit the budget.
    private mutating func giveUpBuckets() {
        while count > budget, end - start > 1 {
            let middle = start + (end - start) / 2
            for bucket in middle..<end {
                count -= buckets[bucket].count
                buckets[bucket] = []
            }
            end = middle
        }
    }

    /// The hashes that were added more than once; empties the buckets as it goes, so their memory is given
    /// back before the next pass.
    ///
    /// Each bucket goes through one small table (open addressing over its entries, which are already well
    /// mixed) instead of being sorted: a million hashes cost a few milliseconds, not fifty.
    mutating func takeRepeated() -> RepeatedHashes {
        var repeated = RepeatedHashes(shift: shift)
        // Each entry is stored plus one, so that zero marks a free place.
        var table: [UInt64] = []
        count = 0
        for bucket in buckets.indices {
            let entries = buckets[bucket]
            buckets[bucket] = []
            guard entries.count > 1 else { continue }
            var size = 4
            while size < 2 * entries.count { size <<= 1 }
            if table.count < size {
                table = [UInt64](repeating: 0, count: size)
            } else {
                for place in 0..<size { table[place] = 0 }
            }
            let mask = size - 1
            for entry in entries {
                let stored = UInt64(entry) + 1
                var place = Int(entry) & mask
                while table[place] != 0, table[place] != stored { place = (place + 1) & mask }
                if table[place] == stored {
                    repeated.kept.insert(UInt64(bucket) << 32 | UInt64(entry))
                } else {
                    table[place] = stored
                }
            }
        }
        return repeated
    }
}

/// The hashes ``HashBuckets`` saw more than once, by the bits it keeps of them.
struct RepeatedHashes: Sendable {
    let shift: Int
    /// Each repeated hash's bucket above its bottom 32 bits.
    var kept = Set<UInt64>()

    init(shift: Int) {
        self.shift = shift
    }

    var isEmpty: Bool { kept.isEmpty }

    /// Adds the repeated hashes another pass found (over other buckets of the same bits).
    mutating func formUnion(_ other: RepeatedHashes) {
        precondition(other.shift == shift, "repeated hashes of different bucket bits cannot be merged")
        kept.formUnion(other.kept)
    }

    /// Whether `hash` is, in the bits kept, one of the repeated hashes.
    func contains(_ hash: UInt64) -> Bool {
        kept.contains((hash >> shift) << 32 | (hash & 0xFFFF_FFFF))
    }
}
