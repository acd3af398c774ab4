#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Identifies the content of a CSV file, so a resume can tell the file it is reading from the one the
/// interrupted run was importing.
///
/// The hash is FNV-1a over 8-byte little-endian words (then single bytes for the tail), finished with a
/// MurmurHash3 mixer. It is not cryptographic: it detects accidental change (an edited, re-exported or
/// truncated file), not tampering, and it runs at memory speed in constant memory (1 MiB buffer), so
/// fingerprinting a large file costs about a second per gigabyte. The value is prefixed with the algorithm
/// name so a future format can change it without misreading old journals.
public struct CSVFingerprint: Codable, Sendable, Equatable {
    /// The absolute path the file was read from; informative only, a moved file still matches.
    public var path: String
    /// The size of the file in bytes.
    public var size: Int
    /// `fnv1a64w:` followed by 16 hex digits.
    public var hash: String

    /// Creates a fingerprint from known values.
    public init(path: String, size: Int, hash: String) {
        self.path = path
        self.size = size
        self.hash = hash
    }

    /// Stable JSON keys, independent of property names.
    private enum CodingKeys: String, CodingKey {
        case path
        case size
        case hash
    }

    /// Whether `other` has the same content (size and hash); the path is not compared.
    public func sameContent(as other: CSVFingerprint) -> Bool {
        size == other.size && hash == other.hash
    }

    /// Reads the whole file once and fingerprints it.
    /// - Parameter path: the CSV file; relative paths are resolved against the working directory.
    /// - Throws: `JournalError.csvUnreadable` when the file cannot be opened or read.
    public static func compute(path: String) throws(JournalError) -> CSVFingerprint {
        try compute(path: path, countingRecordsSplitBy: 0x2C).fingerprint
    }

    /// Reads the whole file once, fingerprinting it and counting its data records on the same bytes (see
    /// ``CSVReader/fastRecordCount(path:delimiter:)`` for what counts), so an import reads the file once
    /// for both.
    ///
    /// - Parameters:
    ///   - path: the CSV file; relative paths are resolved against the working directory.
    ///   - delimiter: the delimiter the reader uses.
    public static func compute(path: String, countingRecordsSplitBy delimiter: UInt8) throws(JournalError) -> (
        fingerprint: CSVFingerprint, records: Int
    ) {
        let descriptor: Int32
        do throws(FileCallError) {
            descriptor = try FileIO.open(path, O_RDONLY | O_CLOEXEC)
        } catch {
            throw .csvUnreadable(path: path, reason: error.description)
        }
        defer { close(descriptor) }
        let bufferSize = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 8)
        defer { buffer.deallocate() }
        var hasher = WordHasher()
        var counter = RecordCounter(delimiter: delimiter)
        var size = 0
        while true {
            // Fill the buffer completely (short reads happen) so words never straddle two reads.
            let filled: Int
            do throws(FileCallError) {
                filled = try FileIO.readFully(descriptor, into: buffer)
            } catch {
                throw .csvUnreadable(path: path, reason: error.description)
            }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
            hasher.combine(chunk)
            chunk.withMemoryRebound(to: UInt8.self) { counter.consume($0) }
            size += filled
            if filled < bufferSize { break }
        }
        let fingerprint = CSVFingerprint(
            path: absolute(path), size: size, hash: "fnv1a64w:" + hex(hasher.finalize()))
        return (fingerprint, counter.dataRecords)
    }

    /// Resolves a relative path against the working directory, so the journal records where the file was.
    private static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/"), let cwd = getcwd(nil, 0) else { return path }
        defer { free(cwd) }
        return String(cString: cwd) + "/" + path
    }

    /// 16 lowercase hex digits.
    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// FNV-1a over 64-bit words. Fed whole buffers whose length is a multiple of 8 except for the last one.
private struct WordHasher {
    /// The running state, starting at the FNV-1a 64-bit offset basis.
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The FNV 64-bit prime.
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// Mixes in a buffer: its whole words, then its remaining bytes one by one.
    mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        let wordCount = bytes.count / 8
        var offset = 0
        for _ in 0..<wordCount {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            state = (state ^ word) &* Self.prime
            offset += 8
        }
        while offset < bytes.count {
            state = (state ^ UInt64(bytes[offset])) &* Self.prime
            offset += 1
        }
    }

    /// Spreads every input bit over the whole result (MurmurHash3 fmix64).
    func finalize() -> UInt64 {
        var value = state
        value ^= value >> 33
        value &*= 0xff51_afd7_ed55_8ccd
        value ^= value >> 33
        value &*= 0xc4ce_b9fe_1a85_ec53
        value ^= value >> 33
        return value
    }
}
