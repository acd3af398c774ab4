/// The 128-bit key of one record in a ``SortedRecordFile``: the first 16 bytes of the SHA-256 of a text.
///
/// Keys are fixed-width so the index on disk is an array of fixed-width entries that can be searched
/// without parsing. 128 bits of a cryptographic hash make a collision between two distinct emails or ids
/// practically impossible even for billions of records, and the index never holds the text itself.
public struct RecordKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The first 8 bytes of the key, big-endian, so that comparing `(high, low)` orders keys as their bytes.
    public let high: UInt64
    /// The last 8 bytes of the key, big-endian.
    public let low: UInt64

    /// A key from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The key of `text`: the first 16 bytes of the SHA-256 of its UTF-8.
    ///
    /// The caller chooses what is hashed, and should normalise it first (an email lowercased, say) when two
    /// spellings must find the same record.
    public init(hashing text: String) {
        let digest = SHA256.digest(text.utf8)
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 {
            high = high << 8 | UInt64(digest[index])
            low = low << 8 | UInt64(digest[index + 8])
        }
        self.init(high: high, low: low)
    }

    /// Orders keys as their 16 bytes compare.
    public static func < (left: RecordKey, right: RecordKey) -> Bool {
        left.high != right.high ? left.high < right.high : left.low < right.low
    }

    /// The key as 32 lowercase hex digits.
    public var description: String {
        func padded(_ half: UInt64) -> String {
            let digits = String(half, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return padded(high) + padded(low)
    }
}
