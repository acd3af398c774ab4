import Hummingbird

/// `/user_management/organization_memberships`: create, list, get, update, deactivate, reactivate, delete.
struct MembershipsController {
    /// The store the routes read and change.
    let state: EmulatorState

    /// Registers the routes under `/user_management/organization_memberships`.
    func addRoutes(to group: RouterGroup<EmulatorRequestContext>) {
        group.post(use: create)
            .get(use: list)
            .get(":id", use: get)
            .put(":id", use: update)
            .put(":id/deactivate", use: deactivate)
            .put(":id/reactivate", use: reactivate)
            .delete(":id", use: delete)
    }

    /// `POST /user_management/organization_memberships` → 201 OrganizationMembership.
    @Sendable func create(_ request: Request, context: EmulatorRequestContext) async throws -> EditedResponse<JSONValue>
    {
        let body = try await request.jsonBody(context: context)
        let membership = try state.withStore { store, now throws(APIError) in
            try store.createMembership(body, now: now)
        }
        return EditedResponse(status: .created, response: membership)
    }

    /// `GET /user_management/organization_memberships` → a list, filtered by user and organization.
    @Sendable func list(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let query = request.queryValues
        return try state.withStore { store, _ throws(APIError) in try store.listMemberships(query: query) }
    }

    /// `GET /user_management/organization_memberships/{id}` → OrganizationMembership, or 404.
    @Sendable func get(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let id = context.parameters.decoded("id")
        return try state.withStore { store, _ throws(APIError) in try store.membership(id: id) }
    }

    /// `PUT /user_management/organization_memberships/{id}` with `role_slug` or `role_slugs` → 200
    /// OrganizationMembership with the new roles; 404, or 422 as create answers for roles.
    @Sendable func update(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let id = context.parameters.decoded("id")
        let body = try await request.jsonBody(context: context)
        return try state.withStore { store, now throws(APIError) in try store.updateMembership(id: id, body, now: now) }
    }

    /// `PUT /user_management/organization_memberships/{id}/deactivate` → 200 OrganizationMembership, inactive;
    /// 400 for a pending one, 404.
    @Sendable func deactivate(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let id = context.parameters.decoded("id")
        let body = try await request.jsonBody(context: context)
        return try state.withStore { store, now throws(APIError) in
            try store.deactivateMembership(id: id, body, now: now)
        }
    }

    /// `PUT /user_management/organization_memberships/{id}/reactivate` → 200 OrganizationMembership, active;
    /// 400 for a pending one, 404.
    @Sendable func reactivate(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let id = context.parameters.decoded("id")
        let body = try await request.jsonBody(context: context)
        return try state.withStore { store, now throws(APIError) in
            try store.reactivateMembership(id: id, body, now: now)
        }
    }

    /// `DELETE /user_management/organization_memberships/{id}` → 200 with no body.
    @Sendable func delete(_ request: Request, context: EmulatorRequestContext) async throws -> Response {
        let id = context.parameters.decoded("id")
        try state.withStore { store, _ throws(APIError) in try store.deleteMembership(id: id) }
        return .emptyJSON
    }
}
