import Foundation
import Testing
import WorkOSClient

@testable import ImportCore

/// Reads `bytes` as a whole import and checks the invariants every input must keep, whatever it holds.
///
/// Input that is not UTF-8 is refused as a whole, so it is read again as Latin-1, where every byte is a
/// character, to put the rest of the reader to work on it too.
private func checkInvariants(_ bytes: [UInt8]) {
    var format = CSVFormat()
    if notUTF8(bytes) != nil { format.encoding = .latin1 }
    guard let reader = try? CSVReader(bytes: bytes, format: format) else { return }
    guard let validator = try? RowValidator(header: reader.header) else { return }
    let checking = try? CSVReader(bytes: bytes, format: format)
    var lastRecord = 0
    var lastLine = 0
    var lastEnd = reader.headerBytes.upperBound
    var steps = 0
    while let result = reader.next() {
        steps += 1
        let record = result.record
        #expect(record.recordNumber == lastRecord + 1)
        #expect(record.line > lastLine)
        #expect(record.byteOffset >= 0 && record.byteOffset < bytes.count)
        // Records take disjoint, increasing byte ranges inside the input, for the rejects file's copy.
        #expect(record.byteRange.lowerBound >= lastEnd && record.byteRange.upperBound <= bytes.count)
        #expect(!record.byteRange.isEmpty)
        lastEnd = record.byteRange.upperBound
        lastRecord = record.recordNumber
        lastLine = record.line
        var expectedCheck: CheckedRecord
        switch result {
        case .record(let record):
            #expect(record.fields.count == reader.header.count)
            let validation = validator.validate(record)
            expectedCheck = .validated(record, validation)
            if case .valid(let row, let warnings) = validation, warnings.isEmpty {
                expectedCheck = .clean(recordNumber: row.recordNumber, line: row.line)
            }
        case .malformed(let record, let reason):
            #expect(!reason.isEmpty)
            expectedCheck = .malformed(record, reason: reason)
        }
        // The dry-run path must agree with the full path on every record.
        if let checked = checking?.nextChecked(by: validator) {
            switch (checked, expectedCheck) {
            case (.clean(let number, let line), .clean(let expectedNumber, let expectedLine)):
                #expect(number == expectedNumber && line == expectedLine)
            case (.clean, _):
                Issue.record("fast path called a row clean that the full path does not: \(expectedCheck)")
            default:
                #expect(
                    checked == expectedCheck
                        || { if case .clean = expectedCheck { return true } else { return false } }())
            }
        } else {
            Issue.record("dry-run path ended early")
        }
        if steps > bytes.count + 1 {
            Issue.record("more records than bytes: the reader does not terminate")
            return
        }
    }
    #expect(checking?.nextChecked(by: validator) == nil)
}

/// The reader's refusal of `bytes` as UTF-8, if that is why it refuses them.
private func notUTF8(_ bytes: [UInt8]) -> CSVReaderError? {
    do {
        _ = try CSVReader(bytes: bytes)
        return nil
    } catch {
        if case .notUTF8 = error { return error }
        return nil
    }
}

/// Bytes that make CSV interesting, weighted towards structure.
private let alphabet: [UInt8] = Array("\",\n\r \tae@.x{}:[]\\01".utf8) + [0, 0xC3, 0xA9, 0xFF, 0xEF, 0xBB, 0xBF]

@Suite("Fuzzing the reader and the row rules")
struct FuzzTests {
    @Test("Random bytes never crash or hang, and records stay in order", arguments: 0..<8)
    func randomBytes(batch: Int) {
        var random = SeededRandom(seed: UInt64(1_000 + batch))
        for _ in 0..<400 {
            let length = random.below(300)
            var bytes: [UInt8] = Array("email,metadata,email_verified\n".utf8)
            for _ in 0..<length {
                bytes.append(random.chance(70) ? alphabet[random.below(alphabet.count)] : UInt8(random.below(256)))
            }
            checkInvariants(bytes)
            checkInvariants(Array(bytes.dropFirst(30)))
        }
    }

    /// Fresh inputs on every run, for a bounded time: `WORKOS_IMPORT_FUZZ_SECONDS` (default 3). The seed is
    /// new each run and printed; set `WORKOS_IMPORT_FUZZ_SEED` to replay a failing run.
    @Test("Fresh random inputs for a bounded time never crash or hang")
    func timeBoxed() {
        let seconds = ProcessInfo.processInfo.environment["WORKOS_IMPORT_FUZZ_SECONDS"].flatMap(Double.init) ?? 3
        let seed =
            ProcessInfo.processInfo.environment["WORKOS_IMPORT_FUZZ_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...UInt64.max)
        print("fuzzing with seed \(seed) for \(seconds) s")
        var random = SeededRandom(seed: seed)
        let base = UserFileGenerator(count: 30, seed: seed, withErrors: true, orgs: 2).bytes()
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1_000))
        var inputs = 0
        while ContinuousClock.now < deadline {
            var bytes = base
            for _ in 0..<(1 + random.below(12)) {
                let position = random.below(bytes.count)
                if random.chance(50) {
                    bytes[position] =
                        random.chance(70) ? alphabet[random.below(alphabet.count)] : UInt8(random.below(256))
                } else {
                    bytes.insert(alphabet[random.below(alphabet.count)], at: position)
                }
            }
            checkInvariants(bytes)
            inputs += 1
        }
        #expect(inputs > 0, "seed \(seed)")
    }

    @Test("Mutated valid files never crash or hang, and records stay in order", arguments: 0..<8)
    func mutatedFiles(batch: Int) {
        var random = SeededRandom(seed: UInt64(2_000 + batch))
        let base = UserFileGenerator(count: 40, seed: UInt64(batch), withErrors: batch % 2 == 0, orgs: 2).bytes()
        for _ in 0..<150 {
            var bytes = base
            for _ in 0..<(1 + random.below(8)) {
                let position = random.below(bytes.count)
                switch random.below(4) {
                case 0: bytes[position] = alphabet[random.below(alphabet.count)]
                case 1: bytes.insert(alphabet[random.below(alphabet.count)], at: position)
                case 2: bytes.remove(at: position)
                default: bytes[position] = UInt8(random.below(256))
                }
            }
            checkInvariants(bytes)
        }
    }
}

@Suite("Fuzzing chunk boundaries and hash forms")
struct FuzzChunkTests {
    @Test("Reading a file in tiny chunks gives the same records as reading it from memory", arguments: 0..<4)
    func tinyChunks(batch: Int) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("fuzz.csv").path
        var random = SeededRandom(seed: UInt64(3_000 + batch))
        let base = UserFileGenerator(count: 25, seed: UInt64(batch), withErrors: true).bytes()
        for round in 0..<60 {
            var bytes = base
            if round % 3 == 0 { bytes = [0xEF, 0xBB, 0xBF] + bytes }
            if round % 4 == 1 {
                bytes = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
            }
            for _ in 0..<random.below(6) {
                let position = random.below(bytes.count)
                bytes.insert(alphabet[random.below(alphabet.count)], at: position)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let chunkSize = 4 + random.below(60)
            let fromMemory = try? CSVReader(bytes: bytes)
            let fromFile = try? CSVReader(path: path, chunkSize: chunkSize)
            #expect((fromMemory == nil) == (fromFile == nil))
            guard let fromMemory, let fromFile else { continue }
            #expect(fromMemory.header == fromFile.header)
            while let expected = fromMemory.next() {
                let actual = fromFile.next()
                #expect(actual == expected, "chunk size \(chunkSize)")
                if actual != expected { return }
            }
            #expect(fromFile.next() == nil)
            #expect(fromFile.bytesConsumed == bytes.count)
        }
    }

    @Test("Random hash strings never crash the hash checks, and only well-formed ones pass")
    func hashForms() throws {
        let header = ["email", "password_hash", "password_hash_type"]
        let validator = try RowValidator(header: header)
        let pieces = [
            "$", "2b", "$10$", "argon2id", "v=19", "m=65536", ",t=3", ",p=4", "firebase-scrypt", "hash=", "salt=",
            "sk=", "ss=", "r=8", "m=14", "abcDEF012+/", "./xyz", "==", "-_", "é", " ", "9",
        ]
        var random = SeededRandom(seed: 77)
        for _ in 0..<5_000 {
            var hash = ""
            for _ in 0..<random.below(14) { hash += random.pick(pieces) }
            let type = random.pick(PasswordHashType.allCases)
            let record = CSVRecord(recordNumber: 1, line: 2, byteOffset: 0, fields: ["a@b.io", hash, type.rawValue])
            let trimmed = hash.trimmingCharacters(in: .whitespaces)
            switch validator.validate(record) {
            case .valid(let row, _):
                #expect(!trimmed.isEmpty)
                if type == .bcrypt { #expect(trimmed.utf8.count == 60 && trimmed.hasPrefix("$2")) }
                if type == .argon2 { #expect(trimmed.hasPrefix("$argon2") && trimmed.contains("m=")) }
                if type == .firebaseScrypt { #expect(row.passwordHash?.hasPrefix("$firebase-scrypt$hash=") == true) }
            case .invalid(let problem, _):
                if trimmed.utf8.count > 24 { #expect(!problem.message.contains(trimmed)) }
            }
        }
    }
}
