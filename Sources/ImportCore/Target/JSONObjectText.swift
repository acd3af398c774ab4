/// Adds members to a `--json` summary that is already text: `{"a":1,"c":2}` with `b` becomes
/// `{"a":1,"b":…,"c":2}`.
///
/// Facts the command knows and the run does not (the target, warnings found before it) join every summary the
/// same way, without each summary type growing a field for them. The summaries are one compact object with
/// sorted keys, so each member goes where its key sorts; a key already there is left as it was.
public enum JSONObjectText {
    /// `object` with each `(key, value)` added; `value` is JSON text. Text around the object (a trailing line
    /// break) is kept; anything but an object comes back as it was.
    public static func inserting(_ members: [(key: String, value: String)], into object: String) -> String {
        let bytes = Array(object.utf8)
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), bytes[first] == UInt8(ascii: "{"),
            let found = topLevelMembers(bytes, openingAt: first)
        else { return object }
        let (spans, close) = found
        var parts = spans.map { (key: $0.key, text: String(decoding: bytes[$0.range], as: UTF8.self)) }
        for member in members where !parts.contains(where: { $0.key == member.key }) {
            let text = SummaryFormatter.encode(member.key) + ":" + member.value
            let index = parts.firstIndex { $0.key > member.key } ?? parts.endIndex
            parts.insert((member.key, text), at: index)
        }
        return String(decoding: bytes[..<first], as: UTF8.self) + "{" + parts.map(\.text).joined(separator: ",") + "}"
            + String(decoding: bytes[(close + 1)...], as: UTF8.self)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// The top-level members (key, and the byte range of `"key":value`) of the object opening at `start`, and
    /// where it closes, or `nil` when the text is not one object.
    private static func topLevelMembers(
        _ bytes: [UInt8], openingAt start: Int
    ) -> (members: [(key: String, range: Range<Int>)], close: Int)? {
        var members: [(key: String, range: Range<Int>)] = []
        var depth = 0
        var memberStart: Int?
        var key: String?
        var inString = false
        var stringStart = 0
        var index = start + 1
        func close(at end: Int) -> Bool {
            guard let begin = memberStart, let name = key else { return memberStart == nil }
            var last = end
            while last > begin, isSpace(bytes[last - 1]) { last -= 1 }
            members.append((name, begin..<last))
            (memberStart, key) = (nil, nil)
            return true
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0, key == nil,
                        let text = String(validating: bytes[(stringStart + 1)..<index], as: UTF8.self)
                    {
                        key = text
                    }
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""):
                    inString = true
                    stringStart = index
                    if depth == 0, memberStart == nil { memberStart = index }
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "]"):
                    depth -= 1
                case UInt8(ascii: "}") where depth == 0:
                    return close(at: index) ? (members, index) : nil
                case UInt8(ascii: "}"):
                    depth -= 1
                case UInt8(ascii: ",") where depth == 0:
                    guard memberStart != nil, close(at: index) else { return nil }
                default:
                    break
                }
            }
            index += 1
        }
        return nil
    }
}
