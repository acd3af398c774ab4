/// The WorkOS User Management operations the importer needs, one HTTP request per call.
///
/// Calls make exactly one attempt: retries, pacing and idempotency decisions belong to the caller, so they
/// can be tested as pure logic. ``WorkOSHTTPClient`` is the real implementation.
public protocol WorkOSAPI: Sendable {
    /// `GET /user_management/users?limit=1`: one cheap authenticated read, made before the first row so a
    /// wrong key, a wrong base URL or a TLS mismatch stops the run at once instead of failing every row.
    func checkAccess() async throws(WorkOSClientError)
    /// `POST /user_management/users`.
    func createUser(_ request: CreateUserRequest, idempotencyKey: String?) async throws(WorkOSClientError)
        -> WorkOSUser
    /// `PUT /user_management/users/{id}`.
    func updateUser(id: String, _ request: UpdateUserRequest) async throws(WorkOSClientError) -> WorkOSUser
    /// `DELETE /user_management/users/{id}`.
    func deleteUser(id: String) async throws(WorkOSClientError)
    /// `GET /user_management/users/{id}`.
    func getUser(id: String) async throws(WorkOSClientError) -> WorkOSUser
    /// `GET /user_management/users?email=`: the users with this email (zero or one in practice).
    func listUsers(email: String) async throws(WorkOSClientError) -> [WorkOSUser]
    /// `GET /user_management/users?limit=100&after=`: one page of every user of the environment, newest
    /// first; the page's `list_metadata.after` is the cursor of the next page, nil on the last.
    func listUsers(after: String?) async throws(WorkOSClientError) -> WorkOSList<WorkOSUser>
    /// `GET /organizations/{id}`.
    func getOrganization(id: String) async throws(WorkOSClientError) -> WorkOSOrganization
    /// `GET /organizations/external_id/{external_id}`.
    func getOrganization(externalId: String) async throws(WorkOSClientError) -> WorkOSOrganization
    /// `POST /organizations`.
    func createOrganization(_ request: CreateOrganizationRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSOrganization
    /// `PUT /organizations/{id}`: sets the organization's domains and metadata.
    func updateOrganization(id: String, _ request: UpdateOrganizationRequest) async throws(WorkOSClientError)
        -> WorkOSOrganization
    /// `POST /user_management/organization_memberships`.
    func createMembership(_ request: CreateMembershipRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSMembership
    /// `GET /user_management/organization_memberships?user_id=&organization_id=&statuses=`: the user's
    /// memberships of the organization with one of `statuses` (WorkOS lists only active ones when empty).
    func listMemberships(userId: String, organizationId: String, statuses: [String]) async throws(WorkOSClientError)
        -> [WorkOSMembership]
    /// `GET /user_management/organization_memberships?organization_id=&statuses=active,inactive,pending`: one
    /// page (up to 100) of the organization's memberships of every status, after the cursor `after`; the
    /// page's `list_metadata.after` is the cursor of the next page, nil on the last.
    func listMemberships(organizationId: String, after: String?) async throws(WorkOSClientError)
        -> WorkOSList<WorkOSMembership>
    /// `DELETE /user_management/organization_memberships/{id}`.
    func deleteMembership(id: String) async throws(WorkOSClientError)
    /// `PUT /user_management/organization_memberships/{id}/deactivate`: makes an active membership inactive
    /// (an inactive one stays so); undo uses it to put back a membership the import reactivated.
    func deactivateMembership(id: String) async throws(WorkOSClientError) -> WorkOSMembership
    /// `PUT /user_management/organization_memberships/{id}`: sets the membership's roles.
    func updateMembership(id: String, _ request: UpdateMembershipRequest) async throws(WorkOSClientError)
        -> WorkOSMembership
    /// `GET /authorization/organizations/{id}/roles`: the environment's roles and the organization's own.
    func listOrganizationRoles(organizationId: String) async throws(WorkOSClientError) -> [WorkOSRole]
    /// `GET /authorization/roles`: the environment's roles, which every organization has.
    func listEnvironmentRoles() async throws(WorkOSClientError) -> [WorkOSRole]
    /// `GET /authorization/permissions/{slug}`.
    func getPermission(slug: String) async throws(WorkOSClientError) -> WorkOSPermission
    /// `POST /authorization/permissions`.
    func createPermission(_ request: CreatePermissionRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSPermission
    /// `DELETE /authorization/permissions/{slug}`: roles lose the permission too.
    func deletePermission(slug: String) async throws(WorkOSClientError)
    /// `GET /authorization/roles/{slug}`, or `GET /authorization/organizations/{organizationId}/roles/{slug}`
    /// when `organizationId` is given.
    func getRole(slug: String, organizationId: String?) async throws(WorkOSClientError) -> WorkOSRole
    /// `POST /authorization/roles`, or `POST /authorization/organizations/{organizationId}/roles`.
    func createRole(_ request: CreateRoleRequest, organizationId: String?, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSRole
    /// `PATCH /authorization/roles/{slug}` (or the organization's): the role's name.
    func updateRole(slug: String, organizationId: String?, _ request: UpdateRoleRequest)
        async throws(WorkOSClientError) -> WorkOSRole
    /// `PUT /authorization/roles/{slug}/permissions` (or the organization's): the role's permissions become
    /// exactly these.
    func setRolePermissions(slug: String, organizationId: String?, _ request: SetRolePermissionsRequest)
        async throws(WorkOSClientError) -> WorkOSRole
    /// `DELETE /authorization/organizations/{organizationId}/roles/{slug}`: 409 `role_has_assignments` while
    /// a membership holds it. The spec has no delete for an environment role.
    func deleteOrganizationRole(slug: String, organizationId: String) async throws(WorkOSClientError)
    /// `POST /user_management/users/{id}/auth_factors` with a TOTP secret.
    func enrollTOTPFactor(userId: String, _ request: EnrollTOTPRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSAuthFactor
    /// `GET /user_management/users/{id}/auth_factors`: the user's factors (first 100).
    func listAuthFactors(userId: String) async throws(WorkOSClientError) -> [WorkOSAuthFactor]
    /// `DELETE /auth/factors/{id}`: the spec's only route that deletes a factor.
    func deleteAuthFactor(id: String) async throws(WorkOSClientError)
    /// `DELETE /organizations/{id}`: draws on WorkOS's own organization-delete limit (50 per 60 s).
    func deleteOrganization(id: String) async throws(WorkOSClientError)
    /// `GET /webhook_endpoints?limit=100&after=`: one page of the environment's webhook endpoints; the page's
    /// `list_metadata.after` is the cursor of the next page, nil on the last.
    func listWebhookEndpoints(after: String?) async throws(WorkOSClientError) -> WorkOSList<WorkOSWebhookEndpoint>
    /// `GET /organizations?limit=100&order=asc&after=`: one page of every organization of the environment,
    /// oldest first; the page's `list_metadata.after` is the cursor of the next page, nil on the last.
    func listOrganizations(after: String?) async throws(WorkOSClientError) -> WorkOSList<WorkOSOrganization>
    /// `POST /connections` (documented in the API reference, not in the spec file): creates an SSO
    /// connection, or answers the organization's connection with the same `external_id`. A 404 means the
    /// environment does not have the feature.
    func createSSOConnection(_ request: CreateSSOConnectionRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSSSOConnection
    /// `GET /connections/{id}`.
    func getSSOConnection(id: String) async throws(WorkOSClientError) -> WorkOSSSOConnection
    /// `DELETE /connections/{id}`.
    func deleteSSOConnection(id: String) async throws(WorkOSClientError)
}

extension WorkOSAPI {
    /// No webhook endpoints: the default of doubles and offline stand-ins, which model no deliveries.
    public func listWebhookEndpoints(after: String?) async throws(WorkOSClientError)
        -> WorkOSList<WorkOSWebhookEndpoint>
    {
        WorkOSList(data: [])
    }

    /// Not found: the default of doubles and offline stand-ins, which model no organization file.
    public func updateOrganization(id: String, _ request: UpdateOrganizationRequest) async throws(WorkOSClientError)
        -> WorkOSOrganization
    {
        throw .api(WorkOSAPIError(status: 404, message: "Organization not found: '\(id)'."))
    }

    /// Not found: the default of doubles and offline stand-ins, which model no roles file.
    public func getPermission(slug: String) async throws(WorkOSClientError) -> WorkOSPermission {
        throw .api(WorkOSAPIError(status: 404, message: "Permission not found: '\(slug)'."))
    }

    /// Refused: the default of doubles and offline stand-ins, which model no roles file.
    public func createPermission(_ request: CreatePermissionRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSPermission
    {
        throw .api(WorkOSAPIError(status: 404, message: "Not found."))
    }

    /// Not found: the default of doubles and offline stand-ins.
    public func deletePermission(slug: String) async throws(WorkOSClientError) {
        throw .api(WorkOSAPIError(status: 404, message: "Permission not found: '\(slug)'."))
    }

    /// Not found: the default of doubles and offline stand-ins.
    public func getRole(slug: String, organizationId: String?) async throws(WorkOSClientError) -> WorkOSRole {
        throw .api(WorkOSAPIError(status: 404, message: "Role not found: '\(slug)'."))
    }

    /// Refused: the default of doubles and offline stand-ins.
    public func createRole(_ request: CreateRoleRequest, organizationId: String?, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSRole
    {
        throw .api(WorkOSAPIError(status: 404, message: "Not found."))
    }

    /// Not found: the default of doubles and offline stand-ins.
    public func updateRole(slug: String, organizationId: String?, _ request: UpdateRoleRequest)
        async throws(WorkOSClientError) -> WorkOSRole
    {
        throw .api(WorkOSAPIError(status: 404, message: "Role not found: '\(slug)'."))
    }

    /// Not found: the default of doubles and offline stand-ins.
    public func setRolePermissions(slug: String, organizationId: String?, _ request: SetRolePermissionsRequest)
        async throws(WorkOSClientError) -> WorkOSRole
    {
        throw .api(WorkOSAPIError(status: 404, message: "Role not found: '\(slug)'."))
    }

    /// Not found: the default of doubles and offline stand-ins.
    public func deleteOrganizationRole(slug: String, organizationId: String) async throws(WorkOSClientError) {
        throw .api(WorkOSAPIError(status: 404, message: "Role not found: '\(slug)'."))
    }

    /// Not found, as an environment without SSO connections answers: the default of doubles and offline
    /// stand-ins, which model no connections.
    public func createSSOConnection(_ request: CreateSSOConnectionRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSSSOConnection
    {
        throw .api(WorkOSAPIError(status: 404, message: "Not Found"))
    }

    /// Not found: the default of doubles and offline stand-ins, which model no connections.
    public func getSSOConnection(id: String) async throws(WorkOSClientError) -> WorkOSSSOConnection {
        throw .api(WorkOSAPIError(status: 404, message: "Connection not found: '\(id)'."))
    }

    /// Not found: the default of doubles and offline stand-ins, which model no connections.
    public func deleteSSOConnection(id: String) async throws(WorkOSClientError) {
        throw .api(WorkOSAPIError(status: 404, message: "Connection not found: '\(id)'."))
    }

    /// No organizations: the default of doubles and offline stand-ins, which only `export` would ask.
    public func listOrganizations(after: String?) async throws(WorkOSClientError) -> WorkOSList<WorkOSOrganization> {
        WorkOSList(data: [])
    }
}
