/// `/connections`: SSO connections. `POST` follows WorkOS's API reference (the route is not in the spec
/// file); the list, get and delete follow the spec.
extension EmulatorStore {
    /// The SAML connection types the create accepts (the spec's `…SAML` types).
    static let samlConnectionTypes: Set<String> = [
        "ADFSSAML", "Auth0SAML", "AzureSAML", "CasSAML", "ClassLinkSAML", "CloudflareSAML", "CyberArkSAML",
        "DuoSAML", "GenericSAML", "GoogleSAML", "JumpCloudSAML", "KeycloakSAML", "LastPassSAML", "MiniOrangeSAML",
        "NetIqSAML", "OktaSAML", "OneLoginSAML", "OracleSAML", "PingFederateSAML", "PingOneSAML", "RipplingSAML",
        "SalesforceSAML", "ShibbolethGenericSAML", "ShibbolethSAML", "SimpleSamlPhpSAML", "VMwareSAML",
    ]
    /// The OIDC connection types the create accepts.
    static let oidcConnectionTypes: Set<String> = [
        "AdpOidc", "CleverOIDC", "EntraIdOIDC", "GenericOIDC", "GoogleOIDC", "LoginGovOidc", "OktaOIDC",
    ]

    /// `POST /connections` → 201 Connection; with an `external_id` the organization's connection already
    /// has, that connection (200), so a repeated create makes no second one. 404 when the environment does
    /// not have the feature (``ssoConnectionsEnabled``) or the organization does not exist.
    mutating func createConnection(_ json: JSONValue?, now: Double) throws(APIError) -> (JSONValue, created: Bool) {
        guard ssoConnectionsEnabled else { throw .routeNotFound }
        let body = try RequestBody(
            json,
            allowed: [
                "organization_id", "name", "external_id", "connection_type", "saml_options", "oidc_options",
                "attribute_maps",
            ])
        let organizationID = try body.requiredString("organization_id")
        guard let organization = organizations[organizationID] else {
            throw .notFound("Organization", id: organizationID)
        }
        let externalID = try body.string("external_id")
        if let externalID, let existing = connectionIDByExternalID[organizationID + "|" + externalID],
            let record = connections[existing]
        {
            return (record.json(domains: organization.domains), false)
        }
        let (type, state) = try Self.checkedProtocol(body)
        let id = identifiers.make("conn", now: now)
        let stamp = Timestamp.iso8601(now)
        let record = ConnectionRecord(
            sequence: register(id), id: id, organizationID: organizationID, externalID: externalID,
            connectionType: type, name: try body.string("name") ?? organization.name, state: state,
            createdAt: stamp, updatedAt: stamp)
        connections[id] = record
        connectionOrder.append(id)
        if let externalID { connectionIDByExternalID[organizationID + "|" + externalID] = id }
        return (record.json(domains: organization.domains), true)
    }

    /// The type and first state of a create's `saml_options` or `oidc_options` (exactly one of them), each
    /// complete: a metadata URL or the manual fields with PEM certificates; a client id and a discovery
    /// endpoint.
    private static func checkedProtocol(_ body: RequestBody) throws(APIError) -> (type: String, state: String) {
        let saml = body.fields["saml_options"].flatMap { $0 == .null ? nil : $0 }
        let oidc = body.fields["oidc_options"].flatMap { $0 == .null ? nil : $0 }
        let named = try body.string("connection_type")
        switch (saml, oidc) {
        case (let options?, nil):
            let fields = try RequestBody(
                options,
                allowed: [
                    "idp_metadata_url", "acs_url", "sp_entity_id", "idp_entity_id", "idp_sso_url",
                    "idp_signing_certs", "sp_signing_key_pair", "sp_encryption_key_pairs",
                ])
            if let named, !samlConnectionTypes.contains(named) {
                throw .invalidParameters("connection_type \(named) does not take saml_options.")
            }
            if try fields.string("idp_metadata_url") != nil {
                if fields.hasValue("idp_sso_url") || fields.hasValue("idp_signing_certs") {
                    throw .invalidParameters("Send idp_metadata_url or the manual IdP fields, not both.")
                }
                return (named ?? "GenericSAML", "validating")
            }
            guard try fields.string("idp_sso_url") != nil, let certs = try fields.stringArray("idp_signing_certs"),
                !certs.isEmpty
            else {
                throw .invalidParameters("saml_options needs idp_metadata_url, or idp_sso_url and idp_signing_certs.")
            }
            guard certs.allSatisfy({ $0.contains("-----BEGIN CERTIFICATE-----") }) else {
                throw .invalidParameters("idp_signing_certs must be PEM-encoded X.509 certificates.")
            }
            return (named ?? "GenericSAML", "active")
        case (nil, let options?):
            let fields = try RequestBody(
                options,
                allowed: [
                    "discovery_endpoint", "client_id", "client_secret", "redirect_uri", "pkce",
                    "token_authentication_method", "jwt_signing_key_pair", "id_token_signature_algorithm",
                    "fetch_user_info",
                ])
            if let named, !oidcConnectionTypes.contains(named) {
                throw .invalidParameters("connection_type \(named) does not take oidc_options.")
            }
            _ = try fields.requiredString("discovery_endpoint")
            _ = try fields.requiredString("client_id")
            return (named ?? "GenericOIDC", "active")
        default:
            throw .invalidParameters("Provide saml_options or oidc_options (one of them).")
        }
    }

    /// `GET /connections` → a page of connections, filtered by `organization_id`, `connection_type`,
    /// `domain` and `search` (a part of the name, any case).
    func listConnections(query: [String: [String]]) throws(APIError) -> JSONValue {
        let paging = try Pagination(query: query)
        let organizationID = query["organization_id"]?.last
        let type = query["connection_type"]?.last
        let domain = query["domain"]?.last?.lowercased()
        let search = query["search"]?.last?.lowercased()
        let candidates = connectionOrder.compactMap { connections[$0] }.filter { record in
            if let organizationID, record.organizationID != organizationID { return false }
            if let type, record.connectionType != type { return false }
            if let search, !search.isEmpty, !record.name.lowercased().contains(search) { return false }
            if let domain {
                let domains = organizations[record.organizationID]?.domains ?? []
                if !domains.contains(where: { $0.domain.lowercased() == domain }) { return false }
            }
            return true
        }
        let page = try paging.page(candidates, sequence: \.sequence, id: \.id, sequenceOf: { sequenceByID[$0] })
        return Pagination.envelope(
            page.data.map { $0.json(domains: organizations[$0.organizationID]?.domains ?? []) }, before: page.before,
            after: page.after)
    }

    /// `GET /connections/{id}`.
    func connection(id: String) throws(APIError) -> JSONValue {
        guard let record = connections[id] else { throw .notFound("Connection", id: id) }
        return record.json(domains: organizations[record.organizationID]?.domains ?? [])
    }

    /// `DELETE /connections/{id}`: the connection is gone; its external id may be used again.
    mutating func deleteConnection(id: String) throws(APIError) {
        guard let record = connections.removeValue(forKey: id) else { throw .notFound("Connection", id: id) }
        connectionOrder.removeAll { $0 == id }
        if let externalID = record.externalID {
            connectionIDByExternalID[record.organizationID + "|" + externalID] = nil
        }
    }
}
