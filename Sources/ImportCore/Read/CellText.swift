/// The one rule for the blanks around a cell, shared by the reader (finding the header's email column) and
/// the row rules, so both see the same name and the same value.
enum CellText {
    /// Removes leading and trailing spaces, tabs and line breaks; returns `value` itself when there are none.
    static func trim(_ value: String) -> String {
        let utf8 = value.utf8
        guard let first = utf8.first, let last = utf8.last else { return value }
        guard isSpace(first) || isSpace(last) else { return value }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, isSpace(utf8[start]) { start = utf8.index(after: start) }
        while end > start, isSpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return String(value[start..<end])
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
