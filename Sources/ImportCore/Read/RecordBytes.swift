/// The fields of the record the reader just scanned, as byte ranges in its scratch buffer.
///
/// Lets the dry-run check a row without building a single string; only valid until the reader moves on.
struct RecordBytes {
    /// Start of the record's unquoted field bytes.
    let base: UnsafePointer<UInt8>
    /// End offset of each field; field `i` starts where field `i - 1` ends.
    let ends: UnsafePointer<Int>
    /// Number of fields.
    let count: Int
    /// Bytes of all fields together.
    let byteCount: Int

    /// The bytes of field `index`, or an empty buffer past the last field.
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        guard index >= 0, index < count else { return UnsafeBufferPointer(start: base, count: 0) }
        let start = index == 0 ? 0 : ends[index - 1]
        return UnsafeBufferPointer(start: base + start, count: ends[index] - start)
    }

    /// Whether every field is valid UTF-8 (checked per field, so a sequence cannot straddle two fields).
    var isValidUTF8: Bool {
        if UTF8Check.isASCII(base, byteCount) { return true }
        for index in 0..<count where !UTF8Check.isValid(field(index)) { return false }
        return true
    }
}

/// Byte-level UTF-8 checks for the dry-run path, where building strings would cost more than the check.
enum UTF8Check {
    /// Whether all `count` bytes at `start` are ASCII, eight at a time.
    static func isASCII(_ start: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var index = 0
        let raw = UnsafeRawPointer(start)
        while index + 8 <= count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < count {
            if start[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    /// The length of the sequence `lead` starts and the range its second byte must fall in (which rules out
    /// overlong forms, surrogates and values past U+10FFFF); `nil` for a byte that cannot start one.
    static func sequence(startingWith lead: UInt8) -> (length: Int, lower: UInt8, upper: UInt8)? {
        switch lead {
        case 0xC2...0xDF: (2, 0x80, 0xBF)
        case 0xE0: (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80, 0xBF)
        case 0xED: (3, 0x80, 0x9F)
        case 0xF0: (4, 0x90, 0xBF)
        case 0xF1...0xF3: (4, 0x80, 0xBF)
        case 0xF4: (4, 0x80, 0x8F)
        default: nil
        }
    }

    /// Whether `bytes` is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            guard let (length, lower, upper) = sequence(startingWith: lead) else { return false }
            guard index + length <= count else { return false }
            let second = bytes[index + 1]
            guard second >= lower && second <= upper else { return false }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }
}

/// The cells of one record for ``CSVReader/forEachRow(_:)``: the scanner's bytes when the record needed no
/// decoding, else its decoded fields. Only valid inside the call that received it.
struct RowCells {
    private let bytes: RecordBytes?
    private let fields: [String]

    init(bytes: RecordBytes) {
        self.bytes = bytes
        self.fields = []
    }

    init(fields: [String]) {
        self.bytes = nil
        self.fields = fields
    }

    /// Calls `body` with the UTF-8 bytes of cell `index` (empty past the last cell, or for `index` -1).
    func withCell<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let bytes { return body(bytes.field(index)) }
        guard index >= 0, index < fields.count else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        var cell = fields[index]
        return cell.withUTF8(body)
    }
}
