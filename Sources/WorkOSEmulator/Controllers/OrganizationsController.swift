import Hummingbird

/// `/organizations`: create, list, get, get by external id.
struct OrganizationsController {
    /// The store the routes read and change.
    let state: EmulatorState

    /// Registers the routes under `/organizations`.
    func addRoutes(to group: RouterGroup<EmulatorRequestContext>) {
        group.post(use: create)
            .get(use: list)
            .get("external_id/:external_id", use: getByExternalID)
            .get(":id", use: get)
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
}
