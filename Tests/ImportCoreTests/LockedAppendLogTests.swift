import Foundation
import Testing

@testable import ImportCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A copy of the log's open file, as a process forked at the moment of the close holds until its exec.
private func shareOpenFile(_ log: LockedAppendLog) throws -> Int32 {
    let copy = try #require(log.withDescriptor { dup($0) })
    try #require(copy >= 0, "dup failed: \(SystemError.describe(errno))")
    return copy
}

@Suite("Locked append-only logs")
struct LockedAppendLogTests {
    @Test("closing the import journal releases its lock even while a copy of the open file lives on")
    func importJournalLetsGoOfItsLock() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("users.csv.journal")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        let copy = try shareOpenFile(writer.log)
        defer { _ = close(copy) }
        try writer.finish(complete: true)
        #expect(!JournalWriter.isInUse(path: path), "the copy still holds the journal's lock")
        let next = try JournalWriter.append(path: path)
        try next.finish(complete: true)
    }

    @Test("closing the undo journal releases its lock even while a copy of the open file lives on")
    func undoJournalLetsGoOfItsLock() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("users.csv.journal.undo")
        let journal = try UndoJournal.open(path: path, runId: "run-1", now: Date())
        let copy = try shareOpenFile(journal.log)
        defer { _ = close(copy) }
        journal.close()
        let again = try UndoJournal.open(path: path, runId: "run-1", now: Date())
        again.close()
    }

    @Test("an open log refuses a second locker; appends go out whole and none is taken after the close")
    func appendsAndLock() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("log")
        let descriptor = try FileIO.open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC)
        #expect(LockedAppendLog.lock(descriptor, patiently: false) == nil)
        let log = LockedAppendLog(path: path, lockedDescriptor: descriptor)
        let other = try FileIO.open(path, O_RDONLY | O_CLOEXEC)
        defer { _ = close(other) }
        #expect(LockedAppendLog.lock(other, patiently: false) == EWOULDBLOCK)
        try log.append(Data("one\n".utf8))
        try log.append(Array("two\n".utf8))
        try log.sync()
        log.close()
        #expect(throws: LockedAppendLog.AppendError.closed) { try log.append(Data("three\n".utf8)) }
        #expect(try scratch.read(path) == "one\ntwo\n")
        #expect(LockedAppendLog.lock(other, patiently: false) == nil)
    }
}
