import Hummingbird

/// `/authorization/permissions`: create, list, get, update, delete.
struct PermissionsController {
    /// The store the routes read and change.
    let state: EmulatorState

    /// Registers the routes under `/authorization/permissions`.
    func addRoutes(to group: RouterGroup<EmulatorRequestContext>) {
        group.post(use: create)
            .get(use: list)
            .get(":slug", use: get)
            .patch(":slug", use: update)
            .delete(":slug", use: delete)
    }

    /// `POST /authorization/permissions` → 201 AuthorizationPermission.
    @Sendable func create(_ request: Request, context: EmulatorRequestContext) async throws -> EditedResponse<JSONValue>
    {
        let body = try await request.jsonBody(context: context)
        let permission = try state.withStore { store, now throws(APIError) in try store.createPermission(body, now: now)
        }
        return EditedResponse(status: .created, response: permission)
    }

    /// `GET /authorization/permissions` → a page of permissions.
    @Sendable func list(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let query = request.queryValues
        return try state.withStore { store, _ throws(APIError) in try store.listPermissions(query: query) }
    }

    /// `GET /authorization/permissions/{slug}` → AuthorizationPermission, or 404.
    @Sendable func get(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let slug = context.parameters.decoded("slug")
        return try state.withStore { store, _ throws(APIError) in try store.permission(slug: slug) }
    }

    /// `PATCH /authorization/permissions/{slug}` → 200 AuthorizationPermission.
    @Sendable func update(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let slug = context.parameters.decoded("slug")
        let body = try await request.jsonBody(context: context)
        return try state.withStore { store, now throws(APIError) in
            try store.updatePermission(slug: slug, body, now: now)
        }
    }

    /// `DELETE /authorization/permissions/{slug}` → 204; roles lose the permission.
    @Sendable func delete(_ request: Request, context: EmulatorRequestContext) async throws -> Response {
        let slug = context.parameters.decoded("slug")
        try state.withStore { store, _ throws(APIError) in try store.deletePermission(slug: slug) }
        return Response(status: .noContent)
    }
}
