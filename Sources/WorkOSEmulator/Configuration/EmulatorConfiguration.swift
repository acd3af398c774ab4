/// Everything that decides how an ``Emulator`` behaves, fixed at start.
///
/// Faults, rate limits and the idempotency switch can also be changed while it runs, through
/// ``Emulator/setFaults(_:)`` and friends or `PUT /_emulate/config`.
public struct EmulatorConfiguration: Sendable {
    /// Address to bind; loopback by default so nothing outside the machine can reach it.
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 lets the system pick a free one (read it back from ``Emulator/port``).
    public var port: Int = 4100
    /// The only secret key accepted as `Authorization: Bearer <key>`; anything else gets 401.
    public var apiKey: String = "sk_test_default"
    /// Request limits like WorkOS's; nil turns rate limiting off.
    public var rateLimits: EmulatorRateLimits? = .workOSDefaults
    /// Injected latency, error answers and dropped connections; off by default.
    public var faults: EmulatorFaults = .none
    /// Whether a repeated `Idempotency-Key` on a POST replays the first answer.
    ///
    /// The live API documents keys only for some endpoints, so the importer must be correct
    /// either way; turning this off lets tests prove it.
    public var honorsIdempotencyKeys: Bool = true
    /// Whether a membership may carry more than one role (the environment's Multiple Roles feature).
    public var multipleRolesEnabled: Bool = false
    /// Environment role slugs, in priority order; a membership created without a role gets `member`
    /// when it is listed here, else the first slug.
    public var environmentRoles: [String] = ["admin", "member"]
    /// Users, organizations, memberships and roles to load before serving.
    public var seed: EmulatorSeed? = nil
    /// Answer a duplicate email on user create with the legacy `409 user_already_exists` instead of
    /// the live `400 user_creation_error`, so an importer's fallback path can be tested.
    public var legacyDuplicateEmailConflict: Bool = false
    /// Answer `GET /webhook_endpoints` with 403, as WorkOS does for a key that may not read webhooks, so a
    /// client's handling of it can be tested.
    public var forbidsWebhookList: Bool = false
    /// The metadata and external_id limits: WorkOS's documented ones by default, like the importer's
    /// `--limits`, so a rehearsal refuses what the dry run refuses.
    public var fieldLimits: EmulatorFieldLimits = .documented
    /// Whether `POST /connections` creates SSO connections; off, it answers 404, as WorkOS does for an
    /// environment without the feature, so a client's handling of that can be tested.
    public var ssoConnectionsEnabled: Bool = true

    /// Strict mode: check every API request against WorkOS's OpenAPI spec, record each problem as a
    /// ``RequestViolation`` (``Emulator/violations()``, `GET /_emulate/violations`), and refuse what WorkOS
    /// refuses with `422 invalid_request_parameters`. Off by default for `emulate`; the test suites and
    /// the importer's `--emulator` rehearsal turn it on.
    public var strict: Bool = false

    /// A configuration with every default listed above.
    public init() {}
}
