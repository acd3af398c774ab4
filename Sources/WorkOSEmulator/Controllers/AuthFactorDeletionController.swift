import Hummingbird

/// `DELETE /user_management/auth_factors/{id}` and the spec's `DELETE /auth/factors/{id}`: removing one factor.
struct AuthFactorDeletionController {
    /// The store the routes change.
    let state: EmulatorState

    /// Registers `DELETE {id}` under the group it is given.
    func addRoutes(to group: RouterGroup<EmulatorRequestContext>) {
        group.delete(":id", use: delete)
    }

    /// `DELETE …/{id}` → 200 with no body; 404 for an unknown factor.
    @Sendable func delete(_ request: Request, context: EmulatorRequestContext) async throws -> Response {
        let id = context.parameters.decoded("id")
        try state.withStore { store, _ throws(APIError) in try store.deleteFactor(id: id) }
        return .emptyJSON
    }
}
