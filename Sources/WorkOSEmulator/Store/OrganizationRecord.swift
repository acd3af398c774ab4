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
        /// ISO-8601 time of the last change.
        var updatedAt: String
        /// `manual` for a domain given in an organization's `domain_data`, `dns` for one added through
        /// `POST /organization_domains`, which also carries a DNS record to publish.
        var verificationStrategy = "manual"
        /// The DNS record's name prefix and value, for a `dns` domain.
        var verificationPrefix: String? = nil
        var verificationToken: String? = nil

        /// The API's OrganizationDomain object.
        func json(organizationID: String) -> JSONValue {
            var object: [String: JSONValue] = [
                "object": .string("organization_domain"),
                "id": .string(id),
                "organization_id": .string(organizationID),
                "domain": .string(domain),
                "state": .string(state),
                "verification_strategy": .string(verificationStrategy),
                "created_at": .string(createdAt),
                "updated_at": .string(updatedAt),
            ]
            if let verificationPrefix { object["verification_prefix"] = .string(verificationPrefix) }
            if let verificationToken { object["verification_token"] = .string(verificationToken) }
            return .object(object)
        }
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
            "domains": .array(domains.map { $0.json(organizationID: id) }),
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
            domainStates: Dictionary(domains.map { ($0.domain, $0.state) }, uniquingKeysWith: { first, _ in first }),
            createdAt: createdAt)
    }
}
