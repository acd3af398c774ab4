import Hummingbird

/// `/user_management/users/{id}/auth_factors` (TOTP enrollment and the user's factors), and deleting one
/// factor under the spec's `/auth/factors/{id}`. There is no `/user_management/auth_factors/{id}`: WorkOS
/// answers 404 there, and so does the emulator.
struct AuthFactorsController {
    /// The store the routes read and change.
    let state: EmulatorState

    /// Registers the routes under `/user_management/users/{id}/auth_factors`.
    func addRoutes(to group: RouterGroup<EmulatorRequestContext>) {
        group.post(use: enroll)
            .get(use: list)
    }

    /// Registers `DELETE {id}` under the group of factors by id (`/auth/factors`).
    func addFactorRoutes(to group: RouterGroup<EmulatorRequestContext>) {
        group.delete(":id", use: delete)
    }

    /// `POST …/auth_factors` → 201 `{authentication_factor, authentication_challenge}`, the only answer
    /// that carries the secret; 404 for an unknown user.
    @Sendable func enroll(_ request: Request, context: EmulatorRequestContext) async throws -> EditedResponse<JSONValue>
    {
        let id = context.parameters.decoded("id")
        let body = try await request.jsonBody(context: context)
        let enrolled = try state.withStore { store, now throws(APIError) in
            try store.enrollFactor(userID: id, body, now: now)
        }
        return EditedResponse(status: .created, response: enrolled)
    }

    /// `GET …/auth_factors` → a list of the user's factors, without secrets.
    @Sendable func list(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let id = context.parameters.decoded("id")
        let query = request.queryValues
        return try state.withStore { store, _ throws(APIError) in try store.listFactors(userID: id, query: query) }
    }

    /// `DELETE /auth/factors/{id}` → 200 with no body; 404 for an unknown factor.
    @Sendable func delete(_ request: Request, context: EmulatorRequestContext) async throws -> Response {
        let id = context.parameters.decoded("id")
        try state.withStore { store, _ throws(APIError) in try store.deleteFactor(id: id) }
        return .emptyJSON
    }
}
