import Foundation
import Testing

@testable import ImportCore

@Suite("Journal write and replay")
struct JournalReplayTests {
    @Test("What the writer records, the replay reads back, with counts that add up")
    func roundTrip() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("users.csv.journal")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        let entries = [
            JournalEntry(record: 1, outcome: .imported, userId: "user_1", membership: .created),
            JournalEntry(record: 2, outcome: .existed, userId: "user_2", membership: .existing),
            JournalEntry(record: 3, outcome: .failed),
            JournalEntry(record: 5, outcome: .updated, userId: "user_5", membership: .created),
            JournalEntry(record: 4, outcome: .imported, userId: "user_4", membership: .none),
        ]
        for entry in entries { try writer.record(entry) }
        try writer.finish(complete: false)

        let state = try #require(try JournalReplay.load(path: path))
        #expect(state.header == JournalFixtures.header())
        #expect(Array(state.settled) == [1, 2, 3, 4, 5])
        #expect(state.counts.created == 2)
        #expect(state.counts.existing == 1)
        #expect(state.counts.updated == 1)
        #expect(state.counts.failed == 1)
        #expect(state.counts.membershipsCreated == 2)
        #expect(
            state.counts.created + state.counts.existing + state.counts.updated + state.counts.failed
                == state.settledCount)
        #expect(!state.isComplete)
    }

    @Test("A journal whose run processed every row is complete; a resumed one is not until it ends")
    func completeness() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        try writer.record(JournalEntry(record: 1, outcome: .imported, userId: "user_1"))
        try writer.finish(complete: true)
        #expect(try JournalReplay.load(path: path)?.isComplete == true)

        let resumed = try JournalWriter.append(path: path)
        #expect(try JournalReplay.load(path: path)?.isComplete == false)
        try resumed.finish(complete: true)
        let state = try #require(try JournalReplay.load(path: path))
        #expect(state.isComplete)
        #expect(state.resumeCount == 1)
    }

    @Test("No journal file means no state")
    func missingFile() throws {
        let scratch = try JournalScratch()
        #expect(try JournalReplay.load(path: scratch.path("absent")) == nil)
        #expect(try JournalReplay.load(path: scratch.write("", to: "empty")) == nil)
    }

    @Test(
        "A last line cut short or garbled by a crash is ignored",
        arguments: [
            #"{"membership":"none","outcome":"imp"#,
            #"{"membership":"none","#,
            "\u{0}\u{0}\u{0}\u{0}",
            "garbage",
            #"{"membership":"none","outcome":"imported","record":-4,"type":"row"}"#,
        ])
    func truncatedLastLine(tail: String) throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        try writer.record(JournalEntry(record: 1, outcome: .imported, userId: "user_1"))
        try writer.record(JournalEntry(record: 2, outcome: .existed, userId: "user_2"))
        try writer.finish(complete: false)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(tail.utf8))
        try handle.close()

        let state = try #require(try JournalReplay.load(path: path))
        #expect(Array(state.settled) == [1, 2])
        #expect(state.counts.created == 1 && state.counts.existing == 1)
    }

    @Test("A complete last line that lost only its newline still counts")
    func lastLineWithoutNewline() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        try writer.record(JournalEntry(record: 7, outcome: .imported, userId: "user_7"))
        try writer.finish(complete: false)
        var text = try scratch.read(path)
        text.removeLast()
        try scratch.write(text, to: "j")
        #expect(try JournalReplay.load(path: path)?.settled.contains(7) == true)
    }

    @Test("Resuming after a crash mid-line drops the broken line and keeps every later line readable")
    func appendRepairsTail() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        try writer.record(JournalEntry(record: 1, outcome: .imported, userId: "user_1"))
        try writer.finish(complete: false)
        try scratch.write(try scratch.read(path) + #"{"membership":"none","outc"#, to: "j")

        let resumed = try JournalWriter.append(path: path)
        try resumed.record(JournalEntry(record: 2, outcome: .imported, userId: "user_2"))
        try resumed.finish(complete: true)
        let state = try #require(try JournalReplay.load(path: path))
        #expect(Array(state.settled) == [1, 2])
        #expect(state.isComplete)
        #expect(!(try scratch.read(path)).contains("outc\""))
    }

    @Test("Resuming after a complete last line that lost its newline keeps that line")
    func appendAddsMissingNewline() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        try writer.record(JournalEntry(record: 1, outcome: .imported, userId: "user_1"))
        try writer.finish(complete: false)
        var text = try scratch.read(path)
        text.removeLast()
        try scratch.write(text, to: "j")

        let resumed = try JournalWriter.append(path: path)
        try resumed.record(JournalEntry(record: 2, outcome: .failed))
        try resumed.finish(complete: false)
        let state = try #require(try JournalReplay.load(path: path))
        #expect(Array(state.settled) == [1, 2])
        #expect(state.counts.created == 1 && state.counts.failed == 1)
    }

    @Test("A damaged line before the last one makes the journal unreadable, naming the line")
    func damagedMiddleLine() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        try writer.record(JournalEntry(record: 1, outcome: .imported, userId: "user_1"))
        try writer.finish(complete: false)
        try scratch.write(
            try scratch.read(path) + "oops\n"
                + #"{"membership":"none","outcome":"imported","record":2,"type":"row"}"# + "\n", to: "j")
        #expect(throws: JournalError.corrupt(path: path, line: 4)) { try JournalReplay.load(path: path) }
    }

    @Test(
        "Row lines written in another valid JSON shape read the same as the writer's own",
        arguments: [
            #"{"type":"row","record":8,"outcome":"existed","membership":"existing","user":"user_8"}"#,
            #"{"membership":"existing","outcome":"existed","record":8,"type":"row","user":"user\u005f8"}"#,
            #"{ "membership": "existing", "outcome": "existed", "record": 8, "type": "row", "user": "user_8" }"#,
            #"{"membership":"existing","outcome":"existed","record":8,"type":"row","user":"user_8","extra":1}"#,
        ])
    func otherShapes(line: String) throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        try JournalWriter.create(path: path, header: JournalFixtures.header()).finish(complete: false)
        try scratch.write(try scratch.read(path) + line + "\n", to: "j")
        let state = try #require(try JournalReplay.load(path: path))
        #expect(Array(state.settled) == [8])
        #expect(state.counts.existing == 1 && state.counts.membershipsCreated == 0)
    }

    @Test("A record settled twice is counted once, with its latest outcome")
    func duplicateRecords() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        try writer.record(JournalEntry(record: 3, outcome: .imported, userId: "user_3", membership: .created))
        try writer.record(JournalEntry(record: 3, outcome: .existed, userId: "user_3", membership: .existing))
        try writer.record(JournalEntry(record: 4, outcome: .failed))
        try writer.record(JournalEntry(record: 4, outcome: .failed))
        try writer.finish(complete: false)
        let state = try #require(try JournalReplay.load(path: path))
        #expect(state.settledCount == 2)
        #expect(state.counts.created == 0)
        #expect(state.counts.existing == 1)
        #expect(state.counts.failed == 1)
        #expect(state.counts.membershipsCreated == 0)
    }

    @Test("A file that is not a journal is refused, and never overwritten")
    func foreignFile() throws {
        let scratch = try JournalScratch()
        let path = try scratch.write("email,first_name\nada@example.com,Ada\n", to: "users.csv")
        #expect(throws: JournalError.notAJournal(path: path)) { try JournalReplay.load(path: path) }
        #expect(throws: JournalError.notAJournal(path: path)) {
            try JournalWriter.create(path: path, header: JournalFixtures.header())
        }
        #expect(try scratch.read(path) == "email,first_name\nada@example.com,Ada\n")
    }

    @Test("A journal cut short while its header was written counts as no journal")
    func truncatedHeader() throws {
        let scratch = try JournalScratch()
        let path = try scratch.write(#"{"csv":{"hash":"fnv1a64w:00"#, to: "j")
        #expect(try JournalReplay.load(path: path) == nil)
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        try writer.finish(complete: false)
        #expect(try JournalReplay.load(path: path)?.header == JournalFixtures.header())
    }

    @Test("A journal from a newer version is refused with a message saying so")
    func newerVersion() throws {
        let scratch = try JournalScratch()
        let path = try scratch.write(#"{"csv":{},"type":"header","version":2,"future":true}"# + "\n", to: "j")
        #expect(throws: JournalError.newerVersion(path: path, version: 2)) { try JournalReplay.load(path: path) }
        #expect(JournalError.newerVersion(path: path, version: 2).description.contains("newer version"))
    }

    @Test("A permission error is told apart and says how to fix it")
    func permissionDenied() {
        #expect(SystemError.isPermission(EACCES))
        #expect(SystemError.isPermission(EPERM))
        #expect(!SystemError.isPermission(ENOENT))
        let message = JournalError.permissionDenied(path: "/x/j").description
        #expect(message.contains("Permission denied"))
        #expect(message.contains("--journal"))
    }

    @Test("A folder at the journal path is reported as unreadable")
    func folderInTheWay() throws {
        let scratch = try JournalScratch()
        #expect {
            try JournalReplay.load(path: scratch.folder.path)
        } throws: { error in
            guard case .unreadable = error as? JournalError else { return false }
            return true
        }
    }
}
