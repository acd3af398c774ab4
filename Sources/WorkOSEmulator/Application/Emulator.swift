import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// A running WorkOS User Management emulator on a real TCP port.
///
/// Start one with ``start(_:stopOnSignals:)``, point a client at ``baseURL`` with the configured API key,
/// check what happened with ``snapshot()``, and stop it with ``shutdown()``. The same server also answers
/// `GET /health`, `GET /_emulate/state`, `GET /_emulate/counters`, `PUT /_emulate/config` and
/// `GET`/`DELETE /_emulate/violations` without the key. It runs as a service in a swift-service-lifecycle `ServiceGroup`, which shuts it down gracefully.
public final class Emulator: Sendable {
    /// The host the server is bound to.
    public let host: String
    /// The real bound port (the one the system picked when 0 was asked for).
    public let port: Int
    private let state: EmulatorState
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// `http://<host>:<port>`, the base URL for API clients.
    public var baseURL: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "http://\(shownHost):\(port)"
    }

    private init(host: String, port: Int, state: EmulatorState, group: ServiceGroup, task: Task<Void, any Error>) {
        self.host = host
        self.port = port
        self.state = state
        self.group = group
        self.task = task
    }

    /// Starts serving and returns once the port is listening. With `stopOnSignals`, SIGINT (Ctrl-C) and
    /// SIGTERM shut it down gracefully, as ``shutdown()`` does; ``waitUntilStopped()`` returns then.
    ///
    /// Throws ``EmulatorError`` when the seed or settings are invalid or the address cannot be bound.
    public static func start(_ configuration: EmulatorConfiguration, stopOnSignals: Bool = false) async throws
        -> Emulator
    {
        let state = try EmulatorState(configuration: configuration)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = EmulatorApplication.make(
            state: state, host: configuration.host, port: configuration.port,
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? configuration.port)
                continuation.finish()
            })
        var logger = Logger(label: "workos-emulator")
        logger.logLevel = .critical
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [application], gracefulShutdownSignals: stopOnSignals ? [.sigint, .sigterm] : [],
                logger: logger)
        )
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            let reason: String
            do {
                try await task.value
                reason = "the server stopped before listening"
            } catch {
                reason = "\(error)"
            }
            throw EmulatorError.bindFailed(host: configuration.host, port: configuration.port, reason: reason)
        }
        return Emulator(host: configuration.host, port: port, state: state, group: group, task: task)
    }

    /// The whole state and counters; the same JSON as `GET /_emulate/state`.
    public func snapshot() -> EmulatorSnapshot {
        state.snapshot()
    }

    /// Changes the injected faults from now on.
    public func setFaults(_ faults: EmulatorFaults) {
        state.setFaults(faults)
    }

    /// Changes the rate limits (nil = off); windows start afresh.
    public func setRateLimits(_ limits: EmulatorRateLimits?) {
        state.setRateLimits(limits)
    }

    /// Turns `Idempotency-Key` replays on or off.
    public func setHonorsIdempotencyKeys(_ on: Bool) {
        state.setHonorsIdempotencyKeys(on)
    }

    /// Turns the creation of SSO connections on or off from now on (off: `POST /connections` answers 404, as
    /// WorkOS does for an environment without the feature).
    public func setSSOConnectionsEnabled(_ on: Bool) {
        state.setSSOConnectionsEnabled(on)
    }

    /// Switches the metadata and external_id limits (documented or spec) from now on.
    public func setFieldLimits(_ limits: EmulatorFieldLimits) {
        state.setFieldLimits(limits)
    }

    /// A rehearsal of a list whose cursor is lost: the next `count` user lists asked with an `after`
    /// cursor first delete that cursor's user (as someone else would between two pages) and then answer an
    /// empty page, as the live API has been seen to. A control facility for tests, not an API route.
    public func loseUserCursors(_ count: Int) {
        state.loseUserCursors(count)
    }

    /// Deletes an SSO connection as someone else would behind an import, for tests that check what is
    /// found missing. Throws when there is no such connection.
    public func deleteConnection(id: String) throws {
        try state.withStore { store, _ throws(APIError) in try store.deleteConnection(id: id) }
    }

    /// Simulates a sign-in: the user with this id or email gets `last_sign_in_at` `at` (ISO 8601; now when
    /// nil), as `POST /_emulate/sign_in` does. Throws when there is no such user.
    public func signIn(user: String, at: String? = nil) throws {
        _ = try state.withStore { store, now throws(APIError) in try store.signIn(user, at: at, now: now) }
    }

    /// How many API requests the emulator is answering right now. After a client is killed, the requests it
    /// had sent are still answered; a test waits for this to reach zero before it reads the state as final.
    public var requestsInFlight: Int {
        state.requestsInFlight
    }

    /// Turns strict mode (checking every request against WorkOS's spec) on or off from now on.
    public func setStrict(_ on: Bool) {
        state.setStrict(on)
    }

    /// The requests strict mode found outside the spec so far, in order (the first
    /// ``ViolationLog/limit``); empty when every request conformed.
    public func violations() -> [RequestViolation] {
        state.violations.violations
    }

    /// The violations recorded so far, forgetting them: a test that sends a bad request on purpose takes
    /// the violation it expects, so what is left is what its client got wrong.
    public func takeViolations() -> [RequestViolation] {
        state.takeViolations().violations
    }

    /// Returns once the server has stopped, after ``shutdown()`` or, when started with `stopOnSignals`, a
    /// SIGINT or SIGTERM; requests in progress have finished by then.
    public func waitUntilStopped() async {
        _ = try? await task.value
    }

    /// Stops accepting connections, lets requests in progress finish, and returns when stopped.
    public func shutdown() async {
        await group.triggerGracefulShutdown()
        await waitUntilStopped()
    }
}
