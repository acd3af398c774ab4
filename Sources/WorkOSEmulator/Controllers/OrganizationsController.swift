import Hummingbird

/// `/organizations`: create, list, get, get by external id, update, delete.
struct OrganizationsController {
    /// The store the routes read and change.
    let state: EmulatorState

    /// Registers the routes under `/organizations`.
    func addRoutes(to group: RouterGroup<EmulatorRequestContext>) {
        group.post(use: create)
            .get(use: list)
            .get("external_id/:external_id", use: getByExternalID)
            .get(":id", use: get)
            .put(":id", use: update)
            .delete(":id", use: delete)
    }

    /// `POST /organizations` → 201 Organization.
    @Sendable func create(_ request: Request, context: EmulatorRequestContext) async throws -> EditedResponse<JSONValue>
    {
        let body = try await request.jsonBody(context: context)
        let organization = try state.withStore { store, now throws(APIError) in
            try store.createOrganization(body, now: now)
        }
        return EditedResponse(status: .created, response: organization)
    }

    /// `GET /organizations` → a list.
    @Sendable func list(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let query = request.queryValues
        return try state.withStore { store, _ throws(APIError) in try store.listOrganizations(query: query) }
    }

    /// `GET /organizations/{id}` → Organization, or 404.
    @Sendable func get(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let id = context.parameters.decoded("id")
        return try state.withStore { store, _ throws(APIError) in try store.organization(id: id) }
    }

    /// `GET /organizations/external_id/{external_id}` → Organization, or 404.
    @Sendable func getByExternalID(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let externalID = context.parameters.decoded("external_id")
        return try state.withStore { store, _ throws(APIError) in try store.organization(externalID: externalID) }
    }

    /// `PUT /organizations/{id}` → 200 Organization, or 404.
    @Sendable func update(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let id = context.parameters.decoded("id")
        let body = try await request.jsonBody(context: context)
        return try state.withStore { store, now throws(APIError) in
            try store.updateOrganization(id: id, body, now: now)
        }
    }

    /// `DELETE /organizations/{id}` → 200 with no body; its memberships go too. Counted under the delete
    /// budget of the rate limiter.
    @Sendable func delete(_ request: Request, context: EmulatorRequestContext) async throws -> Response {
        let id = context.parameters.decoded("id")
        try state.withStore { store, _ throws(APIError) in try store.deleteOrganization(id: id) }
        return .emptyJSON
    }
}
