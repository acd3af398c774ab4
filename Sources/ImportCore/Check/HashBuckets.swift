/// 64-bit hashes kept in 256 to 4,096 buckets by their top 8 to 12 bits, each bucket keeping the bottom 32
/// bits of its hashes: 40 to 44 bits of each hash in 4 bytes. The checks across rows
/// (``DuplicateEmails/Fingerprints``) add one hash per row and column of a file; a bucket that grows copies
/// only itself, so adding never holds two copies of all the hashes at once.
///
/// More buckets keep more bits, so fewer distinct values share a kept hash (and send the file to a second
/// read), but every bucket in use costs its own allocation: ``bucketBits(forFileSize:)`` picks the count
/// for the file's size.
struct HashBuckets: Sendable, Equatable {
    /// How far a hash is shifted to find its bucket: 64 minus the bucket bits.
    let shift: Int
    private var buckets: [[UInt32]]

    /// Empty buckets, one for each value of a hash's top `bucketBits` bits (8 to 12).
    init(bucketBits: Int = 12) {
        let bits = min(12, max(8, bucketBits))
        shift = 64 - bits
        buckets = [[UInt32]](repeating: [], count: 1 << bits)
    }

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

    /// Adds a hash.
    mutating func insert(_ hash: UInt64) {
        buckets[Int(hash >> shift)].append(UInt32(truncatingIfNeeded: hash))
    }

    /// How many hashes were added.
    var count: Int {
        buckets.reduce(0) { $0 + $1.count }
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

    /// Whether `hash` is, in the bits kept, one of the repeated hashes.
    func contains(_ hash: UInt64) -> Bool {
        kept.contains((hash >> shift) << 32 | (hash & 0xFFFF_FFFF))
    }
}
