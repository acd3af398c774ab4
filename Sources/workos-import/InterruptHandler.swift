import Dispatch
import ImportCore
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ctrl-C handling, one mechanism for every subcommand that works for more than a moment (import, plan,
/// verify, undo): the first SIGINT (or SIGTERM, or SIGHUP when the terminal goes away) asks the work to
/// stop after what is in flight, through the ``StopSignal`` the work checks before it starts anything new,
/// so journals are closed and the summary is printed; the command then exits 130. A second one exits at
/// once with 130 (a journal keeps the next run safe).
///
/// While the command waits on a person (a confirmation prompt), nothing has started, so a signal then ends
/// the process at once (``waitingOnPerson(_:)``).
///
/// `@unchecked Sendable`: the signal sources are set up once, in ``install()``, and only the dispatch queue
/// touches them afterwards; the rest is immutable or behind a lock.
final class InterruptHandler: @unchecked Sendable {
    /// What the command does, in the words of its messages.
    struct Wording: Sendable {
        /// What is left to finish after the first signal, e.g. "the rows in flight".
        var inFlight: String
        /// What the person does next, after a stop at once.
        var next: String

        /// The import: its journal lets the same command continue.
        static let importRun = Wording(
            inFlight: "the rows in flight", next: "Run the same command again to continue.")
        /// `plan` and `verify` keep no journal: they are simply run again.
        static let readOnly = Wording(
            inFlight: "the rows being read", next: "Nothing was written; run the same command again.")
        /// `undo`: its journal lets the same command continue.
        static let undo = Wording(
            inFlight: "the deletions in flight", next: "Run the same command again to continue.")
        /// `export`: its file is replaced only when complete, so it is simply run again.
        static let export = Wording(
            inFlight: "the page being read", next: "Nothing was written; run the same command again.")
    }

    private let stop: StopSignal
    private let stderr: any TextSink
    private let wording: Wording
    private let sources: [any DispatchSourceSignal]
    /// Set while the command waits on a person: a signal then ends the process with this message.
    private let atOnce = Mutex<String?>(nil)
    /// The signals that ask for a stop.
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    init(stop: StopSignal, stderr: any TextSink, wording: Wording = .importRun) {
        self.stop = stop
        self.stderr = stderr
        self.wording = wording
        self.sources = Self.signals.map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
    }

    /// Starts listening; the handler lives for the rest of the process.
    func install() {
        for (signalNumber, source) in zip(Self.signals, sources) {
            signal(signalNumber, SIG_IGN)
            source.setEventHandler { [self] in handle() }
            source.resume()
        }
    }

    /// One signal: a stop asked for, or (the second, or while waiting on a person) the end at once.
    private func handle() {
        if let message = atOnce.withLock({ $0 }) {
            stderr.write("\n\(message)\n")
            _exit(130)
        }
        if stop.isRequested {
            // An output written beside its destination (export's) must not outlive the process.
            TemporaryOutputFiles.shared.removeAll()
            stderr.write("\nStopped at once. \(wording.next)\n")
            _exit(130)
        }
        stop.request()
        stderr.write("\nStopping: finishing \(wording.inFlight). Press Ctrl-C again to quit at once.\n")
    }

    /// Runs `body` (a prompt), during which a signal ends the process at once, saying `message`: nothing
    /// has started that a stop would have to finish.
    func waitingOnPerson<T>(_ message: String, _ body: () -> T) -> T {
        atOnce.withLock { $0 = message }
        defer { atOnce.withLock { $0 = nil } }
        return body()
    }
}
