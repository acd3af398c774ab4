#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whole-file looks the reader takes before it parses anything, without moving the reading position:
/// the UTF-8 check, the line of a given offset, and a peek at the first bytes.
///
/// Files are read here with `pread` into a buffer of their own, so the chunk being parsed is untouched;
/// an in-memory source already holds every byte.
extension CSVByteSource {
    /// What reading the whole input found.
    enum PrescanResult: Equatable {
        /// Every byte belongs to well-formed UTF-8.
        case valid
        /// The byte at this absolute offset is the first that is not well-formed UTF-8.
        case invalid(offset: Int)
        /// Reading failed with this `errno`.
        case readFailed(Int32)
    }

    /// Checks that the whole input is UTF-8 (a byte order mark is fine), in one pass of about 1 GB/s.
    ///
    /// This is what lets the import refuse a cp1252 file before it creates a single user, instead of
    /// importing its ASCII rows and failing the accented ones one by one.
    func firstInvalidUTF8() -> PrescanResult {
        guard fileDescriptor >= 0 else {
            if case .invalid(let at) = UTF8Prescan.check(buffer, count: count, isLast: true) {
                return .invalid(offset: at)
            }
            return .valid
        }
        let capacity = 1 << 20
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { chunk.deallocate() }
        var offset = 0
        while true {
            let got: Int
            do throws(FileCallError) {
                got = try FileIO.read(
                    fileDescriptor, into: UnsafeMutableRawBufferPointer(start: chunk, count: capacity), at: offset)
            } catch {
                return .readFailed(error.code)
            }
            if got == 0 { return .valid }
            switch UTF8Prescan.check(chunk, count: got, isLast: false) {
            case .invalid(let at): return .invalid(offset: offset + at)
            case .validUpTo(let end):
                // No progress means the input ends inside a character: the bytes left are all there is.
                if end == 0 { return .invalid(offset: offset) }
                offset += end
            }
        }
    }

    /// Whether any byte of the input is in 0x80–0x9F: control characters in Latin-1, but `€`, curly
    /// quotes and dashes in cp1252, so their presence in a "Latin-1" file usually means it is cp1252.
    func containsC1Bytes() -> Bool {
        guard fileDescriptor >= 0 else { return Self.hasC1Byte(buffer, count: count) }
        let capacity = 1 << 20
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { chunk.deallocate() }
        var offset = 0
        while true {
            let buffer = UnsafeMutableRawBufferPointer(start: chunk, count: capacity)
            guard let got = try? FileIO.read(fileDescriptor, into: buffer, at: offset), got > 0 else { return false }
            if Self.hasC1Byte(chunk, count: got) { return true }
            offset += got
        }
    }

    private static func hasC1Byte(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        for index in 0..<count where bytes[index] & 0xE0 == 0x80 { return true }
        return false
    }

    /// The 1-based physical line holding absolute `offset`, counting LF, CRLF and lone CR as one line
    /// break each (as ``CSVRecordScanner`` does, line breaks inside quotes included).
    func line(atOffset offset: Int) -> Int {
        var counter = LineCounter()
        guard fileDescriptor >= 0 else {
            counter.consume(buffer, count: min(offset, count))
            return counter.line
        }
        let capacity = 1 << 20
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { chunk.deallocate() }
        var position = 0
        while position < offset {
            let buffer = UnsafeMutableRawBufferPointer(start: chunk, count: min(capacity, offset - position))
            guard let got = try? FileIO.read(fileDescriptor, into: buffer, at: position), got > 0 else { break }
            counter.consume(chunk, count: got)
            position += got
        }
        return counter.line
    }

    /// Up to `length` bytes from absolute `offset`, read without moving the reading position.
    func peek(at offset: Int, length: Int) -> [UInt8] {
        guard fileDescriptor >= 0 else {
            guard offset < count else { return [] }
            return Array(UnsafeBufferPointer(start: buffer + offset, count: min(length, count - offset)))
        }
        // A read error gives what a file ending there would: the bytes are for messages only.
        return (try? FileIO.readBytes(fileDescriptor, count: length, at: offset)) ?? []
    }
}

/// Counts physical lines the way the scanner does: LF, CRLF and a lone CR each end one line.
private struct LineCounter {
    /// The line of the next byte.
    var line = 1
    private var afterCarriageReturn = false

    mutating func consume(_ bytes: UnsafePointer<UInt8>, count: Int) {
        for index in 0..<count {
            let byte = bytes[index]
            if byte == 0x0D {
                line += 1
            } else if byte == 0x0A && !afterCarriageReturn {
                line += 1
            }
            afterCarriageReturn = byte == 0x0D
        }
    }
}

/// The UTF-8 check behind ``CSVByteSource/firstInvalidUTF8()``: ASCII sixteen bytes at a time, other
/// characters by the rules of RFC 3629 (no overlong forms, no surrogates, nothing past U+10FFFF).
enum UTF8Prescan {
    /// What one chunk holds.
    enum Outcome: Equatable {
        /// Bytes up to this index are well-formed; a character cut by the end of the chunk starts there.
        case validUpTo(Int)
        /// The byte at this index starts an ill-formed sequence.
        case invalid(at: Int)
    }

    /// Checks `count` bytes at `start`. With `isLast` a character cut by the end is an error; without it,
    /// the check stops before that character so the caller can read on from there.
    static func check(_ start: UnsafePointer<UInt8>, count: Int, isLast: Bool) -> Outcome {
        let raw = UnsafeRawPointer(start)
        var index = 0
        while index < count {
            while index + 16 <= count {
                let first = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let second = raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                if (first | second) & 0x8080_8080_8080_8080 != 0 { break }
                index += 16
            }
            guard index < count else { break }
            let lead = start[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            guard let (length, lower, upper) = UTF8Check.sequence(startingWith: lead) else {
                return .invalid(at: index)
            }
            // A cut character is judged once the rest of it has been read, unless nothing more will come.
            let available = count - index
            let second = available > 1 ? start[index + 1] : nil
            if let second, second < lower || second > upper { return .invalid(at: index) }
            let present = min(length, available)
            if present > 2 {
                for offset in 2..<present where start[index + offset] & 0xC0 != 0x80 { return .invalid(at: index) }
            }
            if available < length { return isLast ? .invalid(at: index) : .validUpTo(index) }
            index += length
        }
        return .validUpTo(count)
    }
}
