/// The rows of a file that share an email address (ignoring case and surrounding spaces) with an earlier row.
///
/// Found before the first row is sent, so that rows of one email can be applied in file order whatever
/// `--concurrency`: the first creates the user, the later ones find it ("already existed, line N of this
/// file") or, with `--if-exists fail`, fail naming that line. Without this, two rows of one address raced:
/// both could report "created", and the user's fields came from whichever row won.
///
/// Memory stays small: the first pass keeps one 64-bit hash per row (8 MB for a million rows) in 256
/// buckets by the hash's top byte, sorts each bucket to find hashes that occur twice, and frees it. Only
/// when some do, a second pass compares the actual addresses of those rows, so a hash collision can never
/// join two different users. What is kept afterwards is one entry per row that repeats an address.
public struct DuplicateEmails: Sendable {
    /// For each row that repeats an earlier row's address: the record number of the first row with it.
    private var firstRecordOf: [Int: Int] = [:]
    /// For each first row of a repeated address: its line, to name it in messages.
    private var lineOf: [Int: Int] = [:]
    /// For each row that repeats an address: its own line.
    private var repeatLineOf: [Int: Int] = [:]

    /// No duplicates at all.
    public init() {}

    /// Rows that repeat an earlier row's address.
    public var repeatedRows: Int { firstRecordOf.count }

    /// Every row that repeats an earlier row's address, in file order, with its line and that earlier line.
    public var repeatedRecords: [(record: Int, line: Int, earlierLine: Int)] {
        firstRecordOf.keys.sorted().map { record in
            (record, repeatLineOf[record] ?? 0, firstRecordOf[record].flatMap { lineOf[$0] } ?? 0)
        }
    }

    /// The group a row belongs to (the record number of the first row of its address), or `nil` when its
    /// address occurs only once.
    public func group(of record: Int) -> Int? {
        if let first = firstRecordOf[record] { return first }
        return lineOf[record] == nil ? nil : record
    }

    /// For a row that repeats an earlier row's address: that earlier (first) row's record number and line.
    public func earlier(than record: Int) -> (record: Int, line: Int)? {
        guard let first = firstRecordOf[record], let line = lineOf[first] else { return nil }
        return (first, line)
    }

    /// Reads the file (twice at most) and finds the repeated addresses.
    ///
    /// - Parameter open: opens a fresh reader over the file, with the validator that finds each row's email.
    public static func scan<Failure: Error>(
        open: () throws(Failure) -> (CSVReader, RowValidator)
    ) throws(Failure) -> DuplicateEmails {
        // 256 buckets by the hash's top byte: a bucket that grows copies only itself, so the pass never holds
        // two copies of all the hashes at once.
        var buckets = [[UInt64]](repeating: [], count: 256)
        do {
            let (reader, validator) = try open()
            reader.forEachCell(in: validator.emailColumn) { _, _, cell in
                normalised(cell) { email in
                    guard !email.isEmpty else { return }
                    let value = hash(email)
                    buckets[Int(value >> 56)].append(value)
                }
            }
        }
        var candidates = Set<UInt64>()
        for slot in buckets.indices {
            buckets[slot].sort()
            let bucket = buckets[slot]
            var index = 1
            while index < bucket.count {
                if bucket[index] == bucket[index - 1] { candidates.insert(bucket[index]) }
                index += 1
            }
            buckets[slot] = []
        }
        guard !candidates.isEmpty else { return DuplicateEmails() }

        var result = DuplicateEmails()
        var firstByEmail: [[UInt8]: Int] = [:]
        var firstLines: [Int: Int] = [:]
        let (reader, validator) = try open()
        reader.forEachCell(in: validator.emailColumn) { recordNumber, line, cell in
            normalised(cell) { email in
                guard !email.isEmpty, candidates.contains(hash(email)) else { return }
                let key = Array(email)
                if let first = firstByEmail[key] {
                    result.firstRecordOf[recordNumber] = first
                    result.repeatLineOf[recordNumber] = line
                } else {
                    firstByEmail[key] = recordNumber
                    firstLines[recordNumber] = line
                }
            }
        }
        // Keep lines only for addresses that really repeat.
        for first in Set(result.firstRecordOf.values) { result.lineOf[first] = firstLines[first] }
        return result
    }

    /// The address as WorkOS compares it, the way the validator reads it: surrounding spaces, tabs and line
    /// breaks trimmed, then lowercased (ASCII in place; other text through `String.lowercased()`).
    static func normalised(_ cell: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var start = 0
        var end = cell.count
        while start < end, isSpace(cell[start]) { start += 1 }
        while end > start, isSpace(cell[end - 1]) { end -= 1 }
        let trimmed = UnsafeBufferPointer(rebasing: cell[start..<end])
        if trimmed.allSatisfy({ $0 < 0x80 }) {
            if !trimmed.contains(where: { (0x41...0x5A).contains($0) }) {
                body(trimmed)
                return
            }
            let lowered = trimmed.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
            lowered.withUnsafeBufferPointer(body)
            return
        }
        var text = String(decoding: trimmed, as: UTF8.self).lowercased()
        text.withUTF8(body)
    }

    /// FNV-1a over the address's bytes.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        return value
    }
}
