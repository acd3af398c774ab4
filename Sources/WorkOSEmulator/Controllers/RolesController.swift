import Hummingbird

/// Roles: the environment's (`/authorization/roles`) and each organization's
/// (`/authorization/organizations/{organizationId}/roles`), with their permissions. The legacy
/// `GET /organizations/{id}/roles` left the spec and is not served.
struct RolesController {
    /// The store the routes read and change.
    let state: EmulatorState

    /// Registers every role route under the API group.
    func addRoutes(to group: RouterGroup<EmulatorRequestContext>) {
        group.get("authorization/roles", use: listEnvironmentRoles)
            .post("authorization/roles", use: createEnvironmentRole)
            .get("authorization/roles/:slug", use: getEnvironmentRole)
            .patch("authorization/roles/:slug", use: updateRole)
            .put("authorization/roles/:slug/permissions", use: setPermissions)
            .post("authorization/roles/:slug/permissions", use: addPermission)
            .get("authorization/organizations/:id/roles", use: listOrganizationRoles)
            .post("authorization/organizations/:id/roles", use: createOrganizationRole)
            .get("authorization/organizations/:id/roles/:slug", use: getOrganizationRole)
            .patch("authorization/organizations/:id/roles/:slug", use: updateRole)
            .delete("authorization/organizations/:id/roles/:slug", use: deleteOrganizationRole)
            .put("authorization/organizations/:id/roles/:slug/permissions", use: setPermissions)
            .post("authorization/organizations/:id/roles/:slug/permissions", use: addPermission)
            .delete("authorization/organizations/:id/roles/:slug/permissions/:permission", use: removePermission)
    }

    /// `GET /authorization/roles` → the environment roles in priority order.
    @Sendable func listEnvironmentRoles(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        try state.withStore { store, _ in store.listEnvironmentRoles() }
    }

    /// `POST /authorization/roles` → 201 Role.
    @Sendable func createEnvironmentRole(
        _ request: Request, context: EmulatorRequestContext
    ) async throws -> EditedResponse<JSONValue> {
        let body = try await request.jsonBody(context: context)
        let role = try state.withStore { store, now throws(APIError) in try store.createEnvironmentRole(body, now: now)
        }
        return EditedResponse(status: .created, response: role)
    }

    /// `GET /authorization/roles/{slug}` → Role, or 404.
    @Sendable func getEnvironmentRole(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let slug = context.parameters.decoded("slug")
        return try state.withStore { store, _ throws(APIError) in try store.environmentRole(slug: slug) }
    }

    /// `GET /authorization/organizations/{id}/roles` → the environment roles and the organization's own;
    /// 404 for an unknown organization.
    @Sendable func listOrganizationRoles(_ request: Request, context: EmulatorRequestContext) async throws
        -> JSONValue
    {
        let id = context.parameters.decoded("id")
        return try state.withStore { store, _ throws(APIError) in try store.listOrganizationRoles(organizationID: id) }
    }

    /// `POST /authorization/organizations/{id}/roles` → 201 Role.
    @Sendable func createOrganizationRole(
        _ request: Request, context: EmulatorRequestContext
    ) async throws -> EditedResponse<JSONValue> {
        let id = context.parameters.decoded("id")
        let body = try await request.jsonBody(context: context)
        let role = try state.withStore { store, now throws(APIError) in
            try store.createOrganizationRole(organizationID: id, body, now: now)
        }
        return EditedResponse(status: .created, response: role)
    }

    /// `GET /authorization/organizations/{id}/roles/{slug}` → Role, or 404.
    @Sendable func getOrganizationRole(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let id = context.parameters.decoded("id")
        let slug = context.parameters.decoded("slug")
        return try state.withStore { store, _ throws(APIError) in
            try store.organizationRole(organizationID: id, slug: slug)
        }
    }

    /// `PATCH` of an environment role or an organization's custom role → 200 Role.
    @Sendable func updateRole(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        try await changeRole(request, context) { store, id, slug, body, now throws(APIError) in
            try store.updateRole(organizationID: id, slug: slug, body, now: now)
        }
    }

    /// `PUT …/roles/{slug}/permissions` → 200 Role with exactly the permissions sent.
    @Sendable func setPermissions(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        try await changeRole(request, context) { store, id, slug, body, now throws(APIError) in
            try store.setRolePermissions(organizationID: id, slug: slug, body, now: now)
        }
    }

    /// `POST …/roles/{slug}/permissions` → 200 Role with the permission added.
    @Sendable func addPermission(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        try await changeRole(request, context) { store, id, slug, body, now throws(APIError) in
            try store.addRolePermission(organizationID: id, slug: slug, body, now: now)
        }
    }

    /// Reads what every change of a role names (its organization, absent for an environment role; its slug;
    /// the JSON body) and applies `change` to the store.
    private func changeRole(
        _ request: Request, _ context: EmulatorRequestContext,
        _ change: (inout EmulatorStore, String?, String, JSONValue?, Double) throws(APIError) -> JSONValue
    ) async throws -> JSONValue {
        let id = context.parameters.decodedIfPresent("id")
        let slug = context.parameters.decoded("slug")
        let body = try await request.jsonBody(context: context)
        return try state.withStore { store, now throws(APIError) in try change(&store, id, slug, body, now) }
    }

    /// `DELETE /authorization/organizations/{id}/roles/{slug}/permissions/{permissionSlug}` → 200 Role.
    @Sendable func removePermission(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let id = context.parameters.decoded("id")
        let slug = context.parameters.decoded("slug")
        let permission = context.parameters.decoded("permission")
        return try state.withStore { store, now throws(APIError) in
            try store.removeRolePermission(organizationID: id, slug: slug, permission: permission, now: now)
        }
    }

    /// `DELETE /authorization/organizations/{id}/roles/{slug}` → 204; 409 while members hold the role.
    @Sendable func deleteOrganizationRole(_ request: Request, context: EmulatorRequestContext) async throws
        -> Response
    {
        let id = context.parameters.decoded("id")
        let slug = context.parameters.decoded("slug")
        try state.withStore { store, _ throws(APIError) in
            try store.deleteOrganizationRole(organizationID: id, slug: slug)
        }
        return Response(status: .noContent)
    }
}
