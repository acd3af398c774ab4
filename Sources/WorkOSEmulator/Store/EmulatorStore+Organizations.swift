/// `/organizations`: create, get, get by external id, list.
extension EmulatorStore {
    private static let createFields: Set<String> = [
        "name", "external_id", "metadata", "domain_data", "domains", "allow_profiles_outside_organization",
    ]

    /// `POST /organizations` → 201 Organization.
    mutating func createOrganization(_ json: JSONValue?, now: Double) throws(APIError) -> JSONValue {
        let body = try RequestBody(json, allowed: Self.createFields)
        let name = try body.requiredString("name")
        guard !EmailAddress.trimmed(name).isEmpty else { throw .invalidParameters("name must not be blank.") }
        let allowProfiles = try body.bool("allow_profiles_outside_organization") ?? false
        let legacyDomains = try body.stringArray("domains") ?? []
        var domainData: [(String, String)] = []
        if let entries = body.fields["domain_data"], entries != .null {
            guard case .array(let items) = entries else { throw .invalidParameters("domain_data must be an array.") }
            for item in items {
                let entry = try RequestBody(item, allowed: ["domain", "state"])
                let domain = try entry.requiredString("domain")
                guard let state = try entry.enumeration("state", allowed: ["pending", "verified"]) else {
                    throw .invalidParameters("domain_data[].state is required.")
                }
                domainData.append((domain, state))
            }
        }
        domainData += legacyDomains.map { ($0, "pending") }
        let metadata = try FieldRules.metadata(body, limits: fieldLimits) ?? [:]
        let externalID = try FieldRules.externalID(body, limits: fieldLimits) ?? nil
        if let externalID, organizationIDByExternalID[externalID] != nil {
            throw .badRequest("external_id_already_used", "This external ID is already in use.")
        }
        let id = identifiers.make("org", now: now)
        let stamp = Timestamp.iso8601(now)
        var domains: [OrganizationRecord.Domain] = []
        for (domain, state) in domainData {
            domains.append(
                .init(id: identifiers.make("org_domain", now: now), domain: domain, state: state, createdAt: stamp))
        }
        let record = OrganizationRecord(
            sequence: register(id), id: id, name: name, externalID: externalID, metadata: metadata, domains: domains,
            allowProfilesOutsideOrganization: allowProfiles, createdAt: stamp, updatedAt: stamp)
        insert(record)
        return record.json
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
