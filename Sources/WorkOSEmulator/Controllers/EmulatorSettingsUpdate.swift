/// The body of `PUT /_emulate/config`: each field present changes that setting, and only that one.
///
/// `faults` is merged key by key into the faults in force, so `{"faults":{"reset_share":0.1}}` keeps the
/// latency set earlier; `rate_limits: null` turns limits off, and leaving a field out keeps it as it is. A
/// key the emulator does not know is refused (400), so a typo such as `error_rate` never silently does
/// nothing.
struct EmulatorSettingsUpdate: Decodable {
    /// Changes to the fault settings.
    var faults: FaultsPatch?
    /// New limits: `.some(nil)` turns them off.
    var rateLimits: EmulatorRateLimits??
    /// New idempotency switch.
    var honorsIdempotencyKeys: Bool?
    /// New metadata and external_id limits (`"documented"` or `"spec"`).
    var limits: EmulatorFieldLimits?
    /// Strict mode on or off.
    var strict: Bool?
    /// Whether `POST /connections` creates SSO connections (off: 404).
    var ssoConnections: Bool?

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case faults
        case rateLimits = "rate_limits"
        case honorsIdempotencyKeys = "honors_idempotency_keys"
        case limits
        case strict
        case ssoConnections = "sso_connections"
    }

    /// Decodes, telling a `null` `rate_limits` from a missing one, and refusing unknown keys.
    init(from decoder: any Decoder) throws {
        try Self.refuseUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue), what: "the config")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        faults = try container.decodeIfPresent(FaultsPatch.self, forKey: .faults)
        if container.contains(.rateLimits) {
            rateLimits = .some(
                try container.decodeNil(forKey: .rateLimits)
                    ? nil : try container.decode(EmulatorRateLimits.self, forKey: .rateLimits))
        }
        honorsIdempotencyKeys = try container.decodeIfPresent(Bool.self, forKey: .honorsIdempotencyKeys)
        limits = try container.decodeIfPresent(EmulatorFieldLimits.self, forKey: .limits)
        strict = try container.decodeIfPresent(Bool.self, forKey: .strict)
        ssoConnections = try container.decodeIfPresent(Bool.self, forKey: .ssoConnections)
    }

    /// Throws when the object at `decoder` has a key outside `known`.
    static func refuseUnknownKeys(in decoder: any Decoder, known: [String], what: String) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw EmulatorError.invalidConfiguration(
                "\(what) has no setting \"\(unknown)\"; known settings: \(known.sorted().joined(separator: ", "))")
        }
    }

    /// Any JSON key, to list the keys an object has.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// The `faults` part of a config update: the fault settings to change, each optional.
struct FaultsPatch: Decodable {
    var latencyMilliseconds: Int?
    var latencyJitterMilliseconds: Int?
    var latencyPerInFlightMilliseconds: Int?
    var errorShare: Double?
    var errorStatuses: [Int]?
    var resetShare: Double?
    var commitThenDropShare: Double?
    /// `.some(nil)` (an explicit `null`) applies the faults to every route again.
    var routes: [String]??

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case latencyMilliseconds = "latency_ms"
        case latencyJitterMilliseconds = "latency_jitter_ms"
        case latencyPerInFlightMilliseconds = "latency_per_in_flight_ms"
        case errorShare = "error_share"
        case errorStatuses = "error_statuses"
        case resetShare = "reset_share"
        case commitThenDropShare = "commit_then_drop_share"
        case routes
    }

    init(from decoder: any Decoder) throws {
        try EmulatorSettingsUpdate.refuseUnknownKeys(
            in: decoder, known: CodingKeys.allCases.map(\.rawValue), what: "faults")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        latencyMilliseconds = try container.decodeIfPresent(Int.self, forKey: .latencyMilliseconds)
        latencyJitterMilliseconds = try container.decodeIfPresent(Int.self, forKey: .latencyJitterMilliseconds)
        latencyPerInFlightMilliseconds = try container.decodeIfPresent(
            Int.self, forKey: .latencyPerInFlightMilliseconds)
        errorShare = try container.decodeIfPresent(Double.self, forKey: .errorShare)
        errorStatuses = try container.decodeIfPresent([Int].self, forKey: .errorStatuses)
        resetShare = try container.decodeIfPresent(Double.self, forKey: .resetShare)
        commitThenDropShare = try container.decodeIfPresent(Double.self, forKey: .commitThenDropShare)
        if container.contains(.routes) {
            routes = .some(
                try container.decodeNil(forKey: .routes) ? nil : try container.decode([String].self, forKey: .routes))
        }
    }

    /// `current` with the fields this patch names replaced.
    func applied(to current: EmulatorFaults) -> EmulatorFaults {
        var faults = current
        if let latencyMilliseconds { faults.latencyMilliseconds = latencyMilliseconds }
        if let latencyJitterMilliseconds { faults.latencyJitterMilliseconds = latencyJitterMilliseconds }
        if let latencyPerInFlightMilliseconds { faults.latencyPerInFlightMilliseconds = latencyPerInFlightMilliseconds }
        if let errorShare { faults.errorShare = errorShare }
        if let errorStatuses { faults.errorStatuses = errorStatuses }
        if let resetShare { faults.resetShare = resetShare }
        if let commitThenDropShare { faults.commitThenDropShare = commitThenDropShare }
        if let routes { faults.routes = routes }
        return faults
    }
}
