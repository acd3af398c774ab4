import Synchronization

/// A request to stop reading new rows (the first Ctrl-C). Rows already in flight still finish.
///
/// Set from a signal handler's queue, read by the pipeline between rows.
public final class StopSignal: Sendable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    /// Asks the pipeline to stop after the rows in flight.
    public func request() {
        requested.store(true, ordering: .releasing)
    }

    /// Whether a stop was asked for.
    public var isRequested: Bool {
        requested.load(ordering: .acquiring)
    }
}
