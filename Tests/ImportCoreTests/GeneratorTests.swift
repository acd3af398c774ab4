import Foundation
import ImportCore
import Testing

@Suite("Test-file generator")
struct GeneratorTests {
    @Test("The same seed gives the same file; another seed gives another")
    func deterministic() {
        let first = UserFileGenerator(count: 500, seed: 42, withErrors: true, orgs: 3).bytes()
        let again = UserFileGenerator(count: 500, seed: 42, withErrors: true, orgs: 3).bytes()
        let other = UserFileGenerator(count: 500, seed: 43, withErrors: true, orgs: 3).bytes()
        #expect(first == again)
        #expect(first != other)
    }

    @Test("A clean file has only valid rows with unique emails and no warnings")
    func cleanFile() throws {
        let reader = try CSVReader(bytes: UserFileGenerator(count: 2_000, seed: 9, orgs: 5).bytes())
        #expect(reader.header.joined(separator: ",") == UserFileGenerator.header)
        let validator = try RowValidator(header: reader.header)
        var emails = Set<String>()
        var domains = Set<String>()
        var hashed = 0
        while let result = reader.next() {
            guard case .record(let record) = result, case .valid(let row, let warnings) = validator.validate(record)
            else {
                Issue.record("unexpected \(result)")
                continue
            }
            #expect(warnings.isEmpty)
            emails.insert(row.email)
            domains.insert(String(row.email.split(separator: "@")[1]))
            if row.passwordHash != nil { hashed += 1 }
            #expect(row.metadata?["team"] != nil)
        }
        #expect(emails.count == 2_000)
        #expect(domains.count == 5)
        #expect(hashed > 0)
    }

    @Test("With errors, every kind of bad row appears and each is rejected with its own message")
    func everyKindOfBadRow() throws {
        let generator = UserFileGenerator(count: 300, seed: 5, withErrors: true)
        let reader = try CSVReader(bytes: generator.bytes())
        let validator = try RowValidator(header: reader.header)
        var seen = Set<GeneratedProblem>()
        var index = 0
        while let result = reader.next() {
            defer { index += 1 }
            let planted = generator.problem(atRow: index)
            switch result {
            case .record(let record):
                let validation = validator.validate(record)
                switch (validation, planted) {
                case (.valid, nil):
                    break
                case (.invalid(let problem, _), .some(let kind)):
                    #expect(!kind.isMalformedRecord)
                    #expect(problem.message.contains(kind.expectedMessageFragment), "\(kind): \(problem.message)")
                    seen.insert(kind)
                default:
                    Issue.record("row \(index): planted \(String(describing: planted)), got \(validation)")
                }
            case .malformed(_, let reason):
                guard let kind = planted else {
                    Issue.record("row \(index) unexpectedly malformed: \(reason)")
                    continue
                }
                #expect(kind.isMalformedRecord)
                #expect(reason.contains(kind.expectedMessageFragment), "\(kind): \(reason)")
                seen.insert(kind)
            }
        }
        #expect(index == 300)
        #expect(seen == Set(GeneratedProblem.allCases))
    }

    @Test("The file is written with mode 0600, replacing what was there")
    func fileMode() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("users.csv").path
        #expect(
            FileManager.default.createFile(
                atPath: path, contents: Data(repeating: 0x41, count: 100_000), attributes: [.posixPermissions: 0o644]))
        let generator = UserFileGenerator(count: 10, seed: 1)
        try generator.write(to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(generator.bytes()))
    }

    @Test("Writing into a missing folder fails with a message naming the path")
    func unwritable() {
        let path = "/nonexistent-folder-for-tests/users.csv"
        #expect {
            try UserFileGenerator(count: 1).write(to: path)
        } throws: { error in
            guard let error = error as? GeneratorError, case .cannotCreate = error else { return false }
            return error.description.contains(path)
        }
    }
}
