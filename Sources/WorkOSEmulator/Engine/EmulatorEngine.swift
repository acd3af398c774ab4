import Foundation
import Synchronization

/// The emulator without the network: takes a request, answers it, and keeps state and counters.
///
/// Every API request passes the same steps, in this order:
/// 1. `X-Request-ID`: echoed when sent, otherwise made up; set on every answer.
/// 2. Routing: a path the API does not have is `404 not_found`.
/// 3. Auth: anything but `Bearer <configured key>` is `401 unauthorized`.
/// 4. Rate limits: over the limit is `429 rate_limit_exceeded` with `Retry-After`.
/// 5. Faults: latency, then maybe a reset or an error answer before any work.
/// 6. Idempotency: a POST repeating an `Idempotency-Key` replays the stored answer.
/// 7. The operation, atomically under one lock; then maybe "commit then drop".
///
/// `/health` and `/_emulate/*` skip auth, limits and faults and are not counted.
final class EmulatorEngine: Sendable {
    private struct State: Sendable {
        var store: EmulatorStore
        var counters = EmulatorCounters()
        var limiter: RateLimiter
        var faults: EmulatorFaults
        var honorsIdempotencyKeys: Bool
        var idempotency = IdempotencyCache()
        var inFlight = 0
        var requestIDs = IdentifierGenerator()

        var settings: EmulatorSnapshot.Settings {
            .init(
                faults: faults, rateLimits: limiter.limits, honorsIdempotencyKeys: honorsIdempotencyKeys,
                limits: store.fieldLimits)
        }
    }

    private let state: Mutex<State>
    private let apiKey: String
    private let clock: @Sendable () -> Double
    private let random: @Sendable () -> Double

    /// An engine for `configuration`. `clock` gives seconds since 1970 (timestamps and rate
    /// windows); `random` gives values in 0..<1 for fault draws. Both are injectable for tests.
    init(
        configuration: EmulatorConfiguration,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) throws(EmulatorError) {
        try configuration.faults.validate()
        let store = try EmulatorStore(configuration: configuration, now: clock())
        state = Mutex(
            State(
                store: store, limiter: RateLimiter(limits: configuration.rateLimits), faults: configuration.faults,
                honorsIdempotencyKeys: configuration.honorsIdempotencyKeys))
        apiKey = configuration.apiKey
        self.clock = clock
        self.random = random
    }

    /// The whole state and counters.
    func snapshot() -> EmulatorSnapshot {
        state.withLock { $0.store.snapshot(counters: $0.counters, settings: $0.settings) }
    }

    /// Replaces the fault settings.
    func setFaults(_ faults: EmulatorFaults) {
        state.withLock { $0.faults = faults }
    }

    /// Replaces the rate limits (nil = off); windows start afresh.
    func setRateLimits(_ limits: EmulatorRateLimits?) {
        state.withLock { $0.limiter = RateLimiter(limits: limits) }
    }

    /// Turns `Idempotency-Key` replays on or off.
    func setHonorsIdempotencyKeys(_ on: Bool) {
        state.withLock { $0.honorsIdempotencyKeys = on }
    }

    /// Switches the metadata and external_id limits for the requests that follow.
    func setFieldLimits(_ limits: EmulatorFieldLimits) {
        state.withLock { $0.store.fieldLimits = limits }
    }

    /// Answers one request.
    func handle(_ request: EmulatorRequest) async -> EmulatorReply {
        let requestID = request.headers["x-request-id"] ?? state.withLock { $0.requestIDs.make("req", now: clock()) }
        var reply = await dispatch(request)
        reply.headers.append(("X-Request-ID", requestID))
        return reply
    }

    private func dispatch(_ request: EmulatorRequest) async -> EmulatorReply {
        switch (request.method, request.path) {
        case ("GET", "/health"):
            return EmulatorReply(status: 200, body: .object(["status": .string("ok")]))
        case ("GET", "/_emulate/state"):
            return stateReply()
        case ("GET", "/_emulate/counters"):
            return countersReply()
        case ("PUT", "/_emulate/config"):
            return configure(request.body)
        default:
            break
        }
        guard let route = Route(method: request.method, path: request.path) else {
            let key = request.method + " (unknown route)"
            state.withLock { $0.counters.record(key, status: "404") }
            return EmulatorReply(status: 404, body: APIError.routeNotFound.body)
        }
        let template = route.template
        state.withLock {
            $0.inFlight += 1
            $0.counters.maxInFlight = max($0.counters.maxInFlight, $0.inFlight)
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        return await serve(route, template: template, request: request)
    }

    private func serve(_ route: Route, template: String, request: EmulatorRequest) async -> EmulatorReply {
        guard request.headers["authorization"] == "Bearer " + apiKey else {
            return finish(template, EmulatorReply(status: 401, body: APIError.unauthorized.body))
        }
        let kind = RateLimiter.kind(method: request.method, path: request.path)
        let (decision, faults) = state.withLock { state in
            (state.limiter.admit(kind, now: clock()), state.faults.applying(to: template))
        }
        if case .limited(let retryAfter) = decision {
            state.withLock { $0.counters.rateLimited += 1 }
            let body = JSONValue.object([
                "message": .string("Too many requests."), "code": .string("rate_limit_exceeded"),
            ])
            return finish(template, EmulatorReply(status: 429, body: body, headers: [("Retry-After", "\(retryAfter)")]))
        }
        let delay =
            faults.latencyMilliseconds
            + (faults.latencyJitterMilliseconds > 0 ? Int(random() * Double(faults.latencyJitterMilliseconds + 1)) : 0)
        if faults.latencyMilliseconds > 0 || faults.latencyJitterMilliseconds > 0 {
            state.withLock { $0.counters.faults["latency", default: 0] += 1 }
            if delay > 0 { try? await Task.sleep(for: .milliseconds(delay)) }
        }
        if faults.resetShare > 0, random() < faults.resetShare {
            state.withLock {
                $0.counters.faults["reset", default: 0] += 1
                $0.counters.record(template, status: "reset")
            }
            return EmulatorReply(status: 0, body: nil, action: .reset)
        }
        if faults.errorShare > 0, random() < faults.errorShare, !faults.errorStatuses.isEmpty {
            let status = faults.errorStatuses[
                min(faults.errorStatuses.count - 1, Int(random() * Double(faults.errorStatuses.count)))]
            state.withLock { $0.counters.faults["error_\(status)", default: 0] += 1 }
            return finish(template, EmulatorReply(status: status, body: Self.serverErrorBody(status)))
        }
        let idempotencyKey = request.method == "POST" ? request.headers["idempotency-key"] : nil
        let body: JSONValue?
        if request.body.isEmpty || request.method == "GET" || request.method == "DELETE" {
            body = nil
        } else {
            do {
                body = try JSONParser.parse(request.body)
            } catch {
                return finish(
                    template,
                    EmulatorReply(
                        status: 422,
                        body: APIError.invalidParameters("The request body is not valid JSON.").body))
            }
        }
        let now = clock()
        var reply = state.withLock { state -> EmulatorReply in
            if let idempotencyKey, state.honorsIdempotencyKeys,
                let stored = state.idempotency.lookup(route: template, key: idempotencyKey)
            {
                state.counters.idempotentReplays += 1
                return EmulatorReply(
                    status: stored.status, body: stored.body, headers: [("Idempotent-Replayed", "true")])
            }
            let reply: EmulatorReply
            do throws(APIError) {
                reply = try Self.perform(route, query: request.query, body: body, store: &state.store, now: now)
            } catch {
                reply = EmulatorReply(status: error.status, body: error.body)
            }
            if let idempotencyKey, state.honorsIdempotencyKeys {
                state.idempotency.store(
                    route: template, key: idempotencyKey, entry: .init(status: reply.status, body: reply.body))
            }
            return reply
        }
        if faults.commitThenDropShare > 0, random() < faults.commitThenDropShare {
            state.withLock {
                $0.counters.faults["commit_then_drop", default: 0] += 1
                $0.counters.record(template, status: "dropped")
            }
            reply.action = EmulatorReply.Action.drop
            return reply
        }
        return finish(template, reply)
    }

    private func finish(_ template: String, _ reply: EmulatorReply) -> EmulatorReply {
        state.withLock { $0.counters.record(template, status: String(reply.status)) }
        return reply
    }

    private static func perform(
        _ route: Route, query: [String: [String]], body: JSONValue?, store: inout EmulatorStore, now: Double
    ) throws(APIError) -> EmulatorReply {
        switch route {
        case .createUser: return EmulatorReply(status: 201, body: try store.createUser(body, now: now))
        case .listUsers: return EmulatorReply(status: 200, body: try store.listUsers(query: query))
        case .getUser(let id): return EmulatorReply(status: 200, body: try store.user(id: id))
        case .updateUser(let id): return EmulatorReply(status: 200, body: try store.updateUser(id: id, body, now: now))
        case .deleteUser(let id):
            try store.deleteUser(id: id)
            return EmulatorReply(status: 200, body: nil)
        case .getUserByExternalID(let externalID):
            return EmulatorReply(status: 200, body: try store.user(externalID: externalID))
        case .enrollFactor(let id):
            return EmulatorReply(status: 201, body: try store.enrollFactor(userID: id, body, now: now))
        case .listFactors(let id):
            return EmulatorReply(status: 200, body: try store.listFactors(userID: id, query: query))
        case .createOrganization: return EmulatorReply(status: 201, body: try store.createOrganization(body, now: now))
        case .listOrganizations: return EmulatorReply(status: 200, body: try store.listOrganizations(query: query))
        case .getOrganization(let id): return EmulatorReply(status: 200, body: try store.organization(id: id))
        case .getOrganizationByExternalID(let externalID):
            return EmulatorReply(status: 200, body: try store.organization(externalID: externalID))
        case .createMembership: return EmulatorReply(status: 201, body: try store.createMembership(body, now: now))
        case .listMemberships: return EmulatorReply(status: 200, body: try store.listMemberships(query: query))
        case .getMembership(let id): return EmulatorReply(status: 200, body: try store.membership(id: id))
        case .deleteMembership(let id):
            try store.deleteMembership(id: id)
            return EmulatorReply(status: 200, body: nil)
        case .listEnvironmentRoles: return EmulatorReply(status: 200, body: store.listEnvironmentRoles())
        case .listOrganizationRoles(let id), .listOrganizationRolesLegacy(let id):
            return EmulatorReply(status: 200, body: try store.listOrganizationRoles(organizationID: id))
        }
    }

    private static func serverErrorBody(_ status: Int) -> JSONValue {
        let (message, code) =
            switch status {
            case 502: ("Bad Gateway", "bad_gateway")
            case 503: ("Service Unavailable", "service_unavailable")
            default: ("Internal Server Error", "server_error")
            }
        return .object(["message": .string(message), "code": .string(code)])
    }

    private func stateReply() -> EmulatorReply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = (try? encoder.encode(snapshot())).map { Array($0) } ?? []
        return EmulatorReply(status: 200, body: nil, rawBody: bytes)
    }

    /// Only the counters: cheap to poll while the emulator holds a million users.
    private func countersReply() -> EmulatorReply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let counters = state.withLock { $0.counters }
        return EmulatorReply(status: 200, body: nil, rawBody: Array((try? encoder.encode(counters)) ?? Data()))
    }

    private func configure(_ bytes: [UInt8]) -> EmulatorReply {
        do {
            let update = try JSONDecoder().decode(EmulatorSettingsUpdate.self, from: Data(bytes))
            let faults = update.faults.map { patch in state.withLock { patch.applied(to: $0.faults) } }
            try faults?.validate()
            state.withLock { state in
                if let faults { state.faults = faults }
                if let limits = update.rateLimits { state.limiter = RateLimiter(limits: limits) }
                if let honors = update.honorsIdempotencyKeys { state.honorsIdempotencyKeys = honors }
                if let limits = update.limits { state.store.fieldLimits = limits }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let settings = state.withLock { $0.settings }
            return EmulatorReply(status: 200, body: nil, rawBody: Array((try? encoder.encode(settings)) ?? Data()))
        } catch {
            let message =
                (error as? EmulatorError)?.description ?? "The body must be a JSON object like "
                + #"{"faults":{"error_share":0.1},"rate_limits":null,"honors_idempotency_keys":true,"limits":"spec"}: \#(error)"#
            return EmulatorReply(
                status: 400, body: .object(["message": .string(message), "code": .string("invalid_config")]))
        }
    }
}
