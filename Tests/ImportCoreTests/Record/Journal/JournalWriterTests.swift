import Foundation
import ImportCore
import Testing

@Suite("Journal file")
struct JournalWriterTests {
    /// The permission bits of a file.
    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("A new journal is readable by its owner only")
    func createdPrivate() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("users.csv.journal")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        try writer.finish(complete: false)
        #expect(try mode(path) == 0o600)
    }

    @Test("Starting over on an old journal with loose permissions makes it private")
    func recreatedPrivate() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        try JournalWriter.create(path: path, header: JournalFixtures.header()).finish(complete: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try JournalWriter.create(path: path, header: JournalFixtures.header(runId: "second")).finish(complete: false)
        #expect(try mode(path) == 0o600)
        #expect(try JournalReplay.load(path: path)?.header.runId == "second")

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try JournalWriter.append(path: path).finish(complete: false)
        #expect(try mode(path) == 0o600)
    }

    @Test("Each line is sorted-key JSON holding record numbers and WorkOS ids only")
    func lineFormat() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        try writer.record(JournalEntry(record: 17, outcome: .imported, userId: "user_01", membership: .created))
        try writer.record(JournalEntry(record: 18, outcome: .failed))
        try writer.finish(complete: true, at: Date(timeIntervalSince1970: 1_772_366_460))
        let lines = try scratch.read(path).split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(
            lines[0] == #"{"csv":{"hash":"fnv1a64w:00000000deadbeef","path":"/data/users.csv","size":1234},"#
                + #""environment":{"baseUrl":"https://api.workos.com","keyFingerprint":"#
                + #""\#(JournalEnvironment.fingerprint(of: "sk_test_fixture"))"},"#
                + #""runId":"6f1c2f7e-0000-4000-8000-000000000001","settings":{"ifExists":"skip","org":"id:org_01","#
                + #""requireMembership":false},"startedAt":"2026-03-01T12:00:00.000Z","type":"header","version":1}"#)
        #expect(lines[1] == #"{"membership":"created","outcome":"imported","record":17,"type":"row","user":"user_01"}"#)
        #expect(lines[2] == #"{"membership":"none","outcome":"failed","record":18,"type":"row"}"#)
        #expect(lines[3] == #"{"at":"2026-03-01T12:01:00.000Z","complete":true,"type":"end"}"#)
    }

    @Test("Resuming appends a resume line and keeps every earlier line")
    func resumeLine() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        try writer.record(JournalEntry(record: 1, outcome: .imported, userId: "user_1"))
        try writer.finish(complete: false)
        let before = try scratch.read(path)
        try JournalWriter.append(path: path, resumedAt: Date(timeIntervalSince1970: 1_772_366_400))
            .finish(complete: false)
        let after = try scratch.read(path)
        #expect(after.hasPrefix(before))
        #expect(after.dropFirst(before.count).hasPrefix(#"{"at":"2026-03-01T12:00:00.000Z","type":"resume"}"# + "\n"))
    }

    @Test("Resuming a journal that does not exist says so")
    func appendMissing() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("absent")
        #expect {
            try JournalWriter.append(path: path)
        } throws: { error in
            guard case .unreadable(let errorPath, _) = error as? JournalError else { return false }
            return errorPath == path
        }
    }

    @Test("A journal in a folder that does not exist cannot be created, and the message names the path")
    func createInMissingFolder() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("missing/folder/j")
        #expect {
            try JournalWriter.create(path: path, header: JournalFixtures.header())
        } throws: { error in
            (error as? JournalError)?.description.contains(path) == true
        }
    }

    @Test("Recording after finishing is an error, finishing twice is not")
    func afterFinish() throws {
        let scratch = try JournalScratch()
        let writer = try JournalWriter.create(path: scratch.path("j"), header: JournalFixtures.header())
        try writer.finish(complete: true)
        try writer.finish(complete: true)
        #expect(throws: JournalError.self) { try writer.record(JournalEntry(record: 1, outcome: .failed)) }
    }

    @Test("Rows recorded from many tasks at once all arrive, each on a line of its own")
    func concurrentRecords() async throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for index in 0..<250 {
                        let record = worker * 250 + index + 1
                        try writer.record(JournalEntry(record: record, outcome: .imported, userId: "user_\(record)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        try writer.finish(complete: true)
        let state = try #require(try JournalReplay.load(path: path))
        #expect(state.settledCount == 2000)
        #expect(state.counts.created == 2000)
        #expect(state.isComplete)
    }
}
