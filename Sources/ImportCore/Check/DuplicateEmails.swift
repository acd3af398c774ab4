/// The rows of a file that share an email address (ignoring case and surrounding spaces) with an earlier row.
///
/// Found before the first row is sent, so that rows of one email can be applied in file order whatever
/// `--concurrency`: the first creates the user, the later ones find it ("already existed, line N of this
/// file") or, with `--if-exists fail`, fail naming that line. Without this, two rows of one address raced:
/// both could report "created", and the user's fields came from whichever row won.
///
/// Memory stays small: the first pass keeps one 64-bit hash per row (8 MB for a million rows), sorted in
/// place to find hashes that occur twice, then freed. Only when some do, a second pass compares the actual
/// addresses of those rows, so a hash collision can never join two different users. What is kept afterwards
/// is one entry per row that repeats an address.
public struct DuplicateEmails: Sendable {
    /// For each row that repeats an earlier row's address: the record number of the first row with it.
    private var firstRecordOf: [Int: Int] = [:]
    /// For each first row of a repeated address: its line, to name it in messages.
    private var lineOf: [Int: Int] = [:]

    /// No duplicates at all.
    public init() {}

    /// Rows that repeat an earlier row's address.
    public var repeatedRows: Int { firstRecordOf.count }

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
        var hashes: [UInt64] = []
        do {
            let (reader, validator) = try open()
            while let read = reader.next() {
                guard case .record(let record) = read else { continue }
                let email = normalised(validator.email(in: record))
                if !email.isEmpty { hashes.append(hash(email)) }
            }
        }
        hashes.sort()
        var candidates = Set<UInt64>()
        var index = 1
        while index < hashes.count {
            if hashes[index] == hashes[index - 1] { candidates.insert(hashes[index]) }
            index += 1
        }
        hashes = []
        guard !candidates.isEmpty else { return DuplicateEmails() }

        var result = DuplicateEmails()
        var firstByEmail: [String: Int] = [:]
        let (reader, validator) = try open()
        while let read = reader.next() {
            guard case .record(let record) = read else { continue }
            let email = normalised(validator.email(in: record))
            guard !email.isEmpty, candidates.contains(hash(email)) else { continue }
            if let first = firstByEmail[email] {
                result.firstRecordOf[record.recordNumber] = first
            } else {
                firstByEmail[email] = record.recordNumber
                result.lineOf[record.recordNumber] = record.line
            }
        }
        // Keep lines only for addresses that really repeat.
        let firsts = Set(result.firstRecordOf.values)
        result.lineOf = result.lineOf.filter { firsts.contains($0.key) }
        return result
    }

    /// The address as WorkOS compares it: trimmed (the reader's email cell already is) and lowercased.
    static func normalised(_ email: String) -> String {
        email.utf8.allSatisfy { $0 < 0x80 && !(0x41...0x5A).contains($0) } ? email : email.lowercased()
    }

    /// FNV-1a over the address's bytes.
    private static func hash(_ text: String) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        return value
    }
}
