/// The one rule for the blanks around a cell (spaces, tabs and line breaks), shared by the reader (finding
/// the header's email column), the row rules, the dry run's byte-level clean check, the repeated-email scan,
/// the converters and the error file, so every path sees the same name and the same value.
///
/// The rule is on bytes: a blank is one ASCII byte, so trimming never cuts into a multi-byte character.
enum CellText {
    /// Whether `byte` is a blank: space, tab, line feed or carriage return.
    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The bytes without leading and trailing blanks.
    static func trim(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end, isBlank(bytes[start]) { start += 1 }
        while end > start, isBlank(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// Removes leading and trailing blanks; returns `value` itself when there are none.
    static func trim(_ value: String) -> String {
        let utf8 = value.utf8
        guard let first = utf8.first, let last = utf8.last else { return value }
        guard isBlank(first) || isBlank(last) else { return value }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, isBlank(utf8[start]) { start = utf8.index(after: start) }
        while end > start, isBlank(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return String(value[start..<end])
    }
}
