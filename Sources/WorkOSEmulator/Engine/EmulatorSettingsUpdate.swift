/// The body of `PUT /_emulate/config`: each field present replaces that setting.
///
/// `rate_limits: null` turns limits off; leaving the field out keeps them as they are.
struct EmulatorSettingsUpdate: Decodable {
    /// New fault settings.
    var faults: EmulatorFaults?
    /// New limits: `.some(nil)` turns them off.
    var rateLimits: EmulatorRateLimits??
    /// New idempotency switch.
    var honorsIdempotencyKeys: Bool?
    /// New metadata and external_id limits (`"documented"` or `"spec"`).
    var limits: EmulatorFieldLimits?

    private enum CodingKeys: String, CodingKey {
        case faults
        case rateLimits = "rate_limits"
        case honorsIdempotencyKeys = "honors_idempotency_keys"
        case limits
    }

    /// Decodes, telling a `null` `rate_limits` from a missing one.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        faults = try container.decodeIfPresent(EmulatorFaults.self, forKey: .faults)
        if container.contains(.rateLimits) {
            rateLimits = .some(
                try container.decodeNil(forKey: .rateLimits)
                    ? nil : try container.decode(EmulatorRateLimits.self, forKey: .rateLimits))
        }
        honorsIdempotencyKeys = try container.decodeIfPresent(Bool.self, forKey: .honorsIdempotencyKeys)
        limits = try container.decodeIfPresent(EmulatorFieldLimits.self, forKey: .limits)
    }
}
