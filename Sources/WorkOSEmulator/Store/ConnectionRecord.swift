/// A stored SSO connection. The identity provider's settings are kept only as far as the answers need
/// them: WorkOS never returns a connection's secrets, so the emulator does not keep them.
struct ConnectionRecord: Sendable {
    /// Creation order, used for pagination.
    var sequence: Int
    /// `conn_…` id.
    var id: String
    /// The organization it belongs to.
    var organizationID: String
    /// The customer's own id, unique within the organization; not part of the Connection object.
    var externalID: String?
    /// `GenericSAML`, `GenericOIDC` or the type the create named.
    var connectionType: String
    /// Display name.
    var name: String
    /// `active` for a connection created with a complete manual configuration, `validating` while the
    /// emulator would fetch a metadata URL (it fetches nothing).
    var state: String
    /// ISO-8601 creation time.
    var createdAt: String
    /// ISO-8601 time of the last change.
    var updatedAt: String

    /// The connection as tests see it.
    var snapshot: EmulatorSnapshot.Connection {
        EmulatorSnapshot.Connection(
            id: id, organizationID: organizationID, externalID: externalID, connectionType: connectionType, name: name,
            state: state)
    }

    /// The spec's Connection object; `domains` are its organization's domains, whose ids they carry.
    func json(domains: [OrganizationRecord.Domain]) -> JSONValue {
        .object([
            "object": .string("connection"),
            "id": .string(id),
            "organization_id": .string(organizationID),
            "connection_type": .string(connectionType),
            "name": .string(name),
            "state": .string(state),
            "status": .string(state == "active" ? "linked" : "unlinked"),
            "domains": .array(
                domains.map { domain in
                    JSONValue.object([
                        "id": .string(domain.id), "object": .string("connection_domain"),
                        "domain": .string(domain.domain),
                    ])
                }),
            "created_at": .string(createdAt),
            "updated_at": .string(updatedAt),
        ])
    }
}
