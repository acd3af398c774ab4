/// `/organizations`: create, get, get by external id, list, update, delete.
extension EmulatorStore {
    private static let createFields: Set<String> = [
        "name", "external_id", "metadata", "domain_data", "domains", "allow_profiles_outside_organization",
    ]
    private static let updateFields = createFields.union(["stripe_customer_id"])

    /// `POST /organizations` → 201 Organization.
    mutating func createOrganization(_ json: JSONValue?, now: Double) throws(APIError) -> JSONValue {
        let body = try RequestBody(json, allowed: Self.createFields)
        let name = try body.requiredString("name")
        guard !EmailAddress.trimmed(name).isEmpty else { throw .invalidParameters("name must not be blank.") }
        let allowProfiles = try body.bool("allow_profiles_outside_organization") ?? false
        let domainData = try Self.domainData(body) ?? []
        let metadata = try FieldRules.metadata(body, limits: fieldLimits) ?? [:]
        let externalID = try FieldRules.externalID(body, limits: fieldLimits) ?? nil
        if let externalID, organizationIDByExternalID[externalID] != nil {
            throw .badRequest("external_id_already_used", "This external ID is already in use.")
        }
        try checkDomains(domainData, organizationID: nil)
        let id = identifiers.make("org", now: now)
        let stamp = Timestamp.iso8601(now)
        let domains = makeDomains(domainData, organizationID: id, now: now)
        let record = OrganizationRecord(
            sequence: register(id), id: id, name: name, externalID: externalID, metadata: metadata, domains: domains,
            allowProfilesOutsideOrganization: allowProfiles, createdAt: stamp, updatedAt: stamp)
        insert(record)
        return record.json
    }

    /// `PUT /organizations/{id}` → 200 Organization. Takes create's fields and `stripe_customer_id`;
    /// only the fields sent change, and `domain_data` (or the deprecated `domains`) replaces every domain.
    /// An external id or Stripe customer id another organization holds is 400 `external_id_already_used` /
    /// `stripe_customer_id_already_used`.
    mutating func updateOrganization(id: String, _ json: JSONValue?, now: Double) throws(APIError) -> JSONValue {
        let body = try RequestBody(json, allowed: Self.updateFields)
        let name = try body.string("name", nullable: false)
        if let name, EmailAddress.trimmed(name).isEmpty { throw .invalidParameters("name must not be blank.") }
        let allowProfiles = try body.bool("allow_profiles_outside_organization", nullable: false)
        let domainData = try Self.domainData(body)
        let stripeCustomerID = try body.string("stripe_customer_id", nullable: false)
        let metadata = try FieldRules.metadata(body, limits: fieldLimits)
        let externalID = try FieldRules.externalID(body, limits: fieldLimits)
        guard var organization = organizations[id] else { throw .notFound("Organization", id: id) }
        if let newExternalID = externalID ?? nil, let owner = organizationIDByExternalID[newExternalID], owner != id {
            throw .badRequest("external_id_already_used", "This external ID is already in use.")
        }
        if let stripeCustomerID,
            organizations.values.contains(where: { $0.id != id && $0.stripeCustomerID == stripeCustomerID })
        {
            throw .badRequest("stripe_customer_id_already_used", "This Stripe customer ID is already in use.")
        }
        if let name { organization.name = name }
        if let allowProfiles { organization.allowProfilesOutsideOrganization = allowProfiles }
        if let domainData {
            try checkDomains(domainData, organizationID: id)
            for domain in organization.domains { organizationIDByDomainID[domain.id] = nil }
            organization.domains = makeDomains(domainData, organizationID: id, now: now)
        }
        if let stripeCustomerID { organization.stripeCustomerID = stripeCustomerID }
        if let metadata { organization.metadata = metadata }
        if let externalID {
            if let old = organization.externalID { organizationIDByExternalID[old] = nil }
            organization.externalID = externalID
            if let externalID { organizationIDByExternalID[externalID] = id }
        }
        organization.updatedAt = Timestamp.iso8601(now)
        organizations[id] = organization
        return organization.json
    }

    /// `DELETE /organizations/{id}`: the organization goes with its memberships and its own roles; 404 for
    /// an unknown id.
    mutating func deleteOrganization(id: String) throws(APIError) {
        guard let organization = organizations.removeValue(forKey: id) else {
            throw .notFound("Organization", id: id)
        }
        organizationOrder.removeAll { $0 == id }
        if let externalID = organization.externalID { organizationIDByExternalID[externalID] = nil }
        for domain in organization.domains { organizationIDByDomainID[domain.id] = nil }
        for membershipID in membershipIDsByOrganization[id] ?? [] { removeMembership(id: membershipID) }
        membershipIDsByOrganization[id] = nil
        roles.removeAll { $0.organizationID == id }
    }

    /// The domains a create or update body gives, `domain_data` entries then the deprecated `domains`
    /// (pending); nil when it sends neither.
    private static func domainData(_ body: RequestBody) throws(APIError) -> [(domain: String, state: String)]? {
        let legacyDomains = try body.stringArray("domains")
        var domainData: [(domain: String, state: String)] = []
        var sent = legacyDomains != nil
        if let entries = body.fields["domain_data"], entries != .null {
            guard case .array(let items) = entries else { throw .invalidParameters("domain_data must be an array.") }
            sent = true
            for item in items {
                let entry = try RequestBody(item, allowed: ["domain", "state"])
                let domain = try entry.requiredString("domain")
                guard let state = try entry.enumeration("state", allowed: ["pending", "verified"]) else {
                    throw .invalidParameters("domain_data[].state is required.")
                }
                domainData.append((domain, state))
            }
        }
        domainData += (legacyDomains ?? []).map { (domain: $0, state: "pending") }
        return sent ? domainData : nil
    }

    /// Domain records, each with a new id, indexed under the organization.
    private mutating func makeDomains(
        _ domainData: [(domain: String, state: String)], organizationID: String, now: Double
    ) -> [OrganizationRecord.Domain] {
        let stamp = Timestamp.iso8601(now)
        return domainData.map { item in
            let id = identifiers.make("org_domain", now: now)
            organizationIDByDomainID[id] = organizationID
            return .init(id: id, domain: item.domain, state: item.state, createdAt: stamp, updatedAt: stamp)
        }
    }

    /// `GET /organizations/{id}`.
    func organization(id: String) throws(APIError) -> JSONValue {
        guard let organization = organizations[id] else { throw .notFound("Organization", id: id) }
        return organization.json
    }

    /// `GET /organizations/external_id/{external_id}`.
    func organization(externalID: String) throws(APIError) -> JSONValue {
        guard let id = organizationIDByExternalID[externalID], let organization = organizations[id] else {
            throw .notFound("Organization", id: externalID)
        }
        return organization.json
    }

    /// `GET /organizations` with `search` (name substring) and `domains` filters.
    func listOrganizations(query: [String: [String]]) throws(APIError) -> JSONValue {
        let paging = try Pagination(query: query)
        var candidates = organizationOrder.compactMap { organizations[$0] }
        if let search = query["search"]?.last, !search.isEmpty {
            let needle = search.lowercased()
            candidates = candidates.filter { $0.name.lowercased().contains(needle) }
        }
        let domains = Set(
            (query["domains"] ?? []) + (query["domains[]"] ?? []).flatMap { $0.split(separator: ",").map(String.init) }
        )
        if !domains.isEmpty {
            candidates = candidates.filter { $0.domains.contains { domains.contains($0.domain) } }
        }
        let page = try paging.page(candidates, sequence: \.sequence, id: \.id, sequenceOf: { sequenceByID[$0] })
        return Pagination.envelope(page.data.map(\.json), before: page.before, after: page.after)
    }
}
