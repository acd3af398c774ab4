/// A set of CSV record numbers, stored as a bitset: one bit per record, so a million rows take 125 KB.
///
/// The journal replay uses it to answer "was this row already settled?" for every row of a resumed run,
/// which a `Set<Int>` would answer with about forty times the memory.
public struct RecordSet: Sendable, Equatable, Sequence {
    /// One bit per record number; bit `n % 64` of word `n / 64` is record `n`.
    private var words: [UInt64] = []
    /// The number of members, kept so `count` is O(1).
    public private(set) var count = 0

    /// Creates an empty set.
    public init() {}

    /// Creates a set holding the given record numbers.
    public init(_ records: some Sequence<Int>) {
        for record in records { insert(record) }
    }

    /// Whether the set has no members.
    public var isEmpty: Bool { count == 0 }

    /// Whether `record` is in the set; negative numbers never are.
    public func contains(_ record: Int) -> Bool {
        guard record >= 0 else { return false }
        let word = record >> 6
        guard word < words.count else { return false }
        return words[word] & (1 << UInt64(record & 63)) != 0
    }

    /// Adds `record` (which must not be negative), growing the storage as needed.
    /// - Returns: true if the record was not in the set before.
    @discardableResult
    public mutating func insert(_ record: Int) -> Bool {
        precondition(record >= 0, "record numbers are never negative")
        let word = record >> 6
        if word >= words.count {
            words.append(contentsOf: repeatElement(0, count: word - words.count + 1))
        }
        let bit: UInt64 = 1 << UInt64(record & 63)
        guard words[word] & bit == 0 else { return false }
        words[word] |= bit
        count += 1
        return true
    }

    /// Equal sets have the same members, whatever their storage size.
    public static func == (lhs: RecordSet, rhs: RecordSet) -> Bool {
        guard lhs.count == rhs.count else { return false }
        let shared = Swift.min(lhs.words.count, rhs.words.count)
        return lhs.words[..<shared] == rhs.words[..<shared]
    }

    /// Iterates the members in increasing order.
    public func makeIterator() -> Iterator {
        Iterator(words: words)
    }

    /// Walks the set bits word by word.
    public struct Iterator: IteratorProtocol {
        /// The bitset being walked.
        private let words: [UInt64]
        /// The index of the word being scanned.
        private var index = 0
        /// The bits of the current word not yet returned.
        private var remaining: UInt64

        /// Starts at the first word.
        init(words: [UInt64]) {
            self.words = words
            self.remaining = words.first ?? 0
        }

        /// Returns the next member, or nil after the last.
        public mutating func next() -> Int? {
            while remaining == 0 {
                index += 1
                guard index < words.count else { return nil }
                remaining = words[index]
            }
            let bit = remaining.trailingZeroBitCount
            remaining &= remaining - 1
            return index << 6 | bit
        }
    }
}
