import Dispatch
import Synchronization

/// One piece of synchronous work started on a thread of its own, whose result is collected later.
///
/// A dry run is a synchronous loop on one core; the machine usually has another. Work that reads the file
/// independently (the scan for repeated emails) runs beside it and is waited for only when its answer is
/// needed, so the two passes take the time of one.
final class BackgroundWork<Value: Sendable, Failure: Error>: Sendable {
    private let result = Mutex<Result<Value, Failure>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Starts `work` at once on a global queue.
    init(_ work: @escaping @Sendable () throws(Failure) -> Value) {
        DispatchQueue.global(qos: .userInitiated).async {
            let outcome: Result<Value, Failure>
            do throws(Failure) {
                outcome = .success(try work())
            } catch {
                outcome = .failure(error)
            }
            self.result.withLock { $0 = outcome }
            self.done.signal()
        }
    }

    /// Waits for the work to finish and returns its value, or throws its error. Later calls return at once.
    func wait() throws(Failure) -> Value {
        if let finished = result.withLock({ $0 }) { return try finished.get() }
        done.wait()
        return try result.withLock { $0 }!.get()
    }
}
