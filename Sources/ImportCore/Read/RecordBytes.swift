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
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                upper = 0x9F
            case 0xF0:
                length = 4
                lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                upper = 0x8F
            default: return false
            }
            guard index + length <= count else { return false }
            let second = bytes[index + 1]
            guard second >= lower && second <= upper else { return false }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }
}
