import Foundation
import Testing

@testable import ImportCore

/// Remembers what a sink was told, in one log shared by several sinks so their order shows.
final class LoggingSink: OutcomeSink {
    let name: String
    let log: CapturedText

    init(_ name: String, log: CapturedText) {
        self.name = name
        self.log = log
    }

    func take(_ row: SettledRow) throws(ImportError) {
        switch row {
        case .failed(let failure, _, _, let effects):
            log.write("\(name) failed line \(failure.line)\(effects == nil ? "" : " with effects")\n")
        case .succeeded(let result, let row):
            log.write("\(name) \(result.outcome) line \(row.line)\n")
        }
    }

    func update(done: Int, ok: Int, failed: Int, bytesFraction: Double?) {
        log.write("\(name) progress \(done) \(ok) \(failed)\n")
    }

    func finish() throws(ImportError) {
        log.write("\(name) finish\n")
    }
}

@Suite("Reports: outcome sinks")
struct ReportsOutcomeSinkTests {
    static let failure = RowFailure(
        recordNumber: 2, line: 3, email: "b@", stage: .validation, message: "line 3: bad", timestamp: Date())

    @Test("The recorder hands each settled row to every sink in its order, and finishes them in that order")
    func sinksInOrder() throws {
        let log = CapturedText()
        let recorder = OutcomeRecorder(
            sinks: [LoggingSink("files", log: log), LoggingSink("journal", log: log)], stderr: CapturedText())
        try recorder.record(
            result: RowResult(outcome: .imported, userId: "user_1"),
            row: ImportRow(recordNumber: 1, line: 2, email: "a@example.com"), fields: [])
        try recorder.record(failure: Self.failure, fields: ["b@"], bytes: 0..<2)
        recorder.progress(bytesFraction: nil, alsoSettled: 3)
        try recorder.closeFiles()
        #expect(
            log.text == """
                files imported line 2
                journal imported line 2
                files failed line 3
                journal failed line 3
                files progress 5 4 1
                journal progress 5 4 1
                files finish
                journal finish

                """)
        #expect(recorder.summary.counts.created == 1)
        #expect(recorder.summary.counts.failed == 1)
    }

    @Test("A row that reached WorkOS and then failed reaches the sinks as a failure with what it did")
    func failedResultCarriesEffects() throws {
        let log = CapturedText()
        let recorder = OutcomeRecorder(sinks: [LoggingSink("plan", log: log)], stderr: CapturedText())
        var result = RowResult(failed: Self.failure)
        result.membership = .created
        try recorder.record(result: result, row: ImportRow(recordNumber: 2, line: 3, email: "b@"), fields: [])
        #expect(log.text == "plan failed line 3 with effects\n")
        #expect(recorder.summary.counts.membershipsCreated == 1)
    }

    @Test("An import's outputs become sinks in their order of durability, a mode's files before the journal")
    func outputsOrder() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let screen = CapturedText()
        let journal = try JournalWriter.create(
            path: folder.path("import.journal"), header: JournalFixtures.header())
        defer { try? journal.finish(complete: false) }
        let errorFile = try ErrorFileWriter(path: folder.path("errors.json"), header: ["email"], append: false)
        defer { try? errorFile.close() }
        let outputs = OutcomeRecorder.Outputs(
            stdout: screen, stderr: screen, rowLines: true, errorFile: errorFile,
            journal: journal,
            progress: ProgressReporter(sink: screen, isTerminal: false, total: nil, now: { .now }))
        let sinks = outputs.sinks(adding: [LoggingSink("plan", log: CapturedText())])
        #expect(
            sinks.map { String(describing: type(of: $0)) }
                == ["ProgressReporter", "ErrorFileWriter", "LoggingSink", "JournalSink", "RowLineSink"])
        let quiet = OutcomeRecorder.Outputs(stdout: screen, stderr: screen, rowLines: false).sinks()
        #expect(quiet.isEmpty)
    }
}
