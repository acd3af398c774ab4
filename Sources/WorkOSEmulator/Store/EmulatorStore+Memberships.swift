/// `/user_management/organization_memberships`: create, get, list, update, deactivate, reactivate, delete.
extension EmulatorStore {
    private static let createFields: Set<String> = ["user_id", "organization_id", "role_slug", "role_slugs"]
    private static let updateFields: Set<String> = ["role_slug", "role_slugs"]
    private static let statuses = ["active", "inactive", "pending"]

    /// `POST /user_management/organization_memberships` → 201 Membership.
    ///
    /// An inactive membership of the same pair is reactivated (still 201); an active one is
    /// `409 conflict`; a pending one is `400 cannot_reactivate_pending_organization_membership`.
    mutating func createMembership(_ json: JSONValue?, now: Double) throws(APIError) -> JSONValue {
        let body = try RequestBody(json, allowed: Self.createFields)
        let userID = try body.requiredString("user_id")
        let organizationID = try body.requiredString("organization_id")
        let requested = try Self.requestedRoles(body)
        guard let user = users[userID] else { throw .notFound("User", id: userID) }
        guard let organization = organizations[organizationID] else {
            throw .notFound("Organization", id: organizationID)
        }
        let unique = try checkedRoles(requested ?? [], organizationID: organizationID)
        let stamp = Timestamp.iso8601(now)
        if let existingID = membershipIDByPair[userID + "|" + organizationID], var existing = memberships[existingID] {
            switch existing.status {
            case "active":
                throw APIError(status: 409, message: "Membership already exists", code: "conflict")
            case "pending":
                throw .badRequest(
                    "cannot_reactivate_pending_organization_membership",
                    "A pending membership exists for this user; accept or revoke its invitation first.")
            default:
                existing.status = "active"
                existing.roleSlugs = unique
                existing.updatedAt = stamp
                memberships[existingID] = existing
                return existing.json(user: user, organizationName: organization.name)
            }
        }
        let id = identifiers.make("om", now: now)
        let record = MembershipRecord(
            sequence: register(id), id: id, userID: userID, organizationID: organizationID, status: "active",
            roleSlugs: unique, createdAt: stamp, updatedAt: stamp)
        insert(record)
        return record.json(user: user, organizationName: organization.name)
    }

    /// `GET /user_management/organization_memberships/{id}`.
    func membership(id: String) throws(APIError) -> JSONValue {
        guard let membership = memberships[id], let user = users[membership.userID] else {
            throw .notFound("Organization Membership", id: id)
        }
        return membership.json(user: user, organizationName: organizations[membership.organizationID]?.name)
    }

    /// `GET /user_management/organization_memberships`: needs `user_id` or `organization_id`;
    /// lists only active memberships unless `statuses` says otherwise (comma-joined, repeated, or
    /// `statuses[]`).
    func listMemberships(query: [String: [String]]) throws(APIError) -> JSONValue {
        let userID = query["user_id"]?.last
        let organizationID = query["organization_id"]?.last
        guard userID != nil || organizationID != nil else {
            throw .badRequest(
                "missing_user_id_or_organization_id", "Send user_id or organization_id to list memberships.")
        }
        let paging = try Pagination(query: query)
        let requested = ((query["statuses"] ?? []) + (query["statuses[]"] ?? []))
            .flatMap { $0.split(separator: ",").map(String.init) }
        if let bad = requested.first(where: { !Self.statuses.contains($0) }) {
            throw .invalidParameters("statuses may hold only active, inactive and pending, not '\(bad)'.")
        }
        let wanted = Set(requested.isEmpty ? ["active"] : requested)
        let scope =
            userID.map { membershipIDsByUser[$0] ?? [] } ?? organizationID.map { membershipIDsByOrganization[$0] ?? [] }
            ?? []
        let candidates = scope.compactMap { memberships[$0] }.filter { membership in
            (userID == nil || membership.userID == userID)
                && (organizationID == nil || membership.organizationID == organizationID)
                && wanted.contains(membership.status)
        }
        let page = try paging.page(candidates, sequence: \.sequence, id: \.id, sequenceOf: { sequenceByID[$0] })
        let data = page.data.compactMap { membership in
            users[membership.userID].map {
                membership.json(user: $0, organizationName: organizations[membership.organizationID]?.name)
            }
        }
        return Pagination.envelope(data, before: page.before, after: page.after)
    }

    /// `PUT /user_management/organization_memberships/{id}` → 200 Membership with its new roles.
    ///
    /// Takes one of `role_slug` or `role_slugs` (both is 422 `invalid_request_parameters`), checked as on
    /// create: `invalid_role` for a slug the organization does not have, `multiple_roles_not_enabled` for
    /// several slugs with the switch off. A body with neither leaves the roles as they are.
    mutating func updateMembership(id: String, _ json: JSONValue?, now: Double) throws(APIError) -> JSONValue {
        let body = try RequestBody(json, allowed: Self.updateFields)
        let requested = try Self.requestedRoles(body)
        guard var membership = memberships[id], let user = users[membership.userID] else {
            throw .notFound("Organization Membership", id: id)
        }
        if let requested {
            membership.roleSlugs = try checkedRoles(requested, organizationID: membership.organizationID)
        }
        membership.updatedAt = Timestamp.iso8601(now)
        memberships[id] = membership
        return membership.json(user: user, organizationName: organizations[membership.organizationID]?.name)
    }

    /// `PUT /user_management/organization_memberships/{id}/deactivate` → 200 Membership, now inactive.
    ///
    /// An inactive membership is left as it is (still 200); a pending one is
    /// `400 cannot_deactivate_pending_organization_membership`, since it should be deleted instead.
    mutating func deactivateMembership(id: String, _ json: JSONValue?, now: Double) throws(APIError) -> JSONValue {
        try changeStatus(
            id: id, json, to: "inactive", now: now,
            pendingError: .badRequest(
                "cannot_deactivate_pending_organization_membership",
                "A pending organization membership cannot be deactivated. This membership should be deleted instead."
            ))
    }

    /// `PUT /user_management/organization_memberships/{id}/reactivate` → 200 Membership, active again with
    /// its earlier roles.
    ///
    /// An active membership is left as it is (still 200); a pending one is
    /// `400 cannot_reactivate_pending_organization_membership`, since the user must accept the invitation.
    mutating func reactivateMembership(id: String, _ json: JSONValue?, now: Double) throws(APIError) -> JSONValue {
        try changeStatus(
            id: id, json, to: "active", now: now,
            pendingError: .badRequest(
                "cannot_reactivate_pending_organization_membership",
                "A pending organization membership cannot be reactivated. The user needs to accept the invitation instead."
            ))
    }

    /// Moves an active or inactive membership to `status`; one already there is unchanged.
    private mutating func changeStatus(
        id: String, _ json: JSONValue?, to status: String, now: Double, pendingError: APIError
    ) throws(APIError) -> JSONValue {
        _ = try RequestBody(json, allowed: [])
        guard var membership = memberships[id], let user = users[membership.userID] else {
            throw .notFound("Organization Membership", id: id)
        }
        if membership.status == "pending" { throw pendingError }
        if membership.status != status {
            membership.status = status
            membership.updatedAt = Timestamp.iso8601(now)
            memberships[id] = membership
        }
        return membership.json(user: user, organizationName: organizations[membership.organizationID]?.name)
    }

    /// The slugs a create or update body asks for: nil when it names none; `role_slug` and `role_slugs`
    /// together are 422 `invalid_request_parameters`.
    private static func requestedRoles(_ body: RequestBody) throws(APIError) -> [String]? {
        let roleSlug = try body.string("role_slug")
        let roleSlugs = try body.stringArray("role_slugs")
        if roleSlug != nil, roleSlugs != nil {
            throw .invalidParameters("Send either role_slug or role_slugs, not both.")
        }
        return roleSlugs ?? roleSlug.map { [$0] }
    }

    /// `slugs` without repeats, the default role when empty, after the checks the API makes: several slugs
    /// need the multiple-roles switch (422 `multiple_roles_not_enabled`) and each must be an environment
    /// role or one of the organization's (422 `invalid_role`).
    private func checkedRoles(_ slugs: [String], organizationID: String) throws(APIError) -> [String] {
        let slugs = slugs.isEmpty ? [defaultRoleSlug] : slugs
        if slugs.count > 1, !multipleRolesEnabled {
            throw APIError(
                status: 422, message: "Multiple roles are not enabled for this environment.",
                code: "multiple_roles_not_enabled")
        }
        let known = Set(roles.filter { $0.organizationID == nil || $0.organizationID == organizationID }.map(\.slug))
        if let unknown = slugs.first(where: { !known.contains($0) }) {
            throw APIError(status: 422, message: "Role '\(unknown)' is not a valid role.", code: "invalid_role")
        }
        var unique: [String] = []
        for slug in slugs where !unique.contains(slug) { unique.append(slug) }
        return unique
    }

    /// `DELETE /user_management/organization_memberships/{id}`.
    mutating func deleteMembership(id: String) throws(APIError) {
        guard memberships[id] != nil else { throw .notFound("Organization Membership", id: id) }
        removeMembership(id: id)
    }

    /// Removes a membership and its pair index.
    mutating func removeMembership(id: String) {
        guard let membership = memberships.removeValue(forKey: id) else { return }
        membershipOrder.removeAll { $0 == id }
        membershipIDByPair[membership.userID + "|" + membership.organizationID] = nil
        membershipIDsByUser[membership.userID]?.removeAll { $0 == id }
        membershipIDsByOrganization[membership.organizationID]?.removeAll { $0 == id }
    }
}
