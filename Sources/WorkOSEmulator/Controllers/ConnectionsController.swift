import Hummingbird

/// `/connections`: create (as WorkOS's API reference describes it), list, get and delete SSO connections.
struct ConnectionsController {
    /// The store the routes read and change.
    let state: EmulatorState

    /// Registers the routes under `/connections`.
    func addRoutes(to group: RouterGroup<EmulatorRequestContext>) {
        group.post(use: create)
            .get(use: list)
            .get(":id", use: get)
            .delete(":id", use: delete)
    }

    /// `POST /connections` → 201 Connection, or 200 with the organization's connection of the same
    /// `external_id`.
    @Sendable func create(_ request: Request, context: EmulatorRequestContext) async throws -> EditedResponse<JSONValue>
    {
        let body = try await request.jsonBody(context: context)
        let (connection, created) = try state.withStore { store, now throws(APIError) in
            try store.createConnection(body, now: now)
        }
        return EditedResponse(status: created ? .created : .ok, response: connection)
    }

    /// `GET /connections` → a page of connections.
    @Sendable func list(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let query = request.queryValues
        return try state.withStore { store, _ throws(APIError) in try store.listConnections(query: query) }
    }

    /// `GET /connections/{id}` → Connection, or 404.
    @Sendable func get(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let id = context.parameters.decoded("id")
        return try state.withStore { store, _ throws(APIError) in try store.connection(id: id) }
    }

    /// `DELETE /connections/{id}` → 204.
    @Sendable func delete(_ request: Request, context: EmulatorRequestContext) async throws -> Response {
        let id = context.parameters.decoded("id")
        try state.withStore { store, _ throws(APIError) in try store.deleteConnection(id: id) }
        return Response(status: .noContent)
    }
}
