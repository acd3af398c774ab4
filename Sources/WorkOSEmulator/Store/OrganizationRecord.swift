/// A stored organization with its domains.
struct OrganizationRecord: Sendable {
    /// One verified or pending domain of an organization.
    struct Domain: Sendable {
        /// `org_…` id (`org_domain_…` for a domain).
        var id: String
        /// The domain name.
        var domain: String
        /// `pending` or `verified`.
        var state: String
        /// ISO-8601 creation time.
        var createdAt: String
    }

    /// Creation order, used for pagination.
    var sequence: Int
    /// `org_…` id (`org_domain_…` for a domain).
    var id: String
    /// Display name; need not be unique.
    var name: String
    /// The customer's own id; unique.
    var externalID: String?
    /// String key-value metadata.
    var metadata: [String: String]
    /// Domains given at creation.
    var domains: [Domain]
    /// Deprecated flag, stored as sent.
    var allowProfilesOutsideOrganization: Bool
    /// ISO-8601 creation time.
    var createdAt: String
    /// ISO-8601 time of the last change.
    var updatedAt: String
    /// Set only by an update; unique.
    var stripeCustomerID: String? = nil

    /// The API's Organization object (without `stripe_customer_id`, which is left out when null).
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "object": .string("organization"),
            "id": .string(id),
            "name": .string(name),
            "external_id": .optionalString(externalID),
            "metadata": .object(metadata.mapValues(JSONValue.string)),
            "allow_profiles_outside_organization": .bool(allowProfilesOutsideOrganization),
            "domains": .array(
                domains.map { domain in
                    .object([
                        "object": .string("organization_domain"),
                        "id": .string(domain.id),
                        "organization_id": .string(id),
                        "domain": .string(domain.domain),
                        "state": .string(domain.state),
                        "verification_strategy": .string("manual"),
                        "created_at": .string(domain.createdAt),
                        "updated_at": .string(domain.createdAt),
                    ])
                }),
            "created_at": .string(createdAt),
            "updated_at": .string(updatedAt),
        ]
        if let stripeCustomerID { object["stripe_customer_id"] = .string(stripeCustomerID) }
        return .object(object)
    }

    /// The organization as the snapshot shows it.
    var snapshot: EmulatorSnapshot.Organization {
        EmulatorSnapshot.Organization(
            id: id, name: name, externalID: externalID, metadata: metadata, domains: domains.map(\.domain),
            createdAt: createdAt)
    }
}
