/// The dry-run's fast check for the common metadata cell, made without building strings.
extension MetadataParser {
    /// Whether `bytes` is a JSON object of at most the documented ``FieldLimits`` number of distinct,
    /// non-empty keys with string values, all printable ASCII without escapes and within the length limits.
    /// The documented limits are the strictest, so such a cell is valid under either policy.
    ///
    /// Such a cell certainly parses with no problem and no warning. Anything else answers `false`, and the
    /// full parser decides (and explains).
    static func isPlainSmallObject(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: FieldLimits.documented.maximumMetadataKeys) {
            keys in
            var scanner = PlainScanner(bytes: bytes)
            scanner.skipWhitespace()
            guard scanner.take(UInt8(ascii: "{")) else { return false }
            scanner.skipWhitespace()
            if scanner.take(UInt8(ascii: "}")) {
                scanner.skipWhitespace()
                return scanner.atEnd
            }
            var keyCount = 0
            while true {
                guard keyCount < keys.count,
                    let key = scanner.plainString(maximumLength: FieldLimits.documented.maximumMetadataKeyLength),
                    !key.isEmpty
                else { return false }
                for previous in 0..<keyCount where scanner.equal(keys[previous], key) { return false }
                keys[keyCount] = key
                keyCount += 1
                scanner.skipWhitespace()
                guard scanner.take(UInt8(ascii: ":")) else { return false }
                scanner.skipWhitespace()
                guard scanner.plainString(maximumLength: FieldLimits.documented.maximumMetadataValueLength) != nil
                else {
                    return false
                }
                scanner.skipWhitespace()
                if scanner.take(UInt8(ascii: ",")) {
                    scanner.skipWhitespace()
                    continue
                }
                guard scanner.take(UInt8(ascii: "}")) else { return false }
                scanner.skipWhitespace()
                return scanner.atEnd
            }
        }
    }

    /// Cursor for ``isPlainSmallObject(_:)``.
    private struct PlainScanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func skipWhitespace() {
            while index < bytes.count {
                let byte = bytes[index]
                guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
                index += 1
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A quoted string of printable ASCII without escapes; returns the range of its content.
        mutating func plainString(maximumLength: Int) -> Range<Int>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let range = start..<index
                    index += 1
                    return range.count <= maximumLength ? range : nil
                }
                guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
                index += 1
            }
            return nil
        }

        func equal(_ first: Range<Int>, _ second: Range<Int>) -> Bool {
            guard first.count == second.count else { return false }
            for offset in 0..<first.count where bytes[first.lowerBound + offset] != bytes[second.lowerBound + offset] {
                return false
            }
            return true
        }
    }
}
