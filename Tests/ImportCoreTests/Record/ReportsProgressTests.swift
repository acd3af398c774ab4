import Foundation
import Synchronization
import Testing

@testable import ImportCore

@Suite("Reports: progress")
struct ReportsProgressTests {
    @Test("The progress line shows done of total, rate, ETA and counts")
    func lineContent() {
        let line = ProgressReporter.line(
            done: 12_340, total: 100_000, ok: 12_300, failed: 40, bytesFraction: nil, elapsed: .seconds(252.35))
        #expect(line == "12,340 / 100,000 rows (12%)  48.9 rows/s  ETA 29m53s  ok 12,300  failed 40")
    }

    @Test("Without a total the byte position gives the percentage and ETA")
    func byteFraction() {
        let line = ProgressReporter.line(
            done: 500, total: nil, ok: 500, failed: 0, bytesFraction: 0.25, elapsed: .seconds(10))
        #expect(line == "500 rows (25%)  50.0 rows/s  ETA 30s  ok 500  failed 0")
        let unknown = ProgressReporter.line(
            done: 500, total: nil, ok: 499, failed: 1, bytesFraction: nil, elapsed: .seconds(10))
        #expect(unknown == "500 rows  50.0 rows/s  ok 499  failed 1")
    }

    @Test("A row line printed during a run first clears the live line, which comes back at its next draw")
    func rowLinesDoNotOverwriteProgress() throws {
        let clock = ReportsFakeClock()
        let screen = CapturedText()
        let progress = ProgressReporter(sink: screen, isTerminal: true, total: 10) { clock.now }
        let recorder = OutcomeRecorder(
            outputs: OutcomeRecorder.Outputs(stdout: screen, stderr: screen, rowLines: true, progress: progress))
        recorder.progress(bytesFraction: nil)
        #expect(screen.text.hasPrefix("\r0 / 10 rows"))
        let failure = RowFailure(
            recordNumber: 1, line: 2, email: "a@", stage: .validation, message: "line 2: bad", timestamp: Date())
        try recorder.record(failure: failure, fields: ["a@"], bytes: 0..<0)
        // The clearing sequence comes right before the row's mark, so the row starts at column 0 of a clean line.
        #expect(screen.text.contains("\u{1B}[K\r\u{1B}[K✗ line 2"))
        clock.advance(.milliseconds(150))
        recorder.progress(bytesFraction: nil)
        #expect(screen.text.hasSuffix("failed 1\u{1B}[K"))
    }

    @Test("On a terminal the live line is redrawn at most ten times a second")
    func terminalThrottle() {
        let clock = ReportsFakeClock()
        let sink = CapturedText()
        let progress = ProgressReporter(sink: sink, isTerminal: true, total: 100) { clock.now }
        var draws: [Int] = []
        for done in 1...30 {
            clock.advance(.milliseconds(20))
            let before = sink.text.count
            progress.update(done: done, ok: done, failed: 0, bytesFraction: nil)
            if sink.text.count != before { draws.append(done) }
        }
        #expect(draws == [1, 6, 11, 16, 21, 26])
        #expect(sink.text.hasPrefix("\r1 / 100 rows (1%)"))
        #expect(sink.text.hasSuffix("\u{1B}[K"))
        #expect(!sink.text.contains("\n"))
    }

    @Test("Off a terminal a plain line is printed every five seconds")
    func plainThrottle() {
        let clock = ReportsFakeClock()
        let sink = CapturedText()
        let progress = ProgressReporter(sink: sink, isTerminal: false, total: 1_000) { clock.now }
        for done in 1...24 {
            clock.advance(.seconds(0.5))
            progress.update(done: done, ok: done, failed: 0, bytesFraction: nil)
        }
        let lines = sink.text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("10 / 1,000 rows (1%)") == true)
        #expect(lines.last?.hasPrefix("20 / 1,000 rows (2%)") == true)
        #expect(!sink.text.contains("\r"))
    }

    @Test("Finishing clears the live line and stops drawing")
    func finish() {
        let clock = ReportsFakeClock()
        let sink = CapturedText()
        let progress = ProgressReporter(sink: sink, isTerminal: true, total: 10) { clock.now }
        progress.update(done: 1, ok: 1, failed: 0, bytesFraction: nil)
        progress.finish()
        #expect(sink.text.hasSuffix("\r\u{1B}[K"))
        let after = sink.text
        clock.advance(.seconds(1))
        progress.update(done: 2, ok: 2, failed: 0, bytesFraction: nil)
        progress.finish()
        #expect(sink.text == after)
    }

    @Test("The live line is cut to the terminal's width so it never wraps")
    func fitsWidth() {
        let clock = ReportsFakeClock()
        let sink = CapturedText()
        let progress = ProgressReporter(sink: sink, isTerminal: true, total: 100_000, maxWidth: 20) { clock.now }
        progress.update(done: 12_340, ok: 12_300, failed: 40, bytesFraction: nil)
        #expect(sink.text == "\r12,340 / 100,000 ro\u{1B}[K")
    }

    @Test("Finishing off a terminal writes nothing")
    func finishPlain() {
        let clock = ReportsFakeClock()
        let sink = CapturedText()
        let progress = ProgressReporter(sink: sink, isTerminal: false, total: 10) { clock.now }
        progress.update(done: 1, ok: 1, failed: 0, bytesFraction: nil)
        progress.finish()
        #expect(sink.text.isEmpty)
    }

    @Test("A total learned after the import started shows in the next progress line")
    func totalLearnedLater() {
        let clock = ReportsFakeClock()
        let sink = CapturedText()
        let progress = ProgressReporter(sink: sink, isTerminal: false, total: nil) { clock.now }
        progress.update(done: 50, ok: 50, failed: 0, bytesFraction: nil)
        progress.setTotal(200)
        clock.advance(.seconds(5))
        progress.update(done: 50, ok: 50, failed: 0, bytesFraction: nil)
        #expect(sink.text == "50 / 200 rows (25%)  10.0 rows/s  ETA 15s  ok 50  failed 0\n")
    }
}

@Suite("Reports: text helpers")
struct ReportsTextTests {
    @Test(
        "Counts are grouped by thousands",
        arguments: [(0, "0"), (999, "999"), (1_000, "1,000"), (1_234_567, "1,234,567"), (-1_000, "-1,000")])
    func grouped(value: Int, text: String) {
        #expect(ReportText.grouped(value) == text)
    }

    @Test(
        "Durations read naturally",
        arguments: [(0.421, "0.42s"), (12.34, "12.3s"), (62.4, "1m 02s"), (3723, "1h 02m 03s")])
    func duration(seconds: Double, text: String) {
        #expect(ReportText.duration(seconds) == text)
    }

    @Test("ETAs are compact", arguments: [(45.0, "45s"), (1793.2, "29m54s"), (7500, "2h05m"), (-1, "--")])
    func eta(seconds: Double, text: String) {
        #expect(ReportText.eta(seconds) == text)
    }

    @Test(
        "Colour is off with NO_COLOR or a dumb terminal",
        arguments: [
            ([String: String](), true), (["NO_COLOR": "1"], false), (["NO_COLOR": ""], true), (["TERM": "dumb"], false),
            (["TERM": "xterm-256color"], true),
        ])
    func color(environment: [String: String], allowed: Bool) {
        #expect(TerminalDetection.colorAllowed(environment: environment) == allowed)
    }

    @Test("A file is not a terminal and has no width")
    func fileIsNotTerminal() throws {
        let folder = try ReportsTempFolder()
        defer { folder.cleanup() }
        let path = folder.path("out.txt")
        let fd = try SecureFile.open(path: path, append: false)
        defer { try? SecureFile.close(fd, path: path) }
        #expect(!TerminalDetection.isTerminal(fd))
        #expect(TerminalDetection.columns(fd) == nil)
        #expect(!TerminalDetection.useColor(for: fd))
    }
}

@Suite("Reports: progress load")
struct ReportsProgressLoadTests {
    static func load(_ constraint: AdaptiveConcurrency.Constraint, writes: Int = 0) -> ConcurrencyControl.Snapshot {
        ConcurrencyControl.Snapshot(
            rowsInFlight: 23, limit: 31, ceiling: 64, writesSent: writes, writeRateTarget: 49,
            constraint: constraint, peakRowsInFlight: 30)
    }

    @Test("the line shows the write rate against the limit and the rows in flight, with what holds them")
    func loadPart() {
        let line = ProgressReporter.line(
            done: 100, total: 1_000, ok: 100, failed: 0, bytesFraction: nil, elapsed: .seconds(4),
            load: ProgressReporter.LoadLine(load: Self.load(.rateLimit), writeRate: 48.94))
        #expect(
            line
                == "100 / 1,000 rows (10%)  25.0 rows/s  writes 48.9/s of 49  in flight 23/31 (rate limit)  ETA 36s  ok 100  failed 0"
        )
        var fixed = Self.load(.fixed)
        fixed.writeRateTarget = nil
        let pinned = ProgressReporter.line(
            done: 1, total: nil, ok: 1, failed: 0, bytesFraction: nil, elapsed: .seconds(1),
            load: ProgressReporter.LoadLine(load: fixed, writeRate: nil))
        #expect(pinned == "1 rows  1.0 rows/s  writes --/s  in flight 23 (fixed)  ok 1  failed 0")
    }

    @Test("the reporter measures the write rate over the last seconds from the writes sent")
    func measuredWriteRate() {
        let clock = ReportsFakeClock()
        let screen = CapturedText()
        let writes = WriteCounter()
        let progress = ProgressReporter(
            sink: screen, isTerminal: false, total: 1_000,
            load: { ReportsProgressLoadTests.load(.growing, writes: writes.value) }, now: { clock.now })
        for second in 1...20 {
            clock.advance(.seconds(1))
            writes.value = second <= 10 ? second * 10 : 100 + (second - 10) * 40
            progress.update(done: second, ok: second, failed: 0, bytesFraction: nil)
        }
        // Plain lines come every five seconds; the last one (at 20 s) sees 40 writes/s over the last ten seconds.
        let last = screen.text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.contains("writes 40.0/s of 49"), "\(screen.text)")
        #expect(last.contains("in flight 23/31 (growing)"))
    }
}

/// A writes-sent count a test moves by hand.
final class WriteCounter: Sendable {
    private let count = Mutex(0)

    var value: Int {
        get { count.withLock { $0 } }
        set { count.withLock { $0 = newValue } }
    }
}
