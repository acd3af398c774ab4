/// Roles: the environment's (`/authorization/roles`) and each organization's custom roles
/// (`/authorization/organizations/{organizationId}/roles`), with the permissions they grant. Role lists are
/// `{"object":"list","data":[Role]}` in priority order, without paging.
extension EmulatorStore {
    private static let createFields: Set<String> = ["slug", "name", "description", "resource_type_slug"]
    private static let updateFields: Set<String> = ["name", "description"]

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

    /// `POST /authorization/roles` → 201 Role; 409 `role_slug_conflict` for a slug an environment role has.
    mutating func createEnvironmentRole(_ json: JSONValue?, now: Double) throws(APIError) -> JSONValue {
        let body = try RequestBody(json, allowed: Self.createFields)
        let slug = try body.requiredString("slug")
        try AuthorizationRules.checkEnvironmentRoleSlug(slug)
        let name = try AuthorizationRules.name(body, required: true) ?? slug
        let description = try AuthorizationRules.description(body) ?? nil
        let resourceType = try AuthorizationRules.resourceTypeSlug(body) ?? "organization"
        guard environmentRoleIndex(slug: slug) == nil else {
            throw APIError(
                status: 409, message: "A role with the slug '\(slug)' already exists.", code: "role_slug_conflict")
        }
        addRole(slug: slug, name: name, description: description, organizationID: nil, now: now)
        roles[roles.count - 1].resourceTypeSlug = resourceType
        return roles[roles.count - 1].json
    }

    /// `POST /authorization/organizations/{id}/roles` → 201 Role. A slug, when given, begins with `org-`;
    /// without one a slug is made from the name. 409 `organization_role_slug_conflict` for a slug that
    /// already applies to the organization.
    mutating func createOrganizationRole(
        organizationID: String, _ json: JSONValue?, now: Double
    ) throws(APIError) -> JSONValue {
        let body = try RequestBody(json, allowed: Self.createFields)
        let givenSlug = try body.string("slug", nullable: false)
        if let givenSlug { try AuthorizationRules.checkOrganizationRoleSlug(givenSlug) }
        guard let name = try AuthorizationRules.name(body, required: true) else {
            throw .invalidParameters("name is required.")
        }
        let description = try AuthorizationRules.description(body) ?? nil
        let resourceType = try AuthorizationRules.resourceTypeSlug(body) ?? "organization"
        guard organizations[organizationID] != nil else { throw .notFound("Organization", id: organizationID) }
        let slug = givenSlug ?? AuthorizationRules.organizationRoleSlug(fromName: name)
        guard roleIndex(slug: slug, organizationID: organizationID) == nil else {
            throw APIError(
                status: 409, message: "A role with the slug '\(slug)' already exists in this organization.",
                code: "organization_role_slug_conflict")
        }
        addRole(slug: slug, name: name, description: description, organizationID: organizationID, now: now)
        roles[roles.count - 1].resourceTypeSlug = resourceType
        return roles[roles.count - 1].json
    }

    /// `GET /authorization/roles/{slug}`.
    func environmentRole(slug: String) throws(APIError) -> JSONValue {
        guard let index = environmentRoleIndex(slug: slug) else { throw .notFound("Role", id: slug) }
        return roles[index].json
    }

    /// `GET /authorization/organizations/{id}/roles/{slug}`: a custom role of the organization or an
    /// environment role.
    func organizationRole(organizationID: String, slug: String) throws(APIError) -> JSONValue {
        guard organizations[organizationID] != nil else { throw .notFound("Organization", id: organizationID) }
        guard let index = roleIndex(slug: slug, organizationID: organizationID) else {
            throw .notFound("Role", id: slug)
        }
        return roles[index].json
    }

    /// `PATCH /authorization/roles/{slug}` and `PATCH /authorization/organizations/{id}/roles/{slug}`
    /// (`organizationID` set): only the fields sent change. Only an organization's own roles can be changed
    /// through its path.
    mutating func updateRole(
        organizationID: String?, slug: String, _ json: JSONValue?, now: Double
    ) throws(APIError) -> JSONValue {
        let body = try RequestBody(json, allowed: Self.updateFields)
        let name = try AuthorizationRules.name(body, required: false)
        let description = try AuthorizationRules.description(body)
        let index = try ownRoleIndex(organizationID: organizationID, slug: slug)
        if let name { roles[index].name = name }
        if let description { roles[index].description = description }
        roles[index].updatedAt = Timestamp.iso8601(now)
        return roles[index].json
    }

    /// `PUT …/roles/{slug}/permissions`: the role's permissions become exactly `permissions`, each of which
    /// must exist (404 names the first that does not).
    mutating func setRolePermissions(
        organizationID: String?, slug: String, _ json: JSONValue?, now: Double
    ) throws(APIError) -> JSONValue {
        let body = try RequestBody(json, allowed: ["permissions"])
        guard let wanted = try body.stringArray("permissions") else {
            throw .invalidParameters("permissions is required.")
        }
        let index = try ownRoleIndex(organizationID: organizationID, slug: slug)
        if let missing = wanted.first(where: { permissions[$0] == nil }) {
            throw .notFound("Permission", id: missing)
        }
        var unique: [String] = []
        for permission in wanted where !unique.contains(permission) { unique.append(permission) }
        roles[index].permissions = unique
        roles[index].updatedAt = Timestamp.iso8601(now)
        return roles[index].json
    }

    /// `POST …/roles/{slug}/permissions` with `{"slug"}`: adds one permission; one the role has already is
    /// no change.
    mutating func addRolePermission(
        organizationID: String?, slug: String, _ json: JSONValue?, now: Double
    ) throws(APIError) -> JSONValue {
        let body = try RequestBody(json, allowed: ["slug"])
        let permission = try body.requiredString("slug")
        let index = try ownRoleIndex(organizationID: organizationID, slug: slug)
        guard permissions[permission] != nil else { throw .notFound("Permission", id: permission) }
        if !roles[index].permissions.contains(permission) {
            roles[index].permissions.append(permission)
            roles[index].updatedAt = Timestamp.iso8601(now)
        }
        return roles[index].json
    }

    /// `DELETE /authorization/organizations/{id}/roles/{slug}/permissions/{permissionSlug}` → 200 Role.
    mutating func removeRolePermission(
        organizationID: String, slug: String, permission: String, now: Double
    ) throws(APIError) -> JSONValue {
        let index = try ownRoleIndex(organizationID: organizationID, slug: slug)
        guard roles[index].permissions.contains(permission) else { throw .notFound("Permission", id: permission) }
        roles[index].permissions.removeAll { $0 == permission }
        roles[index].updatedAt = Timestamp.iso8601(now)
        return roles[index].json
    }

    /// `DELETE /authorization/organizations/{id}/roles/{slug}`: 409 `role_has_assignments` while a
    /// membership of the organization holds the role.
    mutating func deleteOrganizationRole(organizationID: String, slug: String) throws(APIError) {
        let index = try ownRoleIndex(organizationID: organizationID, slug: slug)
        let assigned = (membershipIDsByOrganization[organizationID] ?? []).contains { id in
            memberships[id]?.roleSlugs.contains(slug) ?? false
        }
        guard !assigned else {
            throw APIError(
                status: 409, message: "The role '\(slug)' is assigned to organization members.",
                code: "role_has_assignments")
        }
        roles.remove(at: index)
    }

    /// The position of the environment role with this slug.
    private func environmentRoleIndex(slug: String) -> Int? {
        roles.firstIndex { $0.organizationID == nil && $0.slug == slug }
    }

    /// The position of the role with this slug that applies to the organization: its own, or an
    /// environment role.
    private func roleIndex(slug: String, organizationID: String) -> Int? {
        roles.firstIndex { $0.slug == slug && ($0.organizationID == organizationID || $0.organizationID == nil) }
    }

    /// The role a change addresses: an environment role when `organizationID` is nil, otherwise the
    /// organization's own custom role (an environment role cannot be changed through an organization).
    private func ownRoleIndex(organizationID: String?, slug: String) throws(APIError) -> Int {
        if let organizationID {
            guard organizations[organizationID] != nil else { throw .notFound("Organization", id: organizationID) }
            guard let index = roles.firstIndex(where: { $0.organizationID == organizationID && $0.slug == slug })
            else { throw .notFound("Role", id: slug) }
            return index
        }
        guard let index = environmentRoleIndex(slug: slug) else { throw .notFound("Role", id: slug) }
        return index
    }
}
