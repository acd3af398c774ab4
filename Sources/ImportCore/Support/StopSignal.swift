import Synchronization

/// A request to stop starting new work (the first Ctrl-C, SIGTERM or SIGHUP). Work already in flight still
/// finishes, so every command ends with its journal closed and its summary printed.
///
/// One signal for every command: the import and `plan` stop reading new rows, `verify` stops checking new
/// rows, `undo` stops starting new deletions. Set from a signal handler's queue, read between pieces of
/// work.
public final class StopSignal: Sendable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    /// Asks the work to stop after what is in flight.
    public func request() {
        requested.store(true, ordering: .releasing)
    }

    /// Whether a stop was asked for.
    public var isRequested: Bool {
        requested.load(ordering: .acquiring)
    }
}
