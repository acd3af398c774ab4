import Foundation
import Testing

/// Waits until `condition` holds, checking every 20 ms, and fails the test with `what` if it does not
/// within `timeout`: no wait in a test can hang.
func waitUntil(
    _ what: String, timeout: Duration = .seconds(180), sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out after \(timeout) waiting for \(what)", sourceLocation: sourceLocation)
            throw WaitTimeout(what: what)
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// Thrown by ``waitUntil(_:timeout:sourceLocation:_:)`` so the test stops at the failed wait.
struct WaitTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}
