/// The API operations the emulator serves, matched from a method and path.
///
/// Each case carries its path parameters; ``template`` is the `"METHOD /route-template"` key the
/// counters use.
enum Route: Equatable {
    /// One case per served operation; see ``template`` for the path of each.
    case createUser, listUsers
    case getUser(String)
    case updateUser(String)
    case deleteUser(String)
    case getUserByExternalID(String)
    case enrollFactor(String)
    case listFactors(String)
    case createOrganization, listOrganizations
    case getOrganization(String)
    case getOrganizationByExternalID(String)
    case createMembership, listMemberships
    case getMembership(String)
    case deleteMembership(String)
    case listEnvironmentRoles
    case listOrganizationRoles(String)
    case listOrganizationRolesLegacy(String)

    /// Matches a request; nil for a path the API does not have.
    init?(method: String, path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map {
            String($0).removingPercentEncoding
        }
        switch (method, segments.count) {
        case ("POST", 2) where segments == ["user_management", "users"]: self = .createUser
        case ("GET", 2) where segments == ["user_management", "users"]: self = .listUsers
        case ("GET", 3) where segments[0] == "user_management" && segments[1] == "users": self = .getUser(segments[2])
        case ("PUT", 3) where segments[0] == "user_management" && segments[1] == "users":
            self = .updateUser(segments[2])
        case ("DELETE", 3) where segments[0] == "user_management" && segments[1] == "users":
            self = .deleteUser(segments[2])
        case ("GET", 4)
        where segments[0] == "user_management" && segments[1] == "users" && segments[2] == "external_id":
            self = .getUserByExternalID(segments[3])
        case ("POST", 4)
        where segments[0] == "user_management" && segments[1] == "users" && segments[3] == "auth_factors":
            self = .enrollFactor(segments[2])
        case ("GET", 4)
        where segments[0] == "user_management" && segments[1] == "users" && segments[3] == "auth_factors":
            self = .listFactors(segments[2])
        case ("POST", 1) where segments == ["organizations"]: self = .createOrganization
        case ("GET", 1) where segments == ["organizations"]: self = .listOrganizations
        case ("GET", 2) where segments[0] == "organizations": self = .getOrganization(segments[1])
        case ("GET", 3) where segments[0] == "organizations" && segments[1] == "external_id":
            self = .getOrganizationByExternalID(segments[2])
        case ("GET", 3) where segments[0] == "organizations" && segments[2] == "roles":
            self = .listOrganizationRolesLegacy(segments[1])
        case ("POST", 2) where segments == ["user_management", "organization_memberships"]: self = .createMembership
        case ("GET", 2) where segments == ["user_management", "organization_memberships"]: self = .listMemberships
        case ("GET", 3) where segments[0] == "user_management" && segments[1] == "organization_memberships":
            self = .getMembership(segments[2])
        case ("DELETE", 3) where segments[0] == "user_management" && segments[1] == "organization_memberships":
            self = .deleteMembership(segments[2])
        case ("GET", 2) where segments == ["authorization", "roles"]: self = .listEnvironmentRoles
        case ("GET", 4)
        where segments[0] == "authorization" && segments[1] == "organizations" && segments[3] == "roles":
            self = .listOrganizationRoles(segments[2])
        default: return nil
        }
    }

    /// `"METHOD /route-template"`, the key of the request counters.
    var template: String {
        switch self {
        case .createUser: "POST /user_management/users"
        case .listUsers: "GET /user_management/users"
        case .getUser: "GET /user_management/users/{id}"
        case .updateUser: "PUT /user_management/users/{id}"
        case .deleteUser: "DELETE /user_management/users/{id}"
        case .getUserByExternalID: "GET /user_management/users/external_id/{external_id}"
        case .enrollFactor: "POST /user_management/users/{id}/auth_factors"
        case .listFactors: "GET /user_management/users/{id}/auth_factors"
        case .createOrganization: "POST /organizations"
        case .listOrganizations: "GET /organizations"
        case .getOrganization: "GET /organizations/{id}"
        case .getOrganizationByExternalID: "GET /organizations/external_id/{external_id}"
        case .createMembership: "POST /user_management/organization_memberships"
        case .listMemberships: "GET /user_management/organization_memberships"
        case .getMembership: "GET /user_management/organization_memberships/{id}"
        case .deleteMembership: "DELETE /user_management/organization_memberships/{id}"
        case .listEnvironmentRoles: "GET /authorization/roles"
        case .listOrganizationRoles: "GET /authorization/organizations/{id}/roles"
        case .listOrganizationRolesLegacy: "GET /organizations/{id}/roles"
        }
    }
}

extension String {
    /// Decodes `%XX` escapes; nil when an escape is malformed or the result is not UTF-8.
    var removingPercentEncoding: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
