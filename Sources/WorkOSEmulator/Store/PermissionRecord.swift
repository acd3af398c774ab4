/// A stored permission: a slug that environment and organization roles carry.
struct PermissionRecord: Sendable {
    /// Creation order, used for pagination.
    var sequence: Int
    /// `perm_…` id.
    var id: String
    /// The unique key roles refer to, such as `documents:read`.
    var slug: String
    /// Display name.
    var name: String
    /// Free text.
    var description: String?
    /// The resource type the permission is scoped to; `organization` unless the create names another.
    var resourceTypeSlug: String
    /// ISO-8601 creation time.
    var createdAt: String
    /// ISO-8601 time of the last change.
    var updatedAt: String

    /// The API's AuthorizationPermission object. Permissions made through the API are never system ones.
    var json: JSONValue {
        .object([
            "object": .string("permission"),
            "id": .string(id),
            "slug": .string(slug),
            "name": .string(name),
            "description": .optionalString(description),
            "system": .bool(false),
            "resource_type_slug": .string(resourceTypeSlug),
            "created_at": .string(createdAt),
            "updated_at": .string(updatedAt),
        ])
    }

    /// The permission as the snapshot shows it.
    var snapshot: EmulatorSnapshot.Permission {
        EmulatorSnapshot.Permission(id: id, slug: slug, name: name, description: description)
    }
}
