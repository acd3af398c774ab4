/// `/webhook_endpoints`: the list.
extension EmulatorStore {
    /// `GET /webhook_endpoints` → a page of webhook endpoints.
    func listWebhookEndpoints(query: [String: [String]]) throws(APIError) -> JSONValue {
        if forbidsWebhookList {
            throw APIError(status: 403, message: "This API key may not read webhook endpoints.", code: "forbidden")
        }
        let paging = try Pagination(query: query)
        let candidates = webhookEndpointOrder.compactMap { webhookEndpoints[$0] }
        let page = try paging.page(candidates, sequence: \.sequence, id: \.id, sequenceOf: { sequenceByID[$0] })
        return Pagination.envelope(page.data.map(\.json), before: page.before, after: page.after)
    }
}
