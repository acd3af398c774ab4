/// A stored organization membership. The embedded user is rendered from the user record.
struct MembershipRecord: Sendable {
    /// Creation order, used for pagination.
    var sequence: Int
    /// `om_…` id.
    var id: String
    /// The member.
    var userID: String
    /// The organization.
    var organizationID: String
    /// `active`, `inactive` or `pending`.
    var status: String
    /// Role slugs; the first is the primary role.
    var roleSlugs: [String]
    /// ISO-8601 creation time.
    var createdAt: String
    /// ISO-8601 time of the last change.
    var updatedAt: String

    /// The API's OrganizationMembership object with the user and roles embedded.
    func json(user: UserRecord, organizationName: String?) -> JSONValue {
        var object: [String: JSONValue] = [
            "object": .string("organization_membership"),
            "id": .string(id),
            "user_id": .string(userID),
            "organization_id": .string(organizationID),
            "status": .string(status),
            "directory_managed": .bool(false),
            "custom_attributes": .object([:]),
            "role": .object(["slug": .string(roleSlugs.first ?? "member")]),
            "roles": .array(roleSlugs.map { .object(["slug": .string($0)]) }),
            "user": user.json,
            "created_at": .string(createdAt),
            "updated_at": .string(updatedAt),
        ]
        if let organizationName { object["organization_name"] = .string(organizationName) }
        return .object(object)
    }

    /// The membership as the snapshot shows it.
    var snapshot: EmulatorSnapshot.Membership {
        EmulatorSnapshot.Membership(
            id: id, userID: userID, organizationID: organizationID, status: status, roleSlugs: roleSlugs,
            createdAt: createdAt)
    }
}
