/// A WorkOS webhook endpoint, reduced to what the importer needs to say what a bulk write will deliver.
///
/// The API sends each endpoint's signing `secret` too; it is deliberately not decoded, so it cannot reach
/// any output.
public struct WorkOSWebhookEndpoint: Decodable, Sendable, Equatable {
    public var id: String
    /// `enabled` or `disabled`.
    public var status: String
    /// The event types the endpoint subscribes to, such as `user.created`.
    public var events: [String]

    enum CodingKeys: String, CodingKey {
        case id, status, events
    }

    public init(id: String, status: String, events: [String]) {
        self.id = id
        self.status = status
        self.events = events
    }

    /// Whether WorkOS delivers to it now.
    public var isEnabled: Bool { status == "enabled" }
}
