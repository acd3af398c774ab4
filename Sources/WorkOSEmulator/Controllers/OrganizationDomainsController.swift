import Hummingbird

/// `/organization_domains`: add a domain to an organization, read it, verify it, remove it.
struct OrganizationDomainsController {
    /// The store the routes read and change.
    let state: EmulatorState

    /// Registers the routes under `/organization_domains`.
    func addRoutes(to group: RouterGroup<EmulatorRequestContext>) {
        group.post(use: create)
            .get(":id", use: get)
            .delete(":id", use: delete)
            .post(":id/verify", use: verify)
    }

    /// `POST /organization_domains` → 201 OrganizationDomain.
    @Sendable func create(_ request: Request, context: EmulatorRequestContext) async throws -> EditedResponse<JSONValue>
    {
        let body = try await request.jsonBody(context: context)
        let domain = try state.withStore { store, now throws(APIError) in
            try store.createOrganizationDomain(body, now: now)
        }
        return EditedResponse(status: .created, response: domain)
    }

    /// `GET /organization_domains/{id}` → OrganizationDomain, or 404.
    @Sendable func get(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let id = context.parameters.decoded("id")
        return try state.withStore { store, _ throws(APIError) in try store.organizationDomain(id: id) }
    }

    /// `DELETE /organization_domains/{id}` → 204.
    @Sendable func delete(_ request: Request, context: EmulatorRequestContext) async throws -> Response {
        let id = context.parameters.decoded("id")
        try state.withStore { store, now throws(APIError) in try store.deleteOrganizationDomain(id: id, now: now) }
        return Response(status: .noContent)
    }

    /// `POST /organization_domains/{id}/verify` → 201 OrganizationDomain.
    @Sendable func verify(_ request: Request, context: EmulatorRequestContext) async throws -> EditedResponse<JSONValue>
    {
        let id = context.parameters.decoded("id")
        let domain = try state.withStore { store, now throws(APIError) in
            try store.verifyOrganizationDomain(id: id, now: now)
        }
        return EditedResponse(status: .created, response: domain)
    }
}
