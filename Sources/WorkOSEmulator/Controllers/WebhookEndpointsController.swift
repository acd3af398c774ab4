import Hummingbird

/// `/webhook_endpoints`: the list, from the seed (`webhook_endpoints`).
struct WebhookEndpointsController {
    /// The store the route reads.
    let state: EmulatorState

    /// Registers the route under `/webhook_endpoints`.
    func addRoutes(to group: RouterGroup<EmulatorRequestContext>) {
        group.get(use: list)
    }

    /// `GET /webhook_endpoints` → a page of webhook endpoints.
    @Sendable func list(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let query = request.queryValues
        return try state.withStore { store, _ throws(APIError) in try store.listWebhookEndpoints(query: query) }
    }
}
