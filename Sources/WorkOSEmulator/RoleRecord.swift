/// A stored role: an environment role, or a custom role of one organization.
struct RoleRecord: Sendable {
    var id: String
    var slug: String
    var name: String
    var description: String?
    /// Nil for an environment role.
    var organizationID: String?
    var createdAt: String

    /// The API's Role object.
    var json: JSONValue {
        .object([
            "object": .string("role"),
            "id": .string(id),
            "slug": .string(slug),
            "name": .string(name),
            "description": .optionalString(description),
            "type": .string(organizationID == nil ? "EnvironmentRole" : "OrganizationRole"),
            "resource_type_slug": .string("organization"),
            "permissions": .array([]),
            "created_at": .string(createdAt),
            "updated_at": .string(createdAt),
        ])
    }

    /// The role as the snapshot shows it.
    var snapshot: EmulatorSnapshot.Role {
        EmulatorSnapshot.Role(
            id: id, slug: slug, type: organizationID == nil ? "EnvironmentRole" : "OrganizationRole",
            organizationID: organizationID)
    }
}
