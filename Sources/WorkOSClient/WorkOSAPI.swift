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
    /// `GET /user_management/users?email=`: the users with this email (zero or one in practice).
    func listUsers(email: String) async throws(WorkOSClientError) -> [WorkOSUser]
    /// `GET /organizations/{id}`.
    func getOrganization(id: String) async throws(WorkOSClientError) -> WorkOSOrganization
    /// `GET /organizations/external_id/{external_id}`.
    func getOrganization(externalId: String) async throws(WorkOSClientError) -> WorkOSOrganization
    /// `POST /organizations`.
    func createOrganization(_ request: CreateOrganizationRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSOrganization
    /// `POST /user_management/organization_memberships`.
    func createMembership(_ request: CreateMembershipRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSMembership
    /// `GET /user_management/organization_memberships?user_id=&organization_id=` (active ones).
    func listMemberships(userId: String, organizationId: String) async throws(WorkOSClientError)
        -> [WorkOSMembership]
}
