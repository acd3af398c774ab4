/// The quote-aware line counting behind ``CSVReader/fastRecordCount(path:delimiter:)``, kept apart so tests can feed it bytes.
struct RecordCounter {
    /// The file's delimiter, which alone does not make a line a record.
    var delimiter: UInt8
    private var inQuotes = false
    private var lineHasContent = false
    private var records = 0

    /// A counter at the start of a file separated by `delimiter`.
    init(delimiter: UInt8 = 0x2C) {
        self.delimiter = delimiter
    }

    /// Counts the records that end in `bytes`.
    mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>) {
        var inQuotes = self.inQuotes
        var lineHasContent = self.lineHasContent
        var records = self.records
        for byte in bytes {
            if byte == 0x22 {
                inQuotes.toggle()
                lineHasContent = true
            } else if (byte == 0x0A || byte == 0x0D) && !inQuotes {
                if lineHasContent { records += 1 }
                lineHasContent = false
            } else if byte != delimiter && byte != 0x20 && byte != 0x09 {
                lineHasContent = true
            }
        }
        self.inQuotes = inQuotes
        self.lineHasContent = lineHasContent
        self.records = records
    }

    /// Records seen so far, including a last one without a final line break, minus the header.
    var dataRecords: Int {
        max(0, records + (lineHasContent ? 1 : 0) - 1)
    }
}
