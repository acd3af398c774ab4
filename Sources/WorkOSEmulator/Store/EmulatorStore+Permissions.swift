/// `/authorization/permissions`: create, list, get, update, delete.
extension EmulatorStore {
    private static let createFields: Set<String> = ["slug", "name", "description", "resource_type_slug"]
    private static let updateFields: Set<String> = ["name", "description"]

    /// `POST /authorization/permissions` → 201 AuthorizationPermission; 409 `permission_slug_conflict` for a
    /// slug the environment has.
    mutating func createPermission(_ json: JSONValue?, now: Double) throws(APIError) -> JSONValue {
        let body = try RequestBody(json, allowed: Self.createFields)
        let slug = try body.requiredString("slug")
        try AuthorizationRules.checkPermissionSlug(slug)
        let name = try AuthorizationRules.name(body, required: true) ?? slug
        let description = try AuthorizationRules.description(body) ?? nil
        let resourceType = try AuthorizationRules.resourceTypeSlug(body) ?? "organization"
        guard permissions[slug] == nil else {
            throw APIError(
                status: 409, message: "A permission with the slug '\(slug)' already exists.",
                code: "permission_slug_conflict")
        }
        let id = identifiers.make("perm", now: now)
        let stamp = Timestamp.iso8601(now)
        let record = PermissionRecord(
            sequence: register(id), id: id, slug: slug, name: name, description: description,
            resourceTypeSlug: resourceType, createdAt: stamp, updatedAt: stamp)
        permissions[slug] = record
        permissionOrder.append(slug)
        return record.json
    }

    /// `GET /authorization/permissions`, paginated in creation order.
    func listPermissions(query: [String: [String]]) throws(APIError) -> JSONValue {
        let paging = try Pagination(query: query)
        let candidates = permissionOrder.compactMap { permissions[$0] }
        let page = try paging.page(candidates, sequence: \.sequence, id: \.id, sequenceOf: { sequenceByID[$0] })
        return Pagination.envelope(page.data.map(\.json), before: page.before, after: page.after)
    }

    /// `GET /authorization/permissions/{slug}`.
    func permission(slug: String) throws(APIError) -> JSONValue {
        guard let permission = permissions[slug] else { throw .notFound("Permission", id: slug) }
        return permission.json
    }

    /// `PATCH /authorization/permissions/{slug}`: only the fields sent change.
    mutating func updatePermission(slug: String, _ json: JSONValue?, now: Double) throws(APIError) -> JSONValue {
        let body = try RequestBody(json, allowed: Self.updateFields)
        let name = try AuthorizationRules.name(body, required: false)
        let description = try AuthorizationRules.description(body)
        guard var permission = permissions[slug] else { throw .notFound("Permission", id: slug) }
        if let name { permission.name = name }
        if let description { permission.description = description }
        permission.updatedAt = Timestamp.iso8601(now)
        permissions[slug] = permission
        return permission.json
    }

    /// `DELETE /authorization/permissions/{slug}`: the permission goes, and every role loses it.
    mutating func deletePermission(slug: String) throws(APIError) {
        guard permissions.removeValue(forKey: slug) != nil else { throw .notFound("Permission", id: slug) }
        permissionOrder.removeAll { $0 == slug }
        for index in roles.indices { roles[index].permissions.removeAll { $0 == slug } }
    }
}
