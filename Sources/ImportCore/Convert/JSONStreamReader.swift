#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pull reader of JSON over a file descriptor, in constant memory: one value at a time, never the file.
///
/// Exports are large single documents (`firebase auth:export` writes one object whose `users` array holds
/// every account), so loading them whole would cost memory in proportion to the user count. The reader
/// walks the bytes through a fixed buffer and builds a ``JSONValue`` only for the value asked for: a
/// converter enters the array with ``enterArray(inObjectUnder:)`` and takes its elements one by one with
/// ``nextElement()``; NDJSON and concatenated values come from ``nextTopLevelValue()``.
///
/// It is a non-copyable value: it owns its buffer and its file descriptor and releases both when it goes
/// away, and being a value its byte loop runs without the access checks a class's stored properties cost.
/// Line numbers are counted as bytes pass, so every error and every element names its line.
public struct JSONStreamReader: ~Copyable {
    /// Nesting deeper than this is refused, so a hostile file cannot exhaust the stack.
    public static let maximumDepth = 64
    /// Bytes read per `read` call.
    static let chunkSize = 1 << 20

    private var buffer: UnsafeMutableBufferPointer<UInt8>
    private var start = 0
    private var end = 0
    private let descriptor: Int32
    private var atEndOfInput = false
    private var scratch: [UInt8] = []
    /// While an element read in place is in use: where it starts in the buffer, kept there by `refill`.
    private var anchor: Int? = nil
    /// The length of the element read in place.
    private var elementLength = 0
    /// The top-level members of the element read in place, as offsets from `anchor`.
    private var memberSpans: [JSONMemberSpan] = []
    /// The line the next unread byte is on.
    public private(set) var line = 1
    /// An `errno` from a failed read, if reading stopped because of one.
    public private(set) var readFailure: Int32?

    /// Opens `path` for reading.
    ///
    /// - Throws: ``ConvertError/inputNotFound(path:)`` or ``ConvertError/inputUnreadable(path:reason:)``.
    public init(path: String) throws(ConvertError) {
        try self.init(path: path, chunkSize: Self.chunkSize)
    }

    /// Opens `path`, reading `chunkSize` bytes at a time; tests use tiny chunks to put every boundary to work.
    init(path: String, chunkSize: Int) throws(ConvertError) {
        let descriptor: Int32
        do throws(FileCallError) {
            descriptor = try FileIO.open(path, O_RDONLY | O_CLOEXEC)
        } catch {
            if error.code == ENOENT || error.code == ENOTDIR { throw .inputNotFound(path: path) }
            throw .inputUnreadable(path: path, reason: error.description)
        }
        var status = stat()
        if fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
            _ = close(descriptor)
            throw .inputUnreadable(path: path, reason: "it is a directory")
        }
        self.descriptor = descriptor
        buffer = .allocate(capacity: max(4, chunkSize))
    }

    /// Reads JSON from memory; used by tests and for small files already read.
    public init(bytes: [UInt8]) {
        descriptor = -1
        buffer = .allocate(capacity: max(bytes.count, 1))
        _ = buffer.initialize(from: bytes)
        end = bytes.count
        atEndOfInput = true
    }

    deinit {
        buffer.deallocate()
        if descriptor >= 0 { _ = close(descriptor) }
    }

    // MARK: - Navigation

    /// The next byte that is not whitespace, without consuming it; `nil` at the end of the input.
    public mutating func peekSignificant() -> UInt8? {
        while let byte = peek() {
            switch byte {
            case 0x20, 0x09, 0x0D: start += 1
            case 0x0A:
                start += 1
                line += 1
            case 0xEF where line == 1:
                // A UTF-8 byte order mark at the start of a file is not JSON, but editors write it.
                if !skipByteOrderMark() { return byte }
            default: return byte
            }
        }
        return nil
    }

    /// Expects an object and walks its members up to the one named `key`, whose value must be an array;
    /// returns `true` there, ready for ``nextElement()``. Members before it are read and dropped. Returns
    /// `false` when the object ends without that key.
    public mutating func enterArray(inObjectUnder key: String) throws(JSONSyntaxError) -> Bool {
        try expect(UInt8(ascii: "{"), what: "a JSON object")
        var first = true
        while true {
            guard let byte = peekSignificant() else { throw error("the file ends inside the top-level object") }
            if byte == UInt8(ascii: "}") {
                start += 1
                return false
            }
            if !first { try expect(UInt8(ascii: ","), what: "\",\" or \"}\" between members") }
            first = false
            guard peekSignificant() == UInt8(ascii: "\"") else { throw error("expected a member name in quotes") }
            start += 1
            let name = try readStringBody()
            try expect(UInt8(ascii: ":"), what: "\":\" after a member name")
            if name == key {
                guard peekSignificant() == UInt8(ascii: "[") else {
                    throw error("\"\(key)\" is not an array")
                }
                start += 1
                elementsSeen = 0
                return true
            }
            _ = try readValue(depth: 1)
        }
    }

    private var elementsSeen = 0

    /// The next element of the array entered, with the line it starts on, or `nil` after its closing `]`.
    public mutating func nextElement() throws(JSONSyntaxError) -> (value: JSONValue, line: Int)? {
        guard let byte = peekSignificant() else { throw error("the file ends inside an array") }
        if byte == UInt8(ascii: "]") {
            start += 1
            return nil
        }
        if elementsSeen > 0 {
            try expect(UInt8(ascii: ","), what: "\",\" or \"]\" between array elements")
            guard peekSignificant() != nil else { throw error("the file ends inside an array") }
        }
        elementsSeen += 1
        let elementLine = line
        return (try readValue(depth: 1), elementLine)
    }

    /// The next element of the array entered, checked in full but left as text in the buffer, with the line it
    /// starts on and whether it is an object; `nil` after the closing `]`.
    ///
    /// This is ``nextElement()`` without building the value: a converter that needs a handful of an
    /// object's members asks ``withElement(_:)`` for them and the rest cost no allocation. The same syntax
    /// errors are thrown at the same lines. The element stays readable until the reader moves on.
    public mutating func nextElementInPlace() throws(JSONSyntaxError) -> (line: Int, isObject: Bool)? {
        anchor = nil
        guard let byte = peekSignificant() else { throw error("the file ends inside an array") }
        if byte == UInt8(ascii: "]") {
            start += 1
            return nil
        }
        if elementsSeen > 0 {
            try expect(UInt8(ascii: ","), what: "\",\" or \"]\" between array elements")
            guard peekSignificant() != nil else { throw error("the file ends inside an array") }
        }
        elementsSeen += 1
        let elementLine = line
        memberSpans.removeAll(keepingCapacity: true)
        anchor = start
        let isObject = buffer[start] == UInt8(ascii: "{")
        try skipValue(depth: 1, recordingMembers: true)
        elementLength = start - anchor!
        return (elementLine, isObject)
    }

    /// Runs `body` over the element ``nextElementInPlace()`` read last.
    public func withElement<Result>(_ body: (JSONElementView) -> Result) -> Result {
        let base = UnsafePointer(buffer.baseAddress! + (anchor ?? 0))
        return memberSpans.withUnsafeBufferPointer { spans in
            body(JSONElementView(text: UnsafeBufferPointer(start: base, count: elementLength), members: spans))
        }
    }

    /// Reads what follows an array entered with ``enterArray(inObjectUnder:)`` up to the end of its object,
    /// so a syntax error after the last user is still reported. Returns the line of a later member named
    /// `repeated` (the array's key given twice, whose second value would otherwise be dropped), if any.
    @discardableResult
    public mutating func finishObject(repeated key: String? = nil) throws(JSONSyntaxError) -> Int? {
        var repeatLine: Int? = nil
        while true {
            guard let byte = peekSignificant() else { throw error("the file ends inside the top-level object") }
            if byte == UInt8(ascii: "}") {
                start += 1
                break
            }
            try expect(UInt8(ascii: ","), what: "\",\" or \"}\" between members")
            guard peekSignificant() == UInt8(ascii: "\"") else { throw error("expected a member name in quotes") }
            start += 1
            let nameLine = line
            let name = try readStringBody()
            if name == key && repeatLine == nil { repeatLine = nameLine }
            try expect(UInt8(ascii: ":"), what: "\":\" after a member name")
            _ = try readValue(depth: 1)
        }
        if peekSignificant() != nil { throw error("there is more text after the end of the JSON document") }
        return repeatLine
    }

    /// Enters a top-level array (`[` …) so its elements come from ``nextElement()``.
    public mutating func enterTopLevelArray() throws(JSONSyntaxError) {
        try expect(UInt8(ascii: "["), what: "a JSON array")
        elementsSeen = 0
    }

    /// Checks nothing but whitespace follows.
    public mutating func expectEnd() throws(JSONSyntaxError) {
        if peekSignificant() != nil { throw error("there is more text after the end of the JSON document") }
    }

    /// The next of a sequence of top-level values (NDJSON: one per line), with its line, or `nil` at the end.
    public mutating func nextTopLevelValue() throws(JSONSyntaxError) -> (value: JSONValue, line: Int)? {
        guard peekSignificant() != nil else { return nil }
        let valueLine = line
        return (try readValue(depth: 0), valueLine)
    }

    /// The next line's bytes without its line break, with its number, or `nil` at the end of the input.
    ///
    /// NDJSON is read a line at a time and each line parsed on its own, so a broken line (a missing brace,
    /// a value cut short) fails that line alone and cannot swallow the next.
    public mutating func nextLine() -> (bytes: [UInt8], line: Int)? {
        guard peek() != nil else { return nil }
        let lineNumber = line
        var bytes: [UInt8] = []
        while let byte = peek() {
            start += 1
            if byte == 0x0A {
                line += 1
                break
            }
            bytes.append(byte)
        }
        if bytes.last == 0x0D { bytes.removeLast() }
        return (bytes, lineNumber)
    }

    /// Skips past the next line break, so NDJSON reading resumes on the line after a broken one.
    public mutating func skipRestOfLine() {
        while let byte = peek() {
            start += 1
            if byte == 0x0A {
                line += 1
                return
            }
        }
    }

    // MARK: - Values

    /// Reads one whole value at the current position.
    public mutating func readValue() throws(JSONSyntaxError) -> JSONValue {
        try readValue(depth: 0)
    }

    private mutating func readValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw tooDeep() }
        guard let byte = peekSignificant() else { throw error("the file ends where a value was expected") }
        switch byte {
        case UInt8(ascii: "{"):
            start += 1
            var members: [JSONValue.Member] = []
            if peekSignificant() == UInt8(ascii: "}") {
                start += 1
                return .object(members)
            }
            while true {
                guard peekSignificant() == UInt8(ascii: "\"") else { throw error("expected a member name in quotes") }
                start += 1
                let key = try readStringBody()
                try expect(UInt8(ascii: ":"), what: "\":\" after a member name")
                members.append(JSONValue.Member(key: key, value: try readValue(depth: depth + 1)))
                guard let next = peekSignificant() else { throw error("the file ends inside an object") }
                start += 1
                if next == UInt8(ascii: "}") { return .object(members) }
                guard next == UInt8(ascii: ",") else {
                    start -= 1
                    throw error("expected \",\" or \"}\" after an object member")
                }
            }
        case UInt8(ascii: "["):
            start += 1
            var values: [JSONValue] = []
            if peekSignificant() == UInt8(ascii: "]") {
                start += 1
                return .array(values)
            }
            while true {
                values.append(try readValue(depth: depth + 1))
                guard let next = peekSignificant() else { throw error("the file ends inside an array") }
                start += 1
                if next == UInt8(ascii: "]") { return .array(values) }
                guard next == UInt8(ascii: ",") else {
                    start -= 1
                    throw error("expected \",\" or \"]\" after an array element")
                }
            }
        case UInt8(ascii: "\""):
            start += 1
            return .string(try readStringBody())
        case UInt8(ascii: "t"):
            try expectWord("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectWord("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectWord("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try scanNumber(keeping: true)
            return .number(String(decoding: scratch, as: UTF8.self))
        default:
            throw error("unexpected character \(Self.describe(byte)) where a value was expected")
        }
    }

    /// Checks one value at the current position as ``readValue()`` would, building nothing. With
    /// `recordingMembers` (the element read in place) the members of the object are noted in `memberSpans`.
    private mutating func skipValue(depth: Int, recordingMembers: Bool = false) throws(JSONSyntaxError) {
        guard depth < Self.maximumDepth else { throw tooDeep() }
        guard let byte = peekSignificant() else { throw error("the file ends where a value was expected") }
        switch byte {
        case UInt8(ascii: "{"):
            start += 1
            if peekSignificant() == UInt8(ascii: "}") {
                start += 1
                return
            }
            while true {
                guard peekSignificant() == UInt8(ascii: "\"") else { throw error("expected a member name in quotes") }
                start += 1
                // Offsets from the anchor, which survive a refill moving the element to the front.
                let keyStart = start - (anchor ?? 0)
                let keyEscaped = try skipStringBody()
                let keyEnd = start - 1 - (anchor ?? 0)
                try expect(UInt8(ascii: ":"), what: "\":\" after a member name")
                if recordingMembers {
                    _ = peekSignificant()
                    let valueStart = start - (anchor ?? 0)
                    try skipValue(depth: depth + 1)
                    memberSpans.append(
                        JSONMemberSpan(
                            keyStart: keyStart, keyEnd: keyEnd, keyEscaped: keyEscaped, valueStart: valueStart,
                            valueEnd: start - (anchor ?? 0)))
                } else {
                    try skipValue(depth: depth + 1)
                }
                guard let next = peekSignificant() else { throw error("the file ends inside an object") }
                start += 1
                if next == UInt8(ascii: "}") { return }
                guard next == UInt8(ascii: ",") else {
                    start -= 1
                    throw error("expected \",\" or \"}\" after an object member")
                }
            }
        case UInt8(ascii: "["):
            start += 1
            if peekSignificant() == UInt8(ascii: "]") {
                start += 1
                return
            }
            while true {
                try skipValue(depth: depth + 1)
                guard let next = peekSignificant() else { throw error("the file ends inside an array") }
                start += 1
                if next == UInt8(ascii: "]") { return }
                guard next == UInt8(ascii: ",") else {
                    start -= 1
                    throw error("expected \",\" or \"]\" after an array element")
                }
            }
        case UInt8(ascii: "\""):
            start += 1
            _ = try skipStringBody()
        case UInt8(ascii: "t"): try expectWord("true")
        case UInt8(ascii: "f"): try expectWord("false")
        case UInt8(ascii: "n"): try expectWord("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try scanNumber(keeping: false)
        default:
            throw error("unexpected character \(Self.describe(byte)) where a value was expected")
        }
    }

    /// Checks a string's characters after its opening quote, up to and including the closing quote, as
    /// `readStringBody` does; returns whether it held an escape. The key's end, one byte before `start`
    /// afterwards, is the closing quote.
    private mutating func skipStringBody() throws(JSONSyntaxError) -> Bool {
        var index = start
        // Eight bytes at a time while none of them is a quote, a backslash or a line break.
        let base = UnsafeRawPointer(buffer.baseAddress!)
        while index + 8 <= end {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if Self.holds(word, 0x2222_2222_2222_2222) || Self.holds(word, 0x5C5C_5C5C_5C5C_5C5C)
                || Self.holds(word, 0x0A0A_0A0A_0A0A_0A0A)
            {
                break
            }
            index += 8
        }
        while index < end {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\"") {
                start = index + 1
                return false
            }
            if byte == UInt8(ascii: "\\") || byte == 0x0A { break }
            index += 1
        }
        var escaped = false
        while true {
            guard let byte = peek() else { throw error("the file ends inside a string") }
            start += 1
            switch byte {
            case UInt8(ascii: "\""):
                return escaped
            case UInt8(ascii: "\\"):
                escaped = true
                scratch.removeAll(keepingCapacity: true)
                try readEscape()
            case 0x0A:
                let failure = error("a string runs past the end of its line (a closing quote is missing)")
                line += 1
                throw failure
            default: break
            }
        }
    }

    /// Whether any byte of `word` is the byte repeated in `pattern` (the classic test for a zero byte in
    /// `word ^ pattern`).
    @inline(__always)
    private static func holds(_ word: UInt64, _ pattern: UInt64) -> Bool {
        let bits = word ^ pattern
        return (bits &- 0x0101_0101_0101_0101) & ~bits & 0x8080_8080_8080_8080 != 0
    }

    /// Reads a string's characters after its opening quote, up to and including the closing quote.
    private mutating func readStringBody() throws(JSONSyntaxError) -> String {
        // Fast path: the whole string is in the buffer and has no escapes.
        var index = start
        while index < end {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
                start = index + 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte == 0x0A { break }
            index += 1
        }
        scratch.removeAll(keepingCapacity: true)
        while true {
            guard let byte = peek() else { throw error("the file ends inside a string") }
            start += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try readEscape()
            case 0x0A:
                let failure = error("a string runs past the end of its line (a closing quote is missing)")
                line += 1
                throw failure
            default:
                scratch.append(byte)
            }
        }
    }

    private mutating func readEscape() throws(JSONSyntaxError) {
        let decoded: Unicode.Scalar
        do throws(JSONEscape.Failure) {
            decoded = try JSONEscape.decode {
                guard let byte = peek() else { return nil }
                start += 1
                return byte
            }
        } catch {
            switch error {
            case .endOfInput, .shortUnicode: throw self.error("the file ends inside a string")
            case .badUnicode: throw self.error("an invalid \\u escape in a string")
            case .unpairedSurrogate, .notLowSurrogate: throw self.error("an unpaired surrogate escape in a string")
            case .unknown(let byte): throw self.error("an invalid escape \\\(Self.describe(byte)) in a string")
            }
        }
        scratch.append(contentsOf: String(Character(decoded)).utf8)
    }

    /// Reads a number's characters, into `scratch` when `keeping`.
    private mutating func scanNumber(keeping: Bool) throws(JSONSyntaxError) {
        if keeping { scratch.removeAll(keepingCapacity: true) }
        var digits = 0
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                fallthrough
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                if keeping { scratch.append(byte) }
                start += 1
                continue
            default: break
            }
            break
        }
        guard digits > 0 else { throw error("a number without digits") }
    }

    private mutating func expectWord(_ word: StaticString) throws(JSONSyntaxError) {
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in bytes {
            guard peek() == expected else { throw error("unexpected text where \(word) was expected") }
            start += 1
        }
    }

    private mutating func expect(_ byte: UInt8, what: String) throws(JSONSyntaxError) {
        guard let found = peekSignificant() else { throw error("the file ends where \(what) was expected") }
        guard found == byte else { throw error("expected \(what), found \(Self.describe(found))") }
        start += 1
    }

    // MARK: - Bytes

    @inline(__always)
    private mutating func peek() -> UInt8? {
        if start < end { return buffer[start] }
        refill()
        return start < end ? buffer[start] : nil
    }

    /// Moves unread bytes (from the anchor, while an element is read in place) to the front and reads more;
    /// does nothing at the end of the input. An element larger than the buffer doubles it.
    private mutating func refill() {
        guard !atEndOfInput else { return }
        let keep = anchor ?? start
        let remaining = end - keep
        if keep > 0 {
            if remaining > 0 {
                _ = UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(
                    from: buffer.baseAddress! + keep, byteCount: remaining)
            }
            start -= keep
            if anchor != nil { anchor = 0 }
            end = remaining
        } else if end == buffer.count {
            let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
            _ = larger.initialize(from: buffer)
            buffer.deallocate()
            buffer = larger
        }
        while end < buffer.count {
            let got: Int
            do throws(FileCallError) {
                got = try FileIO.read(
                    descriptor,
                    into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[end...])))
            } catch {
                readFailure = error.code
                atEndOfInput = true
                return
            }
            if got == 0 {
                atEndOfInput = true
                return
            }
            end += got
            return
        }
    }

    private mutating func skipByteOrderMark() -> Bool {
        if end - start < 3 { refill() }
        guard end - start >= 3 else { return false }
        guard buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF else { return false }
        start += 3
        return true
    }

    private func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(line: line, message: message)
    }

    private func tooDeep() -> JSONSyntaxError {
        JSONSyntaxError(
            line: line, message: "values are nested more than \(Self.maximumDepth) deep", isNestedTooDeep: true)
    }

    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "\"\(Character(Unicode.Scalar(byte)))\"" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}

/// Where and why a JSON input stopped making sense.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The line of the problem.
    public var line: Int
    /// What is wrong, without the line.
    public var message: String
    /// The JSON may well be valid but nests deeper than ``JSONStreamReader/maximumDepth``, which the reader
    /// refuses so a hostile file cannot exhaust the stack.
    public var isNestedTooDeep = false

    /// "line N: message".
    public var description: String { "line \(line): \(message)" }
}
