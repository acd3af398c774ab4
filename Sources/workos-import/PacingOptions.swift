import ArgumentParser
import ImportCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How fast requests go: rows in flight, rates and retries. The import, `plan` and `verify` take these alike.
struct PacingOptions: ParsableArguments {
    @Option(
        name: .customLong("concurrency"), parsing: .unconditional,
        help: ArgumentHelp(
            "The most rows in flight at once, 1 to 500 (default 500, or 64 with --rate-limit off). Example: --concurrency 20",
            discussion:
                "The import finds its own level below this ceiling: more rows in flight while the rate limit is not used up and latency is steady, but no more than send a window of writes (or the run's, when fewer) within a quarter second at that latency (one or a handful near WorkOS, hundreds half a second away); fewer when latency climbs or WorkOS answers with timeouts or 5xx."
        ))
    var concurrencyCeiling: Int?

    @Flag(
        name: .customLong("fixed-concurrency"),
        help: "Keep exactly --concurrency rows in flight (default 10) instead of adapting.")
    var fixedConcurrency = false

    @Option(
        name: .customLong("rate-limit"), parsing: .unconditional,
        help:
            "User-management writes per second, averaged over 10-second windows (N × 10 per 10 s), or 'off' (which turns all pacing off). The default is WorkOS's write limit, 50 (500 per 10 s); a lower value leaves the rest to a live application. Example: --rate-limit 20"
    )
    var rateLimit: PacingPolicy.Rate = .limited(PacingPolicy.defaultWritesPerSecond)

    @Option(
        name: .customLong("read-rate-limit"), parsing: .unconditional,
        help:
            "User-management reads per second (look-ups), averaged over 10-second windows, or 'off'. The default is WorkOS's read limit, 100 (1,000 per 10 s). Example: --read-rate-limit 50"
    )
    var readRateLimit: PacingPolicy.Rate?

    @Option(
        name: .customLong("max-retries"), parsing: .unconditional,
        help: "Retries of a request after 429, 408, 5xx or a network error (2 to 50). Example: --max-retries 8")
    var maxRetries = 5

    /// The window `--rate-limit` and `--read-rate-limit` are averaged over: WorkOS's 10 s. Hidden: only an
    /// emulator with shorter windows (tests) needs another.
    @Option(name: .customLong("rate-window"), parsing: .unconditional, help: .hidden)
    var rateWindowSeconds: Double = PacingPolicy.defaultWindowSeconds

    /// The rows-in-flight ceiling, or the pinned number with `--fixed-concurrency`.
    var concurrency: Int {
        policy.concurrency(ceiling: concurrencyCeiling, fixed: fixedConcurrency)
    }

    /// The budgets these flags ask for (the rules are ``PacingPolicy/rates``).
    var rates: PacingRates { policy.rates }

    private var policy: PacingPolicy {
        PacingPolicy(writes: rateLimit, reads: readRateLimit, windowSeconds: rateWindowSeconds)
    }

    func validate() throws {
        guard (1...500).contains(concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 500 rows in flight, got \(concurrency).")
        }
        guard maxRetries >= RetryPolicy.minimumRetries, maxRetries <= 50 else {
            throw ValidationError(
                "--max-retries must be between \(RetryPolicy.minimumRetries) and 50, got \(maxRetries).")
        }
        if case .limited(let rate) = rateLimit, !(rate >= 0.1 && rate <= 10_000) {
            throw ValidationError(
                "--rate-limit must be between 0.1 and 10000 writes per second, or 'off'; got \(rate).")
        }
        guard rateWindowSeconds >= 0.1, rateWindowSeconds <= 3_600 else {
            throw ValidationError("--rate-window must be between 0.1 and 3600 seconds, got \(rateWindowSeconds).")
        }
        if case .limited(let rate)? = readRateLimit, !(rate >= 0.1 && rate <= 10_000) {
            throw ValidationError(
                "--read-rate-limit must be between 0.1 and 10000 reads per second, or 'off'; got \(rate).")
        }
    }
}

/// `--rate-limit` and `--read-rate-limit`: a number of requests per second, or `off`.
extension PacingPolicy.Rate: ExpressibleByArgument {
    public init?(argument: String) {
        if argument.lowercased() == "off" {
            self = .off
        } else if let rate = Double(argument) {
            self = .limited(rate)
        } else {
            return nil
        }
    }

    public var defaultValueDescription: String {
        switch self {
        case .off: return "off"
        case .limited(let rate): return rate == rate.rounded() ? String(Int(rate)) : String(rate)
        }
    }
}
