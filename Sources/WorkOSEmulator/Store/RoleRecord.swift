/// A stored role: an environment role, or a custom role of one organization.
struct RoleRecord: Sendable {
    /// `role_…` id.
    var id: String
    /// Slug used in `role_slug(s)`.
    var slug: String
    /// Display name.
    var name: String
    /// Free text.
    var description: String?
    /// Nil for an environment role.
    var organizationID: String?
    /// The slugs of the permissions the role grants, in the order they were given.
    var permissions: [String] = []
    /// The resource type the role is scoped to.
    var resourceTypeSlug = "organization"
    /// ISO-8601 creation time.
    var createdAt: String
    /// ISO-8601 time of the last change.
    var updatedAt: String

    /// The API's Role object.
    var json: JSONValue {
        .object([
            "object": .string("role"),
            "id": .string(id),
            "slug": .string(slug),
            "name": .string(name),
            "description": .optionalString(description),
            "type": .string(organizationID == nil ? "EnvironmentRole" : "OrganizationRole"),
            "resource_type_slug": .string(resourceTypeSlug),
            "permissions": .array(permissions.map(JSONValue.string)),
            "created_at": .string(createdAt),
            "updated_at": .string(updatedAt),
        ])
    }

    /// The role as the snapshot shows it.
    var snapshot: EmulatorSnapshot.Role {
        EmulatorSnapshot.Role(
            id: id, slug: slug, type: organizationID == nil ? "EnvironmentRole" : "OrganizationRole",
            organizationID: organizationID, name: name, permissions: permissions)
    }
}
