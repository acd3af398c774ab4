import Hummingbird

/// `/user_management/users`: create, list, get, get by external id, update, delete.
struct UsersController {
    /// The store the routes read and change.
    let state: EmulatorState

    /// Registers the routes under `/user_management/users`.
    func addRoutes(to group: RouterGroup<EmulatorRequestContext>) {
        group.post(use: create)
            .get(use: list)
            .get("external_id/:external_id", use: getByExternalID)
            .get(":id", use: get)
            .put(":id", use: update)
            .delete(":id", use: delete)
    }

    /// `POST /user_management/users` → 201 User; 400 for a taken email or external_id, 422 for a bad body.
    @Sendable func create(_ request: Request, context: EmulatorRequestContext) async throws -> EditedResponse<JSONValue>
    {
        let body = try await request.jsonBody(context: context)
        let user = try state.withStore { store, now throws(APIError) in try store.createUser(body, now: now) }
        return EditedResponse(status: .created, response: user)
    }

    /// `GET /user_management/users` → a list, filtered by `email` and `organization_id`.
    @Sendable func list(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let query = request.queryValues
        if let cursor = query["after"]?.last, !cursor.isEmpty, state.takeLostUserCursor() {
            // A control facility (``Emulator/loseUserCursors(_:)``): the cursor's user is deleted between
            // pages and the list answers as the live API has been seen to, with an empty page.
            _ = try? state.withStore { store, _ throws(APIError) in try store.deleteUser(id: cursor) }
            return Pagination.envelope([], before: nil, after: nil)
        }
        return try state.withStore { store, _ throws(APIError) in try store.listUsers(query: query) }
    }

    /// `GET /user_management/users/{id}` → User, or 404.
    @Sendable func get(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let id = context.parameters.decoded("id")
        return try state.withStore { store, _ throws(APIError) in try store.user(id: id) }
    }

    /// `GET /user_management/users/external_id/{external_id}` → User, or 404.
    @Sendable func getByExternalID(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let externalID = context.parameters.decoded("external_id")
        return try state.withStore { store, _ throws(APIError) in try store.user(externalID: externalID) }
    }

    /// `PUT /user_management/users/{id}` → the updated User; fields left out stay as they are.
    @Sendable func update(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let id = context.parameters.decoded("id")
        let body = try await request.jsonBody(context: context)
        return try state.withStore { store, now throws(APIError) in try store.updateUser(id: id, body, now: now) }
    }

    /// `DELETE /user_management/users/{id}` → 200 with no body; the user's memberships and factors go too.
    @Sendable func delete(_ request: Request, context: EmulatorRequestContext) async throws -> Response {
        let id = context.parameters.decoded("id")
        try state.withStore { store, _ throws(APIError) in try store.deleteUser(id: id) }
        return .emptyJSON
    }
}

extension Response {
    /// 200 with an empty body, as the API answers a delete.
    static var emptyJSON: Response {
        Response(status: .ok, headers: [.contentType: "application/json"])
    }
}

extension JSONValue: ResponseEncodable {}
