import Foundation
import ImportCore
import Testing

@Suite("CSV fingerprint")
struct JournalFingerprintTests {
    /// A CSV-like body of about `size` bytes, deterministic.
    private func body(size: Int) -> [UInt8] {
        var random = SeededGenerator(seed: UInt64(size))
        return (0..<size).map { _ in UInt8.random(in: 32...126, using: &random) }
    }

    @Test("The same content always gives the same fingerprint", arguments: [0, 1, 7, 8, 9, 1_048_576, 1_048_583])
    func stable(size: Int) throws {
        let scratch = try JournalScratch()
        let bytes = body(size: size)
        let first = scratch.path("a.csv")
        let second = scratch.path("b.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: first))
        try Data(bytes).write(to: URL(fileURLWithPath: second))
        let a = try CSVFingerprint.compute(path: first)
        let b = try CSVFingerprint.compute(path: second)
        #expect(a.size == size)
        #expect(a.sameContent(as: b))
        #expect(a.hash.hasPrefix("fnv1a64w:") && a.hash.count == "fnv1a64w:".count + 16)
        #expect(try CSVFingerprint.compute(path: first) == a)
    }

    @Test("One read gives the fingerprint and the same record count as the reader's counter")
    func fingerprintAndCount() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("users.csv")
        var text = "email;name\n"
        for index in 1...2_500 { text += "u\(index)@example.com;\"Name\nwith a break\"\n" }
        text += ";;\n\nlast@example.com;L"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let (fingerprint, records) = try CSVFingerprint.compute(path: path, countingRecordsSplitBy: 0x3B)
        #expect(fingerprint == (try CSVFingerprint.compute(path: path)))
        #expect(records == (try CSVReader.fastRecordCount(path: path, delimiter: 0x3B)))
        #expect(records == 2_501)
    }

    @Test(
        "Changing any single byte changes the fingerprint",
        arguments: [0, 1, 7, 8, 4095, 1_048_575, 1_048_576, 1_048_582])
    func oneByteChanged(position: Int) throws {
        let scratch = try JournalScratch()
        var bytes = body(size: 1_048_583)
        let path = scratch.path("users.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let before = try CSVFingerprint.compute(path: path)
        bytes[position] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let after = try CSVFingerprint.compute(path: path)
        #expect(before.size == after.size)
        #expect(before.hash != after.hash)
    }

    @Test("Swapping two words or appending a byte changes the fingerprint")
    func reorderAndAppend() throws {
        let scratch = try JournalScratch()
        let path = try scratch.write("email\nada@example.com\nbob@example.com\n", to: "a.csv")
        let swapped = try scratch.write("email\nbob@example.com\nada@example.com\n", to: "b.csv")
        let appended = try scratch.write("email\nada@example.com\nbob@example.com\n\n", to: "c.csv")
        let original = try CSVFingerprint.compute(path: path)
        #expect(original.hash != (try CSVFingerprint.compute(path: swapped)).hash)
        #expect(!original.sameContent(as: try CSVFingerprint.compute(path: appended)))
    }

    @Test("The fingerprint records an absolute path")
    func absolutePath() throws {
        let scratch = try JournalScratch()
        let path = try scratch.write("email\n", to: "a.csv")
        #expect(try CSVFingerprint.compute(path: path).path == path)
    }

    @Test("A missing CSV file is reported with its path")
    func missing() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("nope.csv")
        #expect {
            try CSVFingerprint.compute(path: path)
        } throws: { error in
            guard let error = error as? JournalError, case .csvUnreadable = error else { return false }
            return error.description.contains(path)
        }
    }
}
