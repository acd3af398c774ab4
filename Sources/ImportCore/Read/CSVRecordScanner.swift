#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The byte-level RFC 4180 state machine behind ``CSVReader``.
///
/// It is fed chunks of bytes and copies the unquoted content of the current record's fields into one
/// reusable scratch buffer, so reading a record allocates nothing. It knows nothing about files: the reader
/// feeds it, asks for the fields once a record ends, and moves it elsewhere after a quoting error.
///
/// Rules:
/// - A record ends at LF, CRLF or a lone CR (old Mac files), outside quotes.
/// - Fields are separated by ``delimiter`` (a comma unless the reader chose another).
/// - A field starting with `"` is quoted: delimiters and line breaks inside it are data, `""` is one quote.
/// - After a closing quote only spaces or tabs may come before the next delimiter or line break; anything
///   else is a quoting error (usually an undoubled quote inside a quoted field).
/// - A `"` inside an unquoted field is kept as data, as most spreadsheet exports expect.
/// - Empty lines between records are skipped and do not count as records; so are lines holding nothing
///   but delimiters, spaces and tabs (`,,,,`, as spreadsheets leave them).
/// - A field longer than ``maximumFieldBytes`` is cut at that length and flagged, so a huge field never
///   sits in memory whole.
struct CSVRecordScanner {
    /// Where the scanner is inside a record.
    private enum State: UInt8 {
        case recordStart, fieldStart, unquoted, quoted, quoteInQuoted, afterClosingQuote
    }

    /// Why ``scan(_:count:position:baseOffset:)`` stopped.
    enum Step: Equatable {
        /// The chunk is used up; feed the next one (or call ``finish()`` at end of input).
        case needInput
        /// A whole record is in the scratch buffer.
        case record
        /// A quoted field was closed and then followed by other text; the offending byte is not consumed.
        case textAfterClosingQuote
        /// The input ended inside a quoted field (only from ``finish()``).
        case unterminatedQuote
        /// The input ended with no record in progress (only from ``finish()``).
        case endOfInput
    }

    private static let quote: UInt8 = 0x22
    /// The default delimiter.
    static let comma: UInt8 = 0x2C
    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D
    private static let space: UInt8 = 0x20
    private static let tab: UInt8 = 0x09

    /// Fields longer than this are cut and reported instead of being buffered whole.
    let maximumFieldBytes: Int
    /// Records longer than this (all fields together) are cut and reported.
    let maximumRecordBytes: Int
    /// How many fields of one record are kept; further fields are only counted.
    var maximumStoredFields: Int
    /// The byte between fields: comma, semicolon, tab or pipe. Set before the header is scanned.
    var delimiter: UInt8

    /// The physical (1-based) line of the next byte to be read.
    private(set) var line = 1
    /// Absolute offset of the last CR seen, so that the LF of a CRLF pair is not counted twice.
    private var lastCarriageReturnOffset = -2
    /// Line on which the current record starts.
    private(set) var recordLine = 1
    /// Absolute offset of the first byte of the current record.
    private(set) var recordOffset = 0
    /// Absolute offset just past the first line break inside the current record, or -1 if there was none.
    private(set) var firstLineEndOffset = -1
    /// Whether that first line break was a CR (so a following LF belongs to it).
    private(set) var firstLineEndWasCarriageReturn = false
    /// Line on which the most recent quoted field opened.
    private(set) var quoteOpenLine = 1
    /// Index of the most recent quoted field.
    private(set) var quoteOpenField = 0
    /// Fields stored in ``fieldEnds``.
    private(set) var fieldCount = 0
    /// Fields seen beyond ``maximumStoredFields``.
    private(set) var droppedFieldCount = 0
    /// Index of the first field that was longer than ``maximumFieldBytes``, or -1.
    private(set) var oversizedField = -1
    /// Whether the record as a whole went over ``maximumRecordBytes``.
    private(set) var oversizedRecord = false
    /// Index of the field being read when a quoting error stopped the scan.
    private(set) var currentField = 0
    /// Whether any field of the current record was quoted (a quoted blank field is not a blank line).
    private(set) var sawQuotedField = false

    /// Unquoted bytes of all fields of the current record, back to back.
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var byteCapacity: Int
    /// Number of bytes used in ``bytes``.
    private(set) var byteCount = 0
    /// End offset in ``bytes`` of each stored field; field `i` starts where field `i - 1` ends.
    private(set) var fieldEnds: UnsafeMutablePointer<Int>
    private var fieldEndsCapacity: Int

    private var state = State.recordStart
    private var fieldStart = 0

    /// A scanner at the start of its input, with empty scratch buffers.
    init(maximumFieldBytes: Int, maximumRecordBytes: Int, maximumStoredFields: Int, delimiter: UInt8 = comma) {
        self.maximumFieldBytes = maximumFieldBytes
        self.maximumRecordBytes = maximumRecordBytes
        self.maximumStoredFields = maximumStoredFields
        self.delimiter = delimiter
        byteCapacity = 64 * 1024
        bytes = .allocate(capacity: byteCapacity)
        fieldEndsCapacity = maximumStoredFields + 1
        fieldEnds = .allocate(capacity: fieldEndsCapacity)
    }

    /// Frees the scratch buffers; the owner calls this once, when it is done.
    func deallocate() {
        bytes.deallocate()
        fieldEnds.deallocate()
    }

    /// Changes how many fields are kept per record (the reader sets it from the header width).
    mutating func setMaximumStoredFields(_ count: Int) {
        maximumStoredFields = count
        if count + 1 > fieldEndsCapacity {
            fieldEnds.deallocate()
            fieldEndsCapacity = count + 1
            fieldEnds = .allocate(capacity: fieldEndsCapacity)
        }
    }

    /// The byte range of stored field `index` inside ``bytes``.
    func fieldRange(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : fieldEnds[index - 1])..<fieldEnds[index]
    }

    /// Whether the record just read holds nothing but delimiters, spaces and tabs, with no quoted field:
    /// it counts as a blank line. (The delimiters are not in ``bytes``, so only blanks are left there.)
    var isBlankRecord: Bool {
        guard droppedFieldCount == 0, !sawQuotedField else { return false }
        for index in 0..<byteCount where bytes[index] != Self.space && bytes[index] != Self.tab {
            return false
        }
        return true
    }

    /// Restarts scanning at the beginning of a line after a quoting error, with the line number to use
    /// there; the caller has already moved its input to the matching offset.
    mutating func restartAfterFirstLine() {
        line = recordLine + 1
        lastCarriageReturnOffset = firstLineEndWasCarriageReturn ? firstLineEndOffset - 1 : -2
        state = .recordStart
    }

    /// Starts over at the beginning of a record on `line`, e.g. to read the header again with another
    /// delimiter; the caller has already moved its input to the matching offset.
    mutating func restart(atLine line: Int) {
        self.line = line
        lastCarriageReturnOffset = -2
        state = .recordStart
    }

    /// Consumes the rest of the current physical line, its line break included (of a CRLF, only the CR:
    /// the LF is then skipped like an empty line). Used after a quoting error on a record's first line and
    /// for a `sep=` line. Returns whether the line ended within `buffer[position..<count]`.
    mutating func skipRestOfLine(
        _ buffer: UnsafePointer<UInt8>, count: Int, position: inout Int, baseOffset: Int
    ) -> Bool {
        state = .recordStart
        while position < count {
            let byte = buffer[position]
            position += 1
            if byte == Self.lineFeed || byte == Self.carriageReturn {
                noteLineBreak(byte, at: baseOffset + position - 1)
                return true
            }
        }
        return false
    }

    /// Consumes bytes from `buffer[position..<count]` until a record ends, a quoting error is found, or
    /// the chunk is used up. `baseOffset` is the absolute offset of `buffer[0]`.
    mutating func scan(
        _ buffer: UnsafePointer<UInt8>, count: Int, position: inout Int, baseOffset: Int
    ) -> Step {
        var index = position
        defer { position = index }
        let delimiter = self.delimiter
        while index < count {
            let byte = buffer[index]
            switch state {
            case .recordStart:
                if byte == Self.lineFeed {
                    if baseOffset + index - 1 != lastCarriageReturnOffset { line += 1 }
                    index += 1
                    continue
                }
                if byte == Self.carriageReturn {
                    line += 1
                    lastCarriageReturnOffset = baseOffset + index
                    index += 1
                    continue
                }
                recordLine = line
                recordOffset = baseOffset + index
                firstLineEndOffset = -1
                byteCount = 0
                fieldCount = 0
                droppedFieldCount = 0
                oversizedField = -1
                oversizedRecord = false
                currentField = 0
                fieldStart = 0
                sawQuotedField = false
                state = .fieldStart
            case .fieldStart:
                if byte == Self.quote {
                    state = .quoted
                    sawQuotedField = true
                    quoteOpenLine = line
                    quoteOpenField = currentField
                    index += 1
                } else {
                    state = .unquoted
                }
            case .unquoted:
                var end = index
                while end < count {
                    let next = buffer[end]
                    if next == delimiter || next == Self.lineFeed || next == Self.carriageReturn { break }
                    end += 1
                }
                append(buffer + index, end - index)
                index = end
                if end == count { continue }
                let stop = buffer[end]
                index += 1
                endField()
                if stop == delimiter {
                    state = .fieldStart
                } else {
                    noteLineBreak(stop, at: baseOffset + end)
                    state = .recordStart
                    return .record
                }
            case .quoted:
                var end = index
                while end < count {
                    let next = buffer[end]
                    if next == Self.quote || next == Self.lineFeed || next == Self.carriageReturn { break }
                    end += 1
                }
                append(buffer + index, end - index)
                index = end
                if end == count { continue }
                let special = buffer[end]
                index += 1
                if special == Self.quote {
                    state = .quoteInQuoted
                } else {
                    noteLineBreak(special, at: baseOffset + end)
                    if firstLineEndOffset < 0 {
                        firstLineEndOffset = baseOffset + end + 1
                        firstLineEndWasCarriageReturn = special == Self.carriageReturn
                    }
                    var copy = special
                    append(&copy, 1)
                }
            case .quoteInQuoted, .afterClosingQuote:
                if byte == Self.quote && state == .quoteInQuoted {
                    var copy = Self.quote
                    append(&copy, 1)
                    state = .quoted
                    index += 1
                } else if byte == delimiter {
                    endField()
                    state = .fieldStart
                    index += 1
                } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                    endField()
                    noteLineBreak(byte, at: baseOffset + index)
                    index += 1
                    state = .recordStart
                    return .record
                } else if byte == Self.space || byte == Self.tab {
                    state = .afterClosingQuote
                    index += 1
                } else {
                    return .textAfterClosingQuote
                }
            }
        }
        return .needInput
    }

    /// Ends the input: completes a record in progress or reports a quoted field left open.
    mutating func finish() -> Step {
        switch state {
        case .recordStart:
            return .endOfInput
        case .quoted:
            endField()
            state = .recordStart
            return .unterminatedQuote
        case .fieldStart, .unquoted, .quoteInQuoted, .afterClosingQuote:
            endField()
            state = .recordStart
            return .record
        }
    }

    private mutating func noteLineBreak(_ byte: UInt8, at offset: Int) {
        if byte == Self.carriageReturn {
            line += 1
            lastCarriageReturnOffset = offset
        } else if offset - 1 != lastCarriageReturnOffset {
            line += 1
        }
    }

    private mutating func endField() {
        if fieldCount < maximumStoredFields {
            fieldEnds[fieldCount] = byteCount
            fieldCount += 1
        } else {
            droppedFieldCount += 1
            byteCount = fieldStart
        }
        fieldStart = byteCount
        currentField += 1
    }

    /// Copies `length` bytes into the scratch buffer; short runs byte by byte, which beats a `memmove` call
    /// for the typical field.
    @inline(__always)
    private mutating func append(_ source: UnsafePointer<UInt8>, _ length: Int) {
        guard length > 0 else { return }
        let end = byteCount + length
        guard end - fieldStart <= maximumFieldBytes, end <= maximumRecordBytes, end <= byteCapacity else {
            appendChecked(source, length)
            return
        }
        let destination = bytes + byteCount
        if length <= 32 {
            for offset in 0..<length { destination[offset] = source[offset] }
        } else {
            destination.update(from: source, count: length)
        }
        byteCount = end
    }

    /// The general case of ``append(_:_:)``: enforces the size limits and grows the buffer.
    private mutating func appendChecked(_ source: UnsafePointer<UInt8>, _ length: Int) {
        var length = length
        let fieldRoom = maximumFieldBytes - (byteCount - fieldStart)
        let recordRoom = maximumRecordBytes - byteCount
        let room = min(fieldRoom, recordRoom)
        if length > room {
            if fieldRoom <= recordRoom {
                if oversizedField < 0 { oversizedField = currentField }
            } else {
                oversizedRecord = true
            }
            length = max(0, room)
            if length == 0 { return }
        }
        if byteCount + length > byteCapacity {
            var newCapacity = byteCapacity * 2
            while newCapacity < byteCount + length { newCapacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: bytes, count: byteCount)
            bytes.deallocate()
            bytes = grown
            byteCapacity = newCapacity
        }
        (bytes + byteCount).update(from: source, count: length)
        byteCount += length
    }
}
