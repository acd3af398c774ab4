import Foundation
import Testing
import WorkOSClient

@testable import ImportCore

/// The row scheduler driven by hand, without tasks or WorkOS: rows are record numbers, groups the first
/// record of an email on several rows.
@Suite("Row scheduler")
struct RowSchedulerTests {
    static func ok(_ user: String? = "user_1", outcome: UserOutcome = .existed, factor: FactorOutcome = .none)
        -> RowResult
    {
        RowResult(outcome: outcome, userId: user, factor: factor)
    }

    static func failed(_ record: Int, halt: ImportHalt? = nil) -> RowResult {
        RowResult(
            failed: RowFailure(
                recordNumber: record, line: record + 1, email: "x@example.com", stage: .user, message: "no",
                timestamp: Date(timeIntervalSince1970: 0)), halt: halt)
    }

    @Test("a row whose email is in flight is held, and starts once that row has settled, in file order")
    func holdsRepeatedEmails() {
        var scheduler = RowScheduler<Int>(maxFailures: .off)
        #expect(scheduler.offer(1, group: 1) == 1)
        #expect(scheduler.offer(2, group: 1) == nil, "the second row of the email waits for the first")
        #expect(scheduler.offer(3, group: nil) == 3, "another user's row does not wait")
        #expect(scheduler.offer(4, group: 1) == nil)
        #expect(scheduler.inFlight == 2)
        #expect(scheduler.heldCount == 2)
        #expect(scheduler.releaseHeld(limit: 8, stopping: false).isEmpty, "row 1 is still in flight")

        let recorded1 = scheduler.settled(group: 1, result: Self.ok("user_7", outcome: .imported))
        #expect(recorded1)
        #expect(scheduler.releaseHeld(limit: 8, stopping: false) == [2], "one row of the email at a time")
        #expect(scheduler.learnt(group: 1) == RowScheduler<Int>.Learnt(userId: "user_7", createdByThisImport: true))
        let recorded2 = scheduler.settled(group: 1, result: Self.ok("user_7", factor: .enrolled))
        #expect(recorded2)
        #expect(scheduler.releaseHeld(limit: 8, stopping: false) == [4])
        #expect(
            scheduler.learnt(group: 1)
                == RowScheduler<Int>.Learnt(userId: "user_7", createdByThisImport: true, factorSettled: true),
            "what earlier rows learnt is kept")
        #expect(scheduler.heldCount == 0)
    }

    @Test("held rows start only while places are free and the run goes on")
    func releaseRespectsLimitAndStop() {
        var scheduler = RowScheduler<Int>(maxFailures: .off)
        _ = scheduler.offer(1, group: 1)
        _ = scheduler.offer(2, group: 2)
        _ = scheduler.offer(3, group: 1)
        _ = scheduler.offer(4, group: 2)
        let recorded3 = scheduler.settled(group: 1, result: Self.ok())
        #expect(recorded3)
        let recorded4 = scheduler.settled(group: 2, result: Self.ok())
        #expect(recorded4)
        #expect(scheduler.releaseHeld(limit: 2, stopping: true).isEmpty, "a stop starts nothing")
        #expect(scheduler.releaseHeld(limit: 1, stopping: false) == [3], "one place free")
        #expect(scheduler.releaseHeld(limit: 1, stopping: false).isEmpty)
        #expect(scheduler.releaseHeld(limit: 2, stopping: false) == [4])
    }

    @Test("reading stops at the limit in flight, or when the list of held rows is full")
    func mayRead() {
        var scheduler = RowScheduler<Int>(maxFailures: .off)
        #expect(scheduler.mayRead(limit: 1))
        _ = scheduler.offer(0, group: 0)
        #expect(!scheduler.mayRead(limit: 1))
        #expect(scheduler.mayRead(limit: 2))
        for record in 1...63 { _ = scheduler.offer(record, group: 0) }
        #expect(scheduler.heldCount == 63)
        #expect(scheduler.mayRead(limit: 2))
        _ = scheduler.offer(64, group: 0)
        #expect(!scheduler.mayRead(limit: 2), "at most max(4 × limit, 64) rows are held")
        #expect(scheduler.mayRead(limit: 17), "a higher limit holds more")
    }

    @Test(
        "--max-failures stops the run after the failures it allows",
        arguments: [
            // (limit, outcomes in order: true = failed, rows recorded before the stop)
            (FailureLimit.consecutive(2), [true, false, true, true, true], 4),
            (FailureLimit.total(2), [true, false, true, true], 3),
            (FailureLimit.off, [true, true, true, true], nil),
        ] as [(FailureLimit, [Bool], Int?)])
    func maxFailures(limit: FailureLimit, failures: [Bool], stopsAfter: Int?) {
        var scheduler = RowScheduler<Int>(maxFailures: limit)
        var failed = 0
        var stoppedAt: Int?
        for (index, fails) in failures.enumerated() {
            _ = scheduler.offer(index, group: nil)
            let recorded5 = scheduler.settled(group: nil, result: fails ? Self.failed(index) : Self.ok())
            #expect(recorded5)
            if fails { failed += 1 }
            scheduler.recorded(failed: fails, failedSoFar: failed)
            if scheduler.isStopped, stoppedAt == nil { stoppedAt = index + 1 }
        }
        #expect(stoppedAt == stopsAfter)
        #expect(!scheduler.isStopped || !scheduler.mayRead(limit: 8), "a stopped run reads no more rows")
    }

    @Test("rows failing their checks count towards a total --max-failures only")
    func failuresBeforeSending() {
        var total = RowScheduler<Int>(maxFailures: .total(2))
        total.failedBeforeSending(failedSoFar: 1)
        #expect(!total.isStopped)
        total.failedBeforeSending(failedSoFar: 2)
        #expect(total.stoppedAfterFailures == 2)

        var consecutive = RowScheduler<Int>(maxFailures: .consecutive(1))
        consecutive.failedBeforeSending(failedSoFar: 5)
        #expect(!consecutive.isStopped, "the consecutive limit counts failures at WorkOS only")
    }

    @Test("a row that halts the run is not recorded, stops the run and names the first halt")
    func halt() {
        var scheduler = RowScheduler<Int>(maxFailures: .off)
        _ = scheduler.offer(1, group: nil)
        _ = scheduler.offer(2, group: 2)
        _ = scheduler.offer(3, group: 2)
        let first = ImportHalt.journal(.inUse(path: "a"))
        let recorded6 = scheduler.settled(group: nil, result: Self.failed(1, halt: first))
        #expect(!recorded6)
        let recorded7 = scheduler.settled(group: 2, result: Self.failed(2, halt: .journal(.inUse(path: "b"))))
        #expect(!recorded7)
        #expect(scheduler.halt == first)
        #expect(scheduler.halted == 2)
        #expect(scheduler.isStopped)
        #expect(scheduler.releaseHeld(limit: 8, stopping: false).isEmpty, "a halted run starts no held row")
        #expect(scheduler.heldCount == 1)
    }
}
