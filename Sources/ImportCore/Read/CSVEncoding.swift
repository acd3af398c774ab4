/// The character encoding of the input file (`--encoding`).
///
/// Spreadsheets on Windows still save "CSV" in the Windows code page (cp1252) or Latin-1, and such a file
/// looks fine until an accented name arrives. The reader therefore decides the encoding before any row is
/// used: UTF-8 (the default) is checked over the whole file first, and the single-byte encodings are
/// converted to Unicode field by field while reading. Every byte the CSV syntax cares about (quote,
/// delimiters, line breaks) is ASCII and means the same in all three, so parsing never depends on it.
public enum CSVEncoding: String, Sendable, Equatable, CaseIterable {
    /// UTF-8, with or without a byte order mark.
    case utf8 = "utf-8"
    /// ISO-8859-1: every byte is the code point of the same value.
    case latin1
    /// Windows-1252: Latin-1 except 0x80–0x9F, which hold `€`, curly quotes, dashes, `Š`, `Ž`, `Ÿ` and the like.
    case cp1252

    /// The encoding a `--encoding` value names (any case; `utf8`, `latin-1`, `iso-8859-1` and `windows-1252`
    /// are accepted too), or `nil`.
    public init?(name: String) {
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "latin1", "latin-1", "iso-8859-1", "iso8859-1": self = .latin1
        case "cp1252", "windows-1252", "win1252": self = .cp1252
        default: return nil
        }
    }

    /// The field's bytes as a string in this encoding. UTF-8 is decoded as is (invalid bytes become
    /// U+FFFD, which the reader reports before it gets here).
    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if self == .utf8 || UTF8Check.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(scalar(for: byte)) }
        return String(scalars)
    }

    /// The character a single byte stands for in Latin-1 or cp1252.
    private func scalar(for byte: UInt8) -> Unicode.Scalar {
        if self == .cp1252, byte >= 0x80, byte <= 0x9F {
            return Unicode.Scalar(Self.cp1252High[Int(byte - 0x80)]) ?? Unicode.Scalar(byte)
        }
        return Unicode.Scalar(byte)
    }

    /// cp1252's 0x80–0x9F. The five bytes Windows leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to
    /// the control characters of the same value, as the WHATWG encoding standard does.
    private static let cp1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
        0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122,
        0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}

/// How to read a CSV file: its encoding and its delimiter (`--encoding`, `--delimiter`).
public struct CSVFormat: Sendable, Equatable {
    /// The delimiters `--delimiter` accepts and the reader detects: comma, semicolon, tab and pipe.
    public static let delimiters: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]

    /// The file's encoding.
    public var encoding: CSVEncoding
    /// The delimiter the user named, or `nil` to take it from a `sep=` first line, else to detect it from
    /// the header (comma unless the header only has an email column when split on `;`, tab or `|`).
    public var delimiter: UInt8?

    /// A format; the defaults are UTF-8 and a detected delimiter.
    public init(encoding: CSVEncoding = .utf8, delimiter: UInt8? = nil) {
        self.encoding = encoding
        self.delimiter = delimiter
    }

    /// The delimiter a `--delimiter` value names: `,` `;` `|`, a tab, or `\t` / `tab`; `nil` for anything else.
    public static func delimiter(named name: String) -> UInt8? {
        switch name.lowercased() {
        case ",", "comma": return 0x2C
        case ";", "semicolon": return 0x3B
        case "\t", "\\t", "tab": return 0x09
        case "|", "pipe": return 0x7C
        default: return nil
        }
    }

    /// How a delimiter is written in messages and in the `--delimiter` value that selects it.
    public static func displayName(of delimiter: UInt8) -> String {
        delimiter == 0x09 ? "tab" : "'\(Character(Unicode.Scalar(delimiter)))'"
    }
}
