/// Role lists: `{"object":"list","data":[Role]}` in priority order, without paging.
extension EmulatorStore {
    /// `GET /authorization/roles`: the environment roles.
    func listEnvironmentRoles() -> JSONValue {
        .object(["object": .string("list"), "data": .array(roles.filter { $0.organizationID == nil }.map(\.json))])
    }

    /// `GET /authorization/organizations/{id}/roles` (and the legacy `/organizations/{id}/roles`):
    /// the environment roles plus the organization's own.
    func listOrganizationRoles(organizationID: String) throws(APIError) -> JSONValue {
        guard organizations[organizationID] != nil else { throw .notFound("Organization", id: organizationID) }
        let applicable = roles.filter { $0.organizationID == nil || $0.organizationID == organizationID }
        return .object(["object": .string("list"), "data": .array(applicable.map(\.json))])
    }
}
