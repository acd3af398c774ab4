/// The 128-bit key of one record in a ``SortedRecordFile``: the first 16 bytes of the SHA-256 of a text.
///
/// Keys are fixed-width so the index on disk is an array of fixed-width entries that can be searched
/// without parsing. 128 bits of a cryptographic hash make a collision between two distinct emails or ids
/// practically impossible even for billions of records, and the index never holds the text itself.
package struct RecordKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The first 8 bytes of the key, big-endian, so that comparing `(high, low)` orders keys as their bytes.
    package let high: UInt64
    /// The last 8 bytes of the key, big-endian.
    package let low: UInt64

    /// A key from its two halves.
    package init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Orders keys as their 16 bytes compare.
    package static func < (left: RecordKey, right: RecordKey) -> Bool {
        left.high != right.high ? left.high < right.high : left.low < right.low
    }

    /// The key as 32 lowercase hex digits.
    package var description: String {
        func padded(_ half: UInt64) -> String {
            let digits = String(half, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return padded(high) + padded(low)
    }
}
