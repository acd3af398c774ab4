import WorkOSClient

/// A run's connection to WorkOS: the API with the pacer, the retries and the concurrency control every
/// request of the run goes through, the preflight read, and the look-up of the run's one organization. Import,
/// plan, verify and undo each make one, so they pace, retry and check the key alike.
public struct WorkOSConnection: Sendable {
    /// WorkOS (or the emulator) as the client speaks to it.
    public let api: any WorkOSAPI
    /// Paces every request to the run's rates.
    public let pacer: RequestPacer
    /// How many rows may be in flight, and what the run's requests measured (latency, write rate).
    public let control: ConcurrencyControl
    /// Sends each request within its budget, with retries.
    public let runner: RequestRunner
    /// The budget the run's user-management writes draw on: ``RequestBudget/unsentWrite`` for a run whose
    /// writes are answered without being sent (a plan), so they draw on none.
    public let writes: RequestBudget
    /// The API address, for the preflight's messages.
    let baseURL: String

    /// - Parameters:
    ///   - rates: the window limit of each budget.
    ///   - maxRetries: `--max-retries`.
    ///   - fallbackLog: told once when a 429 makes a budget fall back to even pacing; `nil` says nothing.
    ///   - rows: the limit on rows (or items) in flight; the control measures the write rate against `rates`
    ///     only when the writes are sent.
    ///   - writes: the budget the run's writes draw on.
    public init(
        api: any WorkOSAPI, baseURL: String, rates: PacingRates, maxRetries: Int, clock: ImportClock = .system,
        fallbackLog: (any TextSink)? = nil, rows: AdaptiveConcurrency,
        writes: RequestBudget = .userManagementWrite
    ) {
        var onFallback: (@Sendable (RequestBudget) -> Void)?
        if let fallbackLog {
            onFallback = { budget in fallbackLog.write(RequestPacer.fallbackWarning(budget)) }
        }
        let pacer = RequestPacer(rates: rates, clock: clock, onFallback: onFallback)
        let writeRateTarget = writes == .userManagementWrite ? rates.writes?.averageRate : nil
        let control = ConcurrencyControl(limit: rows, writeRateTarget: writeRateTarget, clock: clock)
        self.api = api
        self.baseURL = baseURL
        self.pacer = pacer
        self.control = control
        self.writes = writes
        self.runner = RequestRunner(
            pacer: pacer, policy: RetryPolicy(maxRetries: maxRetries), clock: clock, control: control)
    }

    /// The preflight read (``Preflight``): a wrong key or address stops the run here with its sentence.
    public func preflight() async throws(ImportError) {
        try await Preflight(api: api, runner: runner, baseURL: baseURL).check()
    }

    /// Makes the preflight read and finds the run's one organization.
    ///
    /// An organization that is only looked up (never created) is looked up beside the preflight, which saves
    /// one round trip far from WorkOS; a failed preflight still speaks first. One that may be created is only
    /// looked up, after the preflight: a run creates it through its rows' ``OrganizationDirectory``, so the
    /// create is journaled, counted and undone.
    ///
    /// - Returns: the organization, to be awaited when the run needs its id.
    public func preflight(finding target: OrganizationTarget, runId: String, log: any TextSink)
        async throws(ImportError) -> OrganizationLookup
    {
        let resolver = OrganizationResolver(api: api, runner: runner, runId: runId)
        guard !target.mayCreate else {
            try await preflight()
            return OrganizationLookup(target: target, resolver: resolver, log: log, started: nil)
        }
        let started = Task { () -> Result<String?, ImportError> in
            do throws(ImportError) { return .success(try await resolver.resolve(target, log: log)) } catch {
                return .failure(error)
            }
        }
        do throws(ImportError) {
            try await preflight()
        } catch {
            started.cancel()
            _ = await started.value
            throw error
        }
        return OrganizationLookup(target: target, resolver: resolver, log: log, started: started)
    }

    /// The run's organization on its way: looked up beside the preflight, or to be looked up.
    public struct OrganizationLookup: Sendable {
        let target: OrganizationTarget
        let resolver: OrganizationResolver
        let log: any TextSink
        let started: Task<Result<String?, ImportError>, Never>?

        /// The organization's WorkOS id; `nil` without an organization mode, or for one that may be created
        /// and does not exist yet.
        public func id() async throws(ImportError) -> String? {
            if let started { return try await started.value.get() }
            if case .externalId(let externalId, _) = target { return try await resolver.lookUp(externalId: externalId) }
            return try await resolver.resolve(target, log: log)
        }
    }
}
