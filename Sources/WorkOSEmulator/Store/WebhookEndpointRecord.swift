/// A webhook endpoint of the environment. The emulator sends no events; it serves the list so a client can
/// see what delivery a bulk write would cause.
struct WebhookEndpointRecord: Sendable {
    /// Creation order, used for pagination.
    var sequence: Int
    /// `we_…` id.
    var id: String
    /// Where events would be delivered.
    var endpointURL: String
    /// The signing secret WorkOS shows with every endpoint.
    var secret: String
    /// `enabled` or `disabled`.
    var status: String
    /// The event types the endpoint subscribes to.
    var events: [String]
    /// ISO-8601 creation time.
    var createdAt: String
    /// ISO-8601 time of the last change.
    var updatedAt: String

    /// The API's WebhookEndpointJson object.
    var json: JSONValue {
        .object([
            "object": .string("webhook_endpoint"),
            "id": .string(id),
            "endpoint_url": .string(endpointURL),
            "secret": .string(secret),
            "status": .string(status),
            "events": .array(events.map(JSONValue.string)),
            "created_at": .string(createdAt),
            "updated_at": .string(updatedAt),
        ])
    }
}
