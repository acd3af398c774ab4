#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where one member of an element read in place lies, as byte offsets from the element's start: the key
/// without its quotes, and the value's whole text.
public struct JSONMemberSpan: Sendable {
    var keyStart: Int
    var keyEnd: Int
    /// The key holds an escape, so it is compared after unescaping.
    var keyEscaped: Bool
    var valueStart: Int
    var valueEnd: Int
}

/// An array element that ``JSONStreamReader/nextElementInPlace()`` checked and left as text: its members
/// are found by name and turned into Swift values only when asked for.
///
/// A Firebase user has a dozen members of which a converter needs a few; building a ``JSONValue`` tree
/// for each of a million users (a boxed value and a `String` for every key and value) was most of the
/// conversion's time. The view points into the reader's buffer and is valid only inside
/// ``JSONStreamReader/withElement(_:)``. Look-ups find the first member of a name, as ``JSONValue``'s do.
public struct JSONElementView {
    /// The element's text.
    let text: UnsafeBufferPointer<UInt8>
    /// Its top-level members, in file order (none when it is not an object).
    let members: UnsafeBufferPointer<JSONMemberSpan>

    /// A key the element's top-level members name more than once (the first such key), or `nil`.
    public var repeatedKey: String? {
        guard members.count > 1 else { return nil }
        if members.contains(where: \.keyEscaped) {
            var seen: Set<String> = []
            for member in members {
                let name = keyText(member)
                if !seen.insert(name).inserted { return name }
            }
            return nil
        }
        for later in 1..<members.count {
            let key = members[later]
            for earlier in 0..<later {
                let other = members[earlier]
                if other.keyEnd - other.keyStart == key.keyEnd - key.keyStart
                    && memcmp(
                        text.baseAddress! + other.keyStart, text.baseAddress! + key.keyStart, key.keyEnd - key.keyStart)
                        == 0
                {
                    return keyText(key)
                }
            }
        }
        return nil
    }

    /// A member's key, unescaped.
    private func keyText(_ member: JSONMemberSpan) -> String {
        guard member.keyEscaped else {
            return String(decoding: UnsafeBufferPointer(rebasing: text[member.keyStart..<member.keyEnd]), as: UTF8.self)
        }
        let quoted = UnsafeBufferPointer(rebasing: text[(member.keyStart - 1)...member.keyEnd])
        guard case .string(let name)? = JSONRawValue(text: quoted).value else { return "" }
        return name
    }

    /// The value of the first member named `key`, or `nil`.
    public subscript(key: StaticString) -> JSONRawValue? {
        let wanted = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        for member in members {
            if member.keyEscaped {
                let keyText = UnsafeBufferPointer(rebasing: text[(member.keyStart - 1)...member.keyEnd])
                guard case .string(let name)? = JSONRawValue(text: keyText).value,
                    name.utf8.elementsEqual(wanted)
                else { continue }
            } else {
                guard member.keyEnd - member.keyStart == wanted.count,
                    memcmp(text.baseAddress! + member.keyStart, wanted.baseAddress!, wanted.count) == 0
                else { continue }
            }
            return JSONRawValue(text: UnsafeBufferPointer(rebasing: text[member.valueStart..<member.valueEnd]))
        }
        return nil
    }
}

/// One checked JSON value as text, read the way ``JSONValue`` and `ConverterSupport.text` read theirs.
public struct JSONRawValue {
    /// The value's text, already checked to be valid JSON.
    let text: UnsafeBufferPointer<UInt8>

    /// `null`.
    public var isNull: Bool { text.first == UInt8(ascii: "n") }

    /// Whether this is an array with at least one element.
    public var isNonEmptyArray: Bool {
        guard text.first == UInt8(ascii: "[") else { return false }
        for byte in text.dropFirst() {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            default: return byte != UInt8(ascii: "]")
            }
        }
        return false
    }

    /// The string, unescaped, or `nil` for any other kind of value.
    public var string: String? {
        guard text.first == UInt8(ascii: "\"") else { return nil }
        let body = UnsafeBufferPointer(rebasing: text[1..<(text.count - 1)])
        if !body.contains(UInt8(ascii: "\\")) { return String(decoding: body, as: UTF8.self) }
        return value?.string
    }

    /// A boolean; also the strings `"true"` and `"false"`, as ``JSONValue/bool``.
    public var bool: Bool? {
        guard let first = text.first else { return nil }
        switch first {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        case UInt8(ascii: "\""):
            switch string {
            case "true": return true
            case "false": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// A member that should be a string: its text trimmed, `nil` when missing, null or blank; a number's
    /// text as written (`ConverterSupport.text` for a ``JSONValue``).
    public var trimmedText: String? {
        guard let first = text.first else { return nil }
        switch first {
        case UInt8(ascii: "\""):
            guard let trimmed = string?.trimmingBlanks, !trimmed.isEmpty else { return nil }
            return trimmed
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return String(decoding: text, as: UTF8.self)
        default: return nil
        }
    }

    /// The value as a ``JSONValue`` tree, for the rare member that needs one.
    public var value: JSONValue? {
        var reader = JSONStreamReader(bytes: Array(text))
        return try? reader.readValue()
    }
}
