import Foundation
import ImportCore
import Testing
import WorkOSClient

/// Every row in flight keeps its steps' results and errors across their awaits, in its task's frames; the
/// large, rarely set parts live on the heap so those frames stay small.
@Suite("Row values kept across awaits")
struct RowValueSizeTests {
    static let failure = RowFailure(
        recordNumber: 3, line: 4, email: "ada@example.com", userId: "user_1", organization: nil, stage: .membership,
        message: "the membership failed", httpStatus: 422, workosCode: "invalid_role", workosRequestId: "req_1",
        timestamp: Date(timeIntervalSince1970: 0), reason: nil)

    @Test("an error, a halt and a result's failure are one word each where they are kept")
    func sizes() {
        #expect(MemoryLayout<WorkOSClientError>.size == MemoryLayout<Int>.size)
        #expect(MemoryLayout<ImportHalt?>.size <= MemoryLayout<Int>.size + 1)
        // Without the boxes a result was over 400 bytes; with them its own fields are what is left.
        #expect(MemoryLayout<RowResult>.size <= 160, "RowResult is \(MemoryLayout<RowResult>.size) bytes")
    }

    @Test("a result's failure reads back as set, and results compare by the failure's value")
    func failureRoundTrip() {
        var result = RowResult(outcome: .imported, userId: "user_1")
        #expect(result.failure == nil)
        result.failure = Self.failure
        #expect(result.failure == Self.failure)
        var same = RowResult(outcome: .imported, userId: "user_1")
        same.failure = Self.failure
        #expect(result == same)
        var other = Self.failure
        other.message = "another message"
        same.failure = other
        #expect(result != same)
        result.failure = nil
        #expect(result.failure == nil)
        #expect(result == RowResult(outcome: .imported, userId: "user_1"))
        let halted = RowResult(failed: Self.failure, halt: .journal(.permissionDenied(path: "/tmp/journal")))
        #expect(halted.failure == Self.failure)
        #expect(halted.outcome == .failed)
        #expect(halted.halt == .journal(.permissionDenied(path: "/tmp/journal")))
    }
}
