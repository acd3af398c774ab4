/// The field rules of the authorization routes (permissions, environment roles, organization roles), as the
/// spec's request schemas state them: names and slugs at most 48 characters, descriptions at most 150.
enum AuthorizationRules {
    /// The longest slug, name or resource type slug the spec allows.
    static let maxNameLength = 48
    /// The longest description the spec allows.
    static let maxDescriptionLength = 150

    /// A permission slug: lower case letters, digits, `-`, `_`, `:`, `.` and `*`, at most 48 characters.
    static func checkPermissionSlug(_ slug: String) throws(APIError) {
        guard !slug.isEmpty, slug.count <= maxNameLength,
            slug.unicodeScalars.allSatisfy({ isSlugScalar($0, extra: ":.*") })
        else {
            throw .invalidParameters(
                "slug must be 1 to 48 lower case letters, digits, hyphens, underscores, colons, periods or asterisks.")
        }
    }

    /// An environment role slug: the spec sets only its length; it may not be blank.
    static func checkEnvironmentRoleSlug(_ slug: String) throws(APIError) {
        guard !EmailAddress.trimmed(slug).isEmpty, slug.count <= maxNameLength else {
            throw .invalidParameters("slug must be 1 to 48 characters.")
        }
    }

    /// An organization role slug: begins with `org-`, then lower case letters, digits, hyphens and
    /// underscores, at most 48 characters in all.
    static func checkOrganizationRoleSlug(_ slug: String) throws(APIError) {
        guard slug.hasPrefix("org-"), slug.count > 4, slug.count <= maxNameLength,
            slug.unicodeScalars.allSatisfy({ isSlugScalar($0, extra: "") })
        else {
            throw .invalidParameters(
                "slug must begin with 'org-' and contain only lower case letters, numbers, hyphens and underscores (at most 48 characters)."
            )
        }
    }

    /// The `name` field: required on creates, at most 48 characters, not blank.
    static func name(_ body: RequestBody, required: Bool) throws(APIError) -> String? {
        let name = required ? try body.requiredString("name") : try body.string("name", nullable: false)
        guard let name else { return nil }
        guard !EmailAddress.trimmed(name).isEmpty, name.count <= maxNameLength else {
            throw .invalidParameters("name must be 1 to 48 characters.")
        }
        return name
    }

    /// The `description` field: absent (nil), `null` (`.some(nil)`) or at most 150 characters.
    static func description(_ body: RequestBody) throws(APIError) -> String?? {
        guard body.has("description") else { return nil }
        guard let text = try body.string("description") else { return .some(nil) }
        guard text.count <= maxDescriptionLength else {
            throw .invalidParameters("description must be at most 150 characters.")
        }
        return .some(text)
    }

    /// The `resource_type_slug` field, at most 48 characters.
    static func resourceTypeSlug(_ body: RequestBody) throws(APIError) -> String? {
        guard let slug = try body.string("resource_type_slug", nullable: false) else { return nil }
        guard !slug.isEmpty, slug.count <= maxNameLength else {
            throw .invalidParameters("resource_type_slug must be 1 to 48 characters.")
        }
        return slug
    }

    /// A slug made from a role name, as WorkOS makes one when a custom role's create names none:
    /// `org-`, the name in lower case with runs of other characters as one hyphen, and a random suffix.
    static func organizationRoleSlug(fromName name: String) -> String {
        var stem = ""
        for scalar in name.lowercased().unicodeScalars {
            if isSlugScalar(scalar, extra: "") && scalar != "-" {
                stem.unicodeScalars.append(scalar)
            } else if !stem.isEmpty && !stem.hasSuffix("-") {
                stem.append("-")
            }
        }
        while stem.hasSuffix("-") { stem.removeLast() }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var random = SystemRandomNumberGenerator()
        let suffix = String((0..<6).map { _ in alphabet[Int(random.next(upperBound: UInt8(alphabet.count)))] })
        let room = maxNameLength - "org-".count - suffix.count - 1
        let trimmed = String(stem.prefix(max(0, room)))
        return trimmed.isEmpty ? "org-\(suffix)" : "org-\(trimmed)-\(suffix)"
    }

    private static func isSlugScalar(_ scalar: Unicode.Scalar, extra: String) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
            || extra.unicodeScalars.contains(scalar)
    }
}
