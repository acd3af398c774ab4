import Hummingbird

/// Roles: the environment's, and an organization's. The legacy `GET /organizations/{id}/roles` left the spec
/// and is not served.
struct RolesController {
    /// The store the routes read.
    let state: EmulatorState

    /// Registers `GET /authorization/roles` and `GET /authorization/organizations/{id}/roles`.
    func addRoutes(to group: RouterGroup<EmulatorRequestContext>) {
        group.get("authorization/roles", use: listEnvironmentRoles)
            .get("authorization/organizations/:id/roles", use: listOrganizationRoles)
    }

    /// The environment roles in priority order.
    @Sendable func listEnvironmentRoles(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        try state.withStore { store, _ in store.listEnvironmentRoles() }
    }

    /// The environment roles and the organization's own; 404 for an unknown organization.
    @Sendable func listOrganizationRoles(_ request: Request, context: EmulatorRequestContext) async throws
        -> JSONValue
    {
        let id = context.parameters.decoded("id")
        return try state.withStore { store, _ throws(APIError) in try store.listOrganizationRoles(organizationID: id) }
    }
}
