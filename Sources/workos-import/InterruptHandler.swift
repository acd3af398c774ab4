import Dispatch
import Foundation
import ImportCore

/// Ctrl-C handling: the first SIGINT (or SIGTERM, or SIGHUP when the terminal goes away) asks the import to
/// stop after the rows in flight, so the summary is printed and the journal flushed; a second one exits at
/// once with 130 (the journal keeps the next run safe).
final class InterruptHandler {
    private let stop: StopSignal
    private let stderr: any TextSink
    private let sources: [any DispatchSourceSignal]
    /// The signals that ask for a stop.
    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    init(stop: StopSignal, stderr: any TextSink) {
        self.stop = stop
        self.stderr = stderr
        self.sources = Self.signals.map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
    }

    /// Starts listening; the handler lives for the rest of the process.
    func install() {
        for (signalNumber, source) in zip(Self.signals, sources) {
            signal(signalNumber, SIG_IGN)
            source.setEventHandler { [stop, stderr] in
                if stop.isRequested {
                    stderr.write("\nStopped at once. Run the same command again to continue.\n")
                    _exit(130)
                }
                stop.request()
                stderr.write(
                    "\nStopping: finishing the rows in flight. Press Ctrl-C again to quit at once.\n")
            }
            source.resume()
        }
    }
}
