/// Organization domains: the rules every domain an organization takes is held to, and
/// `/organization_domains` (create, get, delete, verify).
///
/// A domain may be attached to several organizations, but verified by one only, since a verified domain
/// routes sign-ins. Consumer mail domains (gmail.com and the like) are refused outright, as WorkOS refuses
/// to add them.
extension EmulatorStore {
    /// Mail providers whose domains belong to no single organization.
    static let consumerDomains: Set<String> = [
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com",
        "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "gmx.com",
        "gmx.de", "mail.com", "yandex.com", "zoho.com", "qq.com", "163.com",
    ]

    /// Checks domains an organization create or update gives: no consumer domain, and none verified that
    /// another organization has verified (409).
    func checkDomains(_ domainData: [(domain: String, state: String)], organizationID: String?) throws(APIError) {
        for item in domainData {
            try checkDomainName(item.domain)
            if item.state == "verified", let holder = verifiedHolder(of: item.domain), holder != organizationID {
                throw APIError(status: 409, message: "The domain '\(item.domain)' is verified by another organization.")
            }
        }
    }

    /// `POST /organization_domains` with `{domain, organization_id}` → 201 OrganizationDomain, pending, to be
    /// verified by DNS; 409 `domain_already_exists` when the organization has it already.
    mutating func createOrganizationDomain(_ json: JSONValue?, now: Double) throws(APIError) -> JSONValue {
        let body = try RequestBody(json, allowed: ["domain", "organization_id"])
        let name = try body.requiredString("domain")
        let organizationID = try body.requiredString("organization_id")
        try checkDomainName(name)
        guard var organization = organizations[organizationID] else {
            throw .notFound("Organization", id: organizationID)
        }
        guard !organization.domains.contains(where: { $0.domain.lowercased() == name.lowercased() }) else {
            throw APIError(
                status: 409, message: "Domain already exists for this organization.", code: "domain_already_exists")
        }
        let id = identifiers.make("org_domain", now: now)
        let stamp = Timestamp.iso8601(now)
        let token = identifiers.make("token", now: now).dropFirst("token_".count).lowercased()
        let domain = OrganizationRecord.Domain(
            id: id, domain: name, state: "pending", createdAt: stamp, updatedAt: stamp, verificationStrategy: "dns",
            verificationPrefix: "workos-domain-verification", verificationToken: String(token))
        organization.domains.append(domain)
        organization.updatedAt = stamp
        organizations[organizationID] = organization
        organizationIDByDomainID[id] = organizationID
        return domain.json(organizationID: organizationID)
    }

    /// `GET /organization_domains/{id}`.
    func organizationDomain(id: String) throws(APIError) -> JSONValue {
        let (organizationID, index) = try domainPosition(id: id)
        return organizations[organizationID]!.domains[index].json(organizationID: organizationID)
    }

    /// `DELETE /organization_domains/{id}`: the domain leaves its organization.
    mutating func deleteOrganizationDomain(id: String, now: Double) throws(APIError) {
        let (organizationID, index) = try domainPosition(id: id)
        organizations[organizationID]!.domains.remove(at: index)
        organizations[organizationID]!.updatedAt = Timestamp.iso8601(now)
        organizationIDByDomainID[id] = nil
    }

    /// `POST /organization_domains/{id}/verify` → 201 OrganizationDomain, verified at once (the emulator has
    /// no DNS to check); 400 `domain_already_verified` when it is, or when another organization verified the
    /// same domain.
    mutating func verifyOrganizationDomain(id: String, now: Double) throws(APIError) -> JSONValue {
        let (organizationID, index) = try domainPosition(id: id)
        var domain = organizations[organizationID]!.domains[index]
        guard domain.state != "verified" else {
            throw .badRequest("domain_already_verified", "Domain is already verified.")
        }
        if let holder = verifiedHolder(of: domain.domain), holder != organizationID {
            throw .badRequest("domain_already_verified", "Domain is already verified by another organization.")
        }
        domain.state = "verified"
        domain.updatedAt = Timestamp.iso8601(now)
        organizations[organizationID]!.domains[index] = domain
        return domain.json(organizationID: organizationID)
    }

    /// The organization that has verified `domain`, if one has.
    private func verifiedHolder(of domain: String) -> String? {
        let wanted = domain.lowercased()
        for id in organizationOrder {
            if let organization = organizations[id],
                organization.domains.contains(where: { $0.state == "verified" && $0.domain.lowercased() == wanted })
            {
                return id
            }
        }
        return nil
    }

    /// A domain name's own rules: a host name with a dot, and no consumer mail domain.
    private func checkDomainName(_ domain: String) throws(APIError) {
        let lowered = domain.lowercased()
        guard lowered.contains("."), !lowered.hasPrefix("."), !lowered.hasSuffix("."),
            lowered.unicodeScalars.allSatisfy({
                $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "."
            })
        else {
            throw .invalidParameters("'\(domain)' is not a domain name.")
        }
        guard !Self.consumerDomains.contains(lowered) else {
            throw .invalidParameters("Consumer email domains such as \(lowered) cannot be added to an organization.")
        }
    }

    /// Where the domain with this id is stored; 404 when no organization has it.
    private func domainPosition(id: String) throws(APIError) -> (organizationID: String, index: Int) {
        guard let organizationID = organizationIDByDomainID[id],
            let index = organizations[organizationID]?.domains.firstIndex(where: { $0.id == id })
        else { throw .notFound("Organization Domain", id: id) }
        return (organizationID, index)
    }
}
