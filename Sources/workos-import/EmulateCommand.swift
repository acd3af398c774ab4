import ArgumentParser
import ImportCore
import WorkOSEmulator

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `workos-import emulate`: serves the built-in WorkOS emulator until Ctrl-C.
///
/// Only wiring: flags become an ``EmulatorConfiguration``; all behaviour is in `WorkOSEmulator`.
/// The first line printed is the base URL, so scripts can start it with `--port 0` and read it.
struct EmulateCommand: AsyncParsableCommand {
    /// Name, abstract and help text of the subcommand.
    static let configuration = CommandConfiguration(
        commandName: "emulate",
        abstract: "Serve a local WorkOS User Management emulator for tests and rehearsals.",
        discussion: """
            Serves until Ctrl-C or SIGTERM, then finishes requests in progress and writes --state-out.
            Without the API key: GET /health, GET /_emulate/state (state and counters),
            PUT /_emulate/config (change faults, rate limits, idempotency, limits and strict mode while
            running) and GET /_emulate/violations (with --strict: the requests WorkOS would refuse).
            """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 4100

    @Option(help: "The secret key clients must send as 'Authorization: Bearer <key>'.")
    var apiKey = "sk_test_default"

    @Option(help: "JSON file of users, organizations, memberships and roles to load first.")
    var seedFile: String?

    @Option(help: "Write the final state and counters to this JSON file on shutdown (mode 0600).")
    var stateOut: String?

    @Flag(help: "Turn rate limiting off.")
    var noRateLimits = false

    @Option(help: "Writes allowed per window on /user_management/*.")
    var rateLimitWrites = 500

    @Option(help: "Reads allowed per window on /user_management/*.")
    var rateLimitReads = 1_000

    @Option(help: "Rate-limit window in seconds.")
    var rateLimitWindow = 10.0

    @Option(help: "Requests allowed per 60 s on any API path; 0 turns this limit off.")
    var rateLimitGeneral = 6_000

    @Option(
        help:
            "How limits are enforced: 'sliding' (at most N in any window), 'fixed' (N per window aligned to the clock) or 'token' (a token bucket refilled at N per window)."
    )
    var limiter: EmulatorLimiterModel = .sliding

    @Option(help: "With --limiter token, the most tokens each bucket holds (default: the budget's limit).")
    var tokenCapacity: Int?

    @Option(help: "Fixed latency added to every API request, in milliseconds.")
    var latencyMs = 0

    @Option(help: "Random extra latency, 0 up to this many milliseconds.")
    var latencyJitterMs = 0

    @Option(help: "Extra latency for each other API request in flight when a request arrives, in milliseconds.")
    var latencyPerInFlightMs = 0

    @Option(help: "Share (0-1) of requests answered with 500, 502 or 503.")
    var errorShare = 0.0

    @Option(help: "Share (0-1) of requests whose connection is reset before the work is done.")
    var resetShare = 0.0

    @Option(help: "Share (0-1) of requests carried out and then dropped without an answer.")
    var commitThenDropShare = 0.0

    @Flag(help: "Ignore Idempotency-Key headers instead of replaying the first answer.")
    var ignoreIdempotencyKeys = false

    @Flag(help: "Allow more than one role per membership.")
    var multipleRoles = false

    @Option(help: "Comma-separated environment role slugs, in priority order.")
    var environmentRoles = "admin,member"

    @Flag(help: "Answer a duplicate email with the legacy 409 user_already_exists.")
    var legacyDuplicateEmail = false

    @Flag(
        help:
            "Answer POST /connections with 404, as an environment without API-created SSO connections does.")
    var ssoConnectionsOff = false

    @Flag(
        help:
            "Check every request against WorkOS's API spec: refuse what WorkOS refuses (422, or 404 for a route it lacks) and list each problem at GET /_emulate/violations."
    )
    var strict = false

    @Option(
        help:
            "Metadata and external_id limits: 'documented' (10 ASCII metadata keys, external_id up to 64) or 'spec' (50 keys, any text, up to 128), as the importer's --limits."
    )
    var limits: EmulatorFieldLimits = .documented

    /// Refuses a token capacity below one, or one given without the token-bucket limiter.
    func validate() throws {
        if let tokenCapacity {
            guard tokenCapacity >= 1 else {
                throw ValidationError("--token-capacity must be at least 1, got \(tokenCapacity).")
            }
            guard limiter == .token else {
                throw ValidationError("--token-capacity applies only with --limiter token.")
            }
        }
    }

    /// Starts the emulator, prints its base URL, and serves until SIGINT or SIGTERM.
    func run() async throws {
        var configuration = EmulatorConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.apiKey = apiKey
        configuration.rateLimits =
            noRateLimits
            ? nil
            : EmulatorRateLimits(
                writes: rateLimitWrites, reads: rateLimitReads, window: rateLimitWindow,
                general: rateLimitGeneral > 0 ? rateLimitGeneral : nil, model: limiter, tokenCapacity: tokenCapacity)
        configuration.faults = EmulatorFaults(
            latencyMilliseconds: latencyMs, latencyJitterMilliseconds: latencyJitterMs, errorShare: errorShare,
            resetShare: resetShare, commitThenDropShare: commitThenDropShare,
            latencyPerInFlightMilliseconds: latencyPerInFlightMs)
        configuration.honorsIdempotencyKeys = !ignoreIdempotencyKeys
        configuration.multipleRolesEnabled = multipleRoles
        configuration.environmentRoles = environmentRoles.split(separator: ",").map {
            $0.trimmingSpaces()
        }
        configuration.legacyDuplicateEmailConflict = legacyDuplicateEmail
        configuration.ssoConnectionsEnabled = !ssoConnectionsOff
        configuration.strict = strict
        configuration.fieldLimits = limits
        if let seedFile {
            configuration.seed = try EmulatorSeed.load(path: seedFile)
        }
        let emulator = try await Emulator.start(configuration, stopOnSignals: true)
        StandardOutput().write(emulator.baseURL + "\n")
        await emulator.waitUntilStopped()
        if let stateOut {
            try emulator.snapshot().write(to: stateOut)
        }
    }
}

extension EmulatorFieldLimits: ExpressibleByArgument {}

extension EmulatorLimiterModel: ExpressibleByArgument {}
