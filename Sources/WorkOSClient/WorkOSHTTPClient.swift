import AsyncHTTPClient
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1
import NIOPosix

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The real ``WorkOSAPI``: JSON over HTTPS (or HTTP to the emulator) with Bearer auth, built on AsyncHTTPClient.
///
/// One instance per run. The connection pool is sized to the run's concurrency, so every worker keeps its own
/// keep-alive connection. Call ``shutdown()`` before the process exits.
public final class WorkOSHTTPClient: WorkOSAPI {
    /// The product name sent in `User-Agent`.
    public static let userAgent = "workos-import/0.1.0 (Swift)"
    /// Largest response body read, far above any WorkOS answer the importer asks for.
    static let maximumBodySize = 4 << 20

    private let http: HTTPClient
    private let baseURL: String
    private let authorization: String
    /// The key, masked in every error this client throws (they end up on stderr and in files).
    private let redaction: SecretRedaction
    private let timeout: TimeAmount
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()

    /// - Parameters:
    ///   - baseURL: e.g. `https://api.workos.com`; a trailing slash is ignored.
    ///   - apiKey: the secret key; only ever sent in the `Authorization` header.
    ///   - maxConnections: the most connections kept open at once (the run's concurrency).
    ///   - timeout: how long one request may take before it counts as a transport failure.
    ///   - connectTimeout: how long to keep trying to open a connection before the attempt fails.
    public init(
        baseURL: String, apiKey: String, maxConnections: Int = 10, timeout: Duration = .seconds(60),
        connectTimeout: Duration = .seconds(10)
    ) {
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: Self.timeAmount(connectTimeout), read: Self.timeAmount(timeout)))
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, maxConnections))
        configuration.httpVersion = .http1Only
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.authorization = "Bearer \(apiKey)"
        self.redaction = SecretRedaction([apiKey])
        self.timeout = Self.timeAmount(timeout)
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Closes every connection. Safe to call once, after the last request.
    public func shutdown() async {
        try? await http.shutdown()
    }

    public func checkAccess() async throws(WorkOSClientError) {
        let _: WorkOSList<WorkOSUser> = try await send(
            .GET, "/user_management/users?limit=1", body: Optional<Never>.none)
    }

    public func createUser(_ request: CreateUserRequest, idempotencyKey: String?) async throws(WorkOSClientError)
        -> WorkOSUser
    {
        try await send(.POST, "/user_management/users", body: request, idempotencyKey: idempotencyKey)
    }

    public func updateUser(id: String, _ request: UpdateUserRequest) async throws(WorkOSClientError) -> WorkOSUser {
        try await send(.PUT, "/user_management/users/\(Self.percentEncoded(id))", body: request)
    }

    public func deleteUser(id: String) async throws(WorkOSClientError) {
        _ = try await perform(
            .DELETE, "/user_management/users/\(Self.percentEncoded(id))", body: nil, idempotencyKey: nil)
    }

    public func getUser(id: String) async throws(WorkOSClientError) -> WorkOSUser {
        try await send(.GET, "/user_management/users/\(Self.percentEncoded(id))", body: Optional<Never>.none)
    }

    public func listUsers(email: String) async throws(WorkOSClientError) -> [WorkOSUser] {
        let list: WorkOSList<WorkOSUser> = try await send(
            .GET, "/user_management/users?limit=100&email=\(Self.percentEncoded(email))", body: Optional<Never>.none)
        return list.data
    }

    public func listUsers(after: String?) async throws(WorkOSClientError) -> WorkOSList<WorkOSUser> {
        var path = "/user_management/users?limit=100"
        if let after { path += "&after=\(Self.percentEncoded(after))" }
        return try await send(.GET, path, body: Optional<Never>.none)
    }

    public func listWebhookEndpoints(after: String?) async throws(WorkOSClientError)
        -> WorkOSList<WorkOSWebhookEndpoint>
    {
        var path = "/webhook_endpoints?limit=100"
        if let after { path += "&after=\(Self.percentEncoded(after))" }
        return try await send(.GET, path, body: Optional<Never>.none)
    }

    public func listOrganizations(after: String?) async throws(WorkOSClientError) -> WorkOSList<WorkOSOrganization> {
        var path = "/organizations?limit=100&order=asc"
        if let after { path += "&after=\(Self.percentEncoded(after))" }
        return try await send(.GET, path, body: Optional<Never>.none)
    }

    public func getOrganization(id: String) async throws(WorkOSClientError) -> WorkOSOrganization {
        try await send(.GET, "/organizations/\(Self.percentEncoded(id))", body: Optional<Never>.none)
    }

    public func getOrganization(externalId: String) async throws(WorkOSClientError) -> WorkOSOrganization {
        try await send(
            .GET, "/organizations/external_id/\(Self.percentEncoded(externalId))", body: Optional<Never>.none)
    }

    public func createOrganization(_ request: CreateOrganizationRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSOrganization
    {
        try await send(.POST, "/organizations", body: request, idempotencyKey: idempotencyKey)
    }

    public func updateOrganization(id: String, _ request: UpdateOrganizationRequest) async throws(WorkOSClientError)
        -> WorkOSOrganization
    {
        try await send(.PUT, "/organizations/\(Self.percentEncoded(id))", body: request)
    }

    public func createMembership(_ request: CreateMembershipRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSMembership
    {
        try await send(
            .POST, "/user_management/organization_memberships", body: request, idempotencyKey: idempotencyKey)
    }

    public func listMemberships(userId: String, organizationId: String, statuses: [String])
        async throws(WorkOSClientError) -> [WorkOSMembership]
    {
        var path =
            "/user_management/organization_memberships?limit=100&user_id=\(Self.percentEncoded(userId))"
            + "&organization_id=\(Self.percentEncoded(organizationId))"
        if !statuses.isEmpty { path += "&statuses=" + statuses.map(Self.percentEncoded).joined(separator: ",") }
        let list: WorkOSList<WorkOSMembership> = try await send(.GET, path, body: Optional<Never>.none)
        return list.data
    }

    public func listMemberships(organizationId: String, after: String?) async throws(WorkOSClientError)
        -> WorkOSList<WorkOSMembership>
    {
        var path =
            "/user_management/organization_memberships?limit=100&organization_id=\(Self.percentEncoded(organizationId))"
            + "&statuses=active,inactive,pending"
        if let after { path += "&after=\(Self.percentEncoded(after))" }
        return try await send(.GET, path, body: Optional<Never>.none)
    }

    public func deleteMembership(id: String) async throws(WorkOSClientError) {
        _ = try await perform(
            .DELETE, "/user_management/organization_memberships/\(Self.percentEncoded(id))", body: nil,
            idempotencyKey: nil)
    }

    public func deactivateMembership(id: String) async throws(WorkOSClientError) -> WorkOSMembership {
        try await send(
            .PUT, "/user_management/organization_memberships/\(Self.percentEncoded(id))/deactivate",
            body: Optional<Never>.none)
    }

    public func updateMembership(id: String, _ request: UpdateMembershipRequest) async throws(WorkOSClientError)
        -> WorkOSMembership
    {
        try await send(.PUT, "/user_management/organization_memberships/\(Self.percentEncoded(id))", body: request)
    }

    public func listEnvironmentRoles() async throws(WorkOSClientError) -> [WorkOSRole] {
        let list: WorkOSList<WorkOSRole> = try await send(.GET, "/authorization/roles", body: Optional<Never>.none)
        return list.data
    }

    public func listOrganizationRoles(organizationId: String) async throws(WorkOSClientError) -> [WorkOSRole] {
        let list: WorkOSList<WorkOSRole> = try await send(
            .GET, "/authorization/organizations/\(Self.percentEncoded(organizationId))/roles",
            body: Optional<Never>.none)
        return list.data
    }

    public func getPermission(slug: String) async throws(WorkOSClientError) -> WorkOSPermission {
        try await send(.GET, "/authorization/permissions/\(Self.percentEncoded(slug))", body: Optional<Never>.none)
    }

    public func createPermission(_ request: CreatePermissionRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSPermission
    {
        try await send(.POST, "/authorization/permissions", body: request, idempotencyKey: idempotencyKey)
    }

    public func deletePermission(slug: String) async throws(WorkOSClientError) {
        _ = try await perform(
            .DELETE, "/authorization/permissions/\(Self.percentEncoded(slug))", body: nil, idempotencyKey: nil)
    }

    /// `/authorization/roles`, or the organization's roles.
    private static func rolesPath(organizationId: String?) -> String {
        guard let organizationId else { return "/authorization/roles" }
        return "/authorization/organizations/\(percentEncoded(organizationId))/roles"
    }

    public func getRole(slug: String, organizationId: String?) async throws(WorkOSClientError) -> WorkOSRole {
        try await send(
            .GET, Self.rolesPath(organizationId: organizationId) + "/\(Self.percentEncoded(slug))",
            body: Optional<Never>.none)
    }

    public func createRole(_ request: CreateRoleRequest, organizationId: String?, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSRole
    {
        try await send(
            .POST, Self.rolesPath(organizationId: organizationId), body: request, idempotencyKey: idempotencyKey)
    }

    public func updateRole(slug: String, organizationId: String?, _ request: UpdateRoleRequest)
        async throws(WorkOSClientError) -> WorkOSRole
    {
        try await send(
            .PATCH, Self.rolesPath(organizationId: organizationId) + "/\(Self.percentEncoded(slug))", body: request)
    }

    public func setRolePermissions(slug: String, organizationId: String?, _ request: SetRolePermissionsRequest)
        async throws(WorkOSClientError) -> WorkOSRole
    {
        try await send(
            .PUT, Self.rolesPath(organizationId: organizationId) + "/\(Self.percentEncoded(slug))/permissions",
            body: request)
    }

    public func deleteOrganizationRole(slug: String, organizationId: String) async throws(WorkOSClientError) {
        _ = try await perform(
            .DELETE, Self.rolesPath(organizationId: organizationId) + "/\(Self.percentEncoded(slug))", body: nil,
            idempotencyKey: nil)
    }

    public func enrollTOTPFactor(userId: String, _ request: EnrollTOTPRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSAuthFactor
    {
        let enrolled: EnrolledFactor = try await send(
            .POST, "/user_management/users/\(Self.percentEncoded(userId))/auth_factors", body: request,
            idempotencyKey: idempotencyKey)
        return enrolled.authenticationFactor
    }

    public func listAuthFactors(userId: String) async throws(WorkOSClientError) -> [WorkOSAuthFactor] {
        let list: WorkOSList<WorkOSAuthFactor> = try await send(
            .GET, "/user_management/users/\(Self.percentEncoded(userId))/auth_factors?limit=100",
            body: Optional<Never>.none)
        return list.data
    }

    public func deleteAuthFactor(id: String) async throws(WorkOSClientError) {
        _ = try await perform(
            .DELETE, "/auth/factors/\(Self.percentEncoded(id))", body: nil, idempotencyKey: nil)
    }

    public func deleteOrganization(id: String) async throws(WorkOSClientError) {
        _ = try await perform(.DELETE, "/organizations/\(Self.percentEncoded(id))", body: nil, idempotencyKey: nil)
    }

    public func createSSOConnection(_ request: CreateSSOConnectionRequest, idempotencyKey: String?)
        async throws(WorkOSClientError) -> WorkOSSSOConnection
    {
        try await send(.POST, "/connections", body: request, idempotencyKey: idempotencyKey)
    }

    public func getSSOConnection(id: String) async throws(WorkOSClientError) -> WorkOSSSOConnection {
        try await send(.GET, "/connections/\(Self.percentEncoded(id))", body: Optional<Never>.none)
    }

    public func deleteSSOConnection(id: String) async throws(WorkOSClientError) {
        _ = try await perform(.DELETE, "/connections/\(Self.percentEncoded(id))", body: nil, idempotencyKey: nil)
    }

    // MARK: - Transport

    private struct Answer {
        var status: Int
        var body: ByteBuffer
        var requestId: String?
    }

    private func send<Body: Encodable, Response: Decodable>(
        _ method: HTTPMethod, _ path: String, body: Body?, idempotencyKey: String? = nil
    ) async throws(WorkOSClientError) -> Response {
        let data: Data?
        do {
            data = try body.map { try encoder.encode($0) }
        } catch {
            throw .invalidResponse(status: 0, requestId: nil, message: "could not encode the request: \(error)")
        }
        let answer = try await perform(method, path, body: data, idempotencyKey: idempotencyKey)
        do {
            return try decoder.decode(Response.self, from: answer.body)
        } catch {
            throw WorkOSClientError.invalidResponse(
                status: answer.status, requestId: answer.requestId, message: "unexpected JSON: \(error)"
            ).redacting(redaction)
        }
    }

    private func perform(_ method: HTTPMethod, _ path: String, body: Data?, idempotencyKey: String?)
        async throws(WorkOSClientError) -> Answer
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: body))
        }
        if let idempotencyKey {
            request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        }
        let answer: Answer
        do {
            let response = try await http.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: Self.maximumBodySize)
            answer = Answer(
                status: Int(response.status.code), body: bytes,
                requestId: response.headers.first(name: "X-Request-ID"))
            if (200..<300).contains(answer.status) { return answer }
            throw Self.apiError(answer, retryAfter: response.headers.first(name: "Retry-After"))
        } catch let error as WorkOSClientError {
            throw error.redacting(redaction)
        } catch {
            throw Self.transportError(error).redacting(redaction)
        }
    }

    private static func apiError(_ answer: Answer, retryAfter: String?) -> WorkOSClientError {
        struct Envelope: Decodable {
            var message: String?
            var code: String?
            var errors: [WorkOSAPIError.Detail]?
        }
        let envelope = try? JSONDecoder().decode(Envelope.self, from: answer.body)
        let fallback = HTTPResponseStatus(statusCode: answer.status).reasonPhrase
        return .api(
            WorkOSAPIError(
                status: answer.status, code: envelope?.code, message: envelope?.message ?? fallback,
                errors: envelope?.errors ?? [], requestId: answer.requestId, retryAfter: retryAfter))
    }

    /// Sorts a client-side failure into "certainly not sent" and "may have been processed".
    static func transportError(_ error: any Error) -> WorkOSClientError {
        if let error = error as? HTTPClientError {
            let certainlyNotSent: [HTTPClientError] = [
                .connectTimeout, .getConnectionFromPoolTimeout, .invalidURL, .emptyHost, .emptyScheme,
            ]
            return .transport(
                message: "\(error)", requestMayHaveBeenProcessed: !certainlyNotSent.contains(error))
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return WorkOSClientError.hostNotFound(error.host)
            }
            return .transport(message: "could not connect (\(error))", requestMayHaveBeenProcessed: false)
        }
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED {
            return .transport(message: "connection refused", requestMayHaveBeenProcessed: false)
        }
        return .transport(message: "\(error)", requestMayHaveBeenProcessed: true)
    }

    /// Percent-encodes a value for use as one path segment or one query value: every byte of its UTF-8 form
    /// except RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) becomes `%XX`.
    static func percentEncoded(_ value: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
