import Hummingbird

/// Injects the configured ``EmulatorFaults`` into API requests on the routes they apply to, in this order:
/// latency (fixed, jitter, and per request already in flight), then maybe a reset (TCP RST, nothing done),
/// then maybe a 5xx answer (nothing done); after the work, maybe "commit then drop" (the work is stored,
/// then the connection closes without an answer). A closed connection is counted before it closes, so a
/// client that sees it fail also sees it counted.
struct FaultMiddleware: RouterMiddleware {
    /// Holds the settings and draws.
    let state: EmulatorState

    func handle(
        _ request: Request, context: EmulatorRequestContext,
        next: (Request, EmulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        let faults = state.faults(for: context.route)
        if faults.addsLatency {
            let jitter =
                faults.latencyJitterMilliseconds > 0
                ? Int(state.random() * Double(faults.latencyJitterMilliseconds + 1)) : 0
            let delay =
                faults.latencyMilliseconds + jitter + faults.latencyPerInFlightMilliseconds * context.othersInFlight
            state.countFault("latency")
            if delay > 0 { await state.sleep(.milliseconds(delay)) }
        }
        if faults.resetShare > 0, state.random() < faults.resetShare {
            state.countFault("reset")
            state.record(context.route, status: ConnectionClosedOnPurpose.Kind.reset.rawValue)
            await context.closeConnection(reset: true)
            throw ConnectionClosedOnPurpose(kind: .reset)
        }
        if faults.errorShare > 0, state.random() < faults.errorShare, !faults.errorStatuses.isEmpty {
            let status = faults.errorStatuses[
                min(faults.errorStatuses.count - 1, Int(state.random() * Double(faults.errorStatuses.count)))]
            state.countFault("error_\(status)")
            throw APIError.serverError(status)
        }
        do {
            let response = try await next(request, context)
            try await dropIfDrawn(faults, context: context)
            return response
        } catch let error as APIError {
            try await dropIfDrawn(faults, context: context)
            throw error
        }
    }

    /// Closes the connection after the work with the commit-then-drop share.
    private func dropIfDrawn(_ faults: EmulatorFaults, context: EmulatorRequestContext) async throws {
        guard faults.commitThenDropShare > 0, state.random() < faults.commitThenDropShare else { return }
        state.countFault("commit_then_drop")
        state.record(context.route, status: ConnectionClosedOnPurpose.Kind.dropped.rawValue)
        await context.closeConnection(reset: false)
        throw ConnectionClosedOnPurpose(kind: .dropped)
    }
}
