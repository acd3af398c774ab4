#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How many users carry each field the import can send, so a thin export (no names, no hashes, no
/// organizations) is seen before the import rather than after it.
///
/// A pure count, one user at a time: constant memory, and a handful of comparisons a user. Values are never
/// kept or shown: a password, hash or TOTP secret counts as present, nothing more.
public struct FieldCoverage: Sendable, Equatable {
    /// A field counted.
    public enum Field: Hashable, Sendable, Comparable {
        case emailVerified
        case password
        case passwordHash(PasswordHashType)
        case firstName
        case lastName
        case externalId
        case metadata
        case organization
        case roles
        case totpSecret

        /// The name in the table and in `--json` (the CSV column, a hash with its type).
        public var name: String {
            switch self {
            case .emailVerified: "email_verified"
            case .password: "password (plaintext)"
            case .passwordHash(let type): "password_hash (\(type.rawValue))"
            case .firstName: "first_name"
            case .lastName: "last_name"
            case .externalId: "external_id"
            case .metadata: "metadata"
            case .organization: "organization"
            case .roles: "role_slugs"
            case .totpSecret: "totp_secret"
            }
        }

        /// The table's order: identity first, then credentials, then where the user belongs.
        var rank: Int {
            switch self {
            case .firstName: 0
            case .lastName: 1
            case .emailVerified: 2
            case .externalId: 3
            case .metadata: 4
            case .password: 5
            case .passwordHash(let type): 6 + (PasswordHashType.allCases.firstIndex(of: type) ?? 0)
            case .totpSecret: 20
            case .organization: 21
            case .roles: 22
            }
        }

        public static func < (left: Field, right: Field) -> Bool { left.rank < right.rank }
    }

    /// Users (or rows) counted.
    public private(set) var users = 0
    /// What is counted, in the table's title: `user` (convert, export), or `row` (a file's rows).
    public var noun = "user"
    /// Users carrying each field.
    public private(set) var counts: [Field: Int] = [:]

    public init(noun: String = "user") {
        self.noun = noun
    }

    /// The fields every table lists, even at zero: those a person would miss.
    static let alwaysListed: [Field] = [
        .firstName, .lastName, .emailVerified, .externalId, .metadata, .password, .totpSecret, .organization, .roles,
    ]

    /// Counts one user by its fields.
    public mutating func add(
        emailVerified: Bool, password: Bool, passwordHash: PasswordHashType?, firstName: Bool, lastName: Bool,
        externalId: Bool, metadata: Bool, organization: Bool, roles: Bool, totpSecret: Bool
    ) {
        users += 1
        if emailVerified { counts[.emailVerified, default: 0] += 1 }
        if password { counts[.password, default: 0] += 1 }
        if let passwordHash { counts[.passwordHash(passwordHash), default: 0] += 1 }
        if firstName { counts[.firstName, default: 0] += 1 }
        if lastName { counts[.lastName, default: 0] += 1 }
        if externalId { counts[.externalId, default: 0] += 1 }
        if metadata { counts[.metadata, default: 0] += 1 }
        if organization { counts[.organization, default: 0] += 1 }
        if roles { counts[.roles, default: 0] += 1 }
        if totpSecret { counts[.totpSecret, default: 0] += 1 }
    }

    /// Counts a converted (or exported) user. `email_verified` counts when it is true: a false one carries
    /// nothing the import would not assume.
    public mutating func add(_ user: ConvertedUser) {
        add(
            emailVerified: user.emailVerified == true, password: false,
            passwordHash: user.passwordHash == nil ? nil : user.passwordHashType,
            firstName: user.firstName?.isEmpty == false, lastName: user.lastName?.isEmpty == false,
            externalId: user.externalId?.isEmpty == false, metadata: !user.metadata.isEmpty,
            organization: user.orgId?.isEmpty == false || user.orgExternalId?.isEmpty == false,
            roles: user.roleSlugs?.isEmpty == false, totpSecret: user.totpSecret?.isEmpty == false)
    }

    /// Counts a checked row of the import's file.
    public mutating func add(_ row: ImportRow) {
        add(
            emailVerified: row.emailVerified == true, password: row.password != nil,
            passwordHash: row.passwordHash == nil ? nil : row.passwordHashType, firstName: row.firstName != nil,
            lastName: row.lastName != nil, externalId: row.externalId != nil, metadata: row.metadata?.isEmpty == false,
            organization: row.organization != nil, roles: row.roleSlugs?.isEmpty == false, totpSecret: row.totp != nil)
    }

    /// The rows of the table: every field counted or always listed, in table order.
    public var rows: [(field: Field, count: Int)] {
        let fields = Set(Self.alwaysListed).union(counts.keys).sorted()
        return fields.map { ($0, counts[$0] ?? 0) }
    }

    /// Whether most users lack `count`'s field (fewer than half carry it): the table marks it.
    public func isThin(_ count: Int) -> Bool {
        users > 0 && count * 2 < users
    }

    /// The table for a person, e.g.
    /// ```
    /// Field coverage (2,000 users):
    ///   first_name              1,990  99%
    ///   password (plaintext)        0   0%  ← most users lack it
    /// ```
    public var table: String {
        guard users > 0 else { return "Field coverage: no \(noun)s.\n" }
        let rows = self.rows
        let nameWidth = rows.map(\.field.name.count).max() ?? 0
        let countWidth = rows.map { WebhookWarning.grouped($0.count).count }.max() ?? 1
        var text = "Field coverage (\(WebhookWarning.grouped(users)) \(noun)\(users == 1 ? "" : "s")):\n"
        for (field, count) in rows {
            let name = field.name + String(repeating: " ", count: nameWidth - field.name.count)
            let number = WebhookWarning.grouped(count)
            let percent = "\(count * 100 / users)%"
            text += "  \(name)  \(String(repeating: " ", count: countWidth - number.count))\(number)  "
            text += String(repeating: " ", count: 4 - percent.count) + percent
            text += isThin(count) ? "  ← most users lack it\n" : "\n"
        }
        return text
    }

    /// The `coverage` object of `--json`:
    /// `{"fields":[{"count":1990,"field":"first_name","thin":false},…],"users":2000}`.
    public var json: String {
        SummaryFormatter.encode(CoverageJSON(self))
    }
}

/// The `coverage` object's shape, with explicit keys.
struct CoverageJSON: Encodable {
    struct Entry: Encodable {
        let field: String
        let count: Int
        let thin: Bool

        enum CodingKeys: String, CodingKey {
            case field, count, thin
        }
    }

    let users: Int
    let fields: [Entry]

    enum CodingKeys: String, CodingKey {
        case users, fields
    }

    init(_ coverage: FieldCoverage) {
        users = coverage.users
        fields = coverage.rows.map { Entry(field: $0.field.name, count: $0.count, thin: coverage.isThin($0.count)) }
    }
}
