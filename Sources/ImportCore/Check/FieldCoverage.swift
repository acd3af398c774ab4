/// How many users carry each field the import can send, so a thin file (no names, no hashes, no
/// organizations) is seen before the import rather than after it.
///
/// A pure count, one user (or row) at a time: constant memory, a fixed array of counters, and a handful of
/// comparisons a row, so a dry run over a large file can count as it checks. Values are never kept or shown:
/// a password, hash or TOTP secret counts as present, nothing more. It lives with the row checks, which count
/// rows into it; the table and the `--json` object are drawn in Record/ (`FieldCoverage+Table.swift`).
public struct FieldCoverage: Sendable {
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
            case .passwordHash(let type): 6 + Self.hashIndex(type)
            case .totpSecret: 20
            case .organization: 21
            case .roles: 22
            }
        }

        /// Where the field's counter is in ``FieldCoverage``'s array: one per field, one per hash type.
        var slot: Int {
            switch self {
            case .emailVerified: 0
            case .password: 1
            case .firstName: 2
            case .lastName: 3
            case .externalId: 4
            case .metadata: 5
            case .organization: 6
            case .roles: 7
            case .totpSecret: 8
            case .passwordHash(let type): 9 + Self.hashIndex(type)
            }
        }

        /// Every field, by ``slot``.
        static let bySlot: [Field] =
            [
                .emailVerified, .password, .firstName, .lastName, .externalId, .metadata, .organization, .roles,
                .totpSecret,
            ]
            + PasswordHashType.allCases.map { .passwordHash($0) }

        /// Where `type` is among the hash types, by a switch: a look-up in `allCases` costs a row in the
        /// dry run's fast path more than the rest of its counting.
        static func hashIndex(_ type: PasswordHashType) -> Int {
            switch type {
            case .bcrypt: 0
            case .firebaseScrypt: 1
            case .ssha: 2
            case .ssha256: 3
            case .scrypt: 4
            case .pbkdf2: 5
            case .argon2: 6
            }
        }

        public static func < (left: Field, right: Field) -> Bool { left.rank < right.rank }
    }

    /// Users (or rows) counted.
    public private(set) var users = 0
    /// What is counted, in the table's title: `user` (convert, export), `row` (an export by organization), or
    /// `valid row` (the rows of a file that pass its checks, in a dry run and a plan).
    public var noun = "user"
    /// Users carrying each field, by ``Field/slot``, for users counted field by field: counting one indexes an
    /// array and hashes nothing.
    private var tallies = [Int](repeating: 0, count: Field.bySlot.count)
    /// Clean rows by the set of fields they carry (a ``CleanPattern``): the dry run's fast path counts a row with
    /// one increment, and the sets are spread over the fields only when the counts are read.
    private var cleanRows = [Int](repeating: 0, count: CleanPattern.count)

    public init(noun: String = "user") {
        self.noun = noun
    }

    /// Users carrying each field, for the fields at least one user carries.
    public var counts: [Field: Int] {
        var counts: [Field: Int] = [:]
        for (slot, count) in fieldTallies.enumerated() where count != 0 { counts[Field.bySlot[slot]] = count }
        return counts
    }

    /// Users carrying each field, by ``Field/slot``, whichever way they were counted.
    private var fieldTallies: [Int] {
        var all = tallies
        for (pattern, count) in cleanRows.enumerated() where count != 0 {
            for slot in CleanPattern.slots(pattern) { all[slot] += count }
        }
        return all
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
        tally(
            emailVerified: emailVerified, password: password, passwordHash: passwordHash, firstName: firstName,
            lastName: lastName, externalId: externalId, metadata: metadata, organization: organization, roles: roles,
            totpSecret: totpSecret, step: 1)
    }

    /// Counts a checked row of the import's file. `email_verified` counts when it is true: a false one carries
    /// nothing the import would not assume.
    public mutating func add(_ row: ImportRow) {
        tally(row, step: 1)
    }

    /// Takes back a row ``add(_:)`` counted: a dry run counts a row as it passes the row rules,
    /// and takes it back when a check across rows fails it after the pass.
    mutating func remove(_ row: ImportRow) {
        tally(row, step: -1)
    }

    private mutating func tally(_ row: ImportRow, step: Int) {
        tally(
            emailVerified: row.emailVerified == true, password: row.password != nil,
            passwordHash: row.passwordHash == nil ? nil : row.passwordHashType, firstName: row.firstName != nil,
            lastName: row.lastName != nil, externalId: row.externalId != nil, metadata: row.metadata?.isEmpty == false,
            organization: row.organization != nil, roles: row.roleSlugs?.isEmpty == false, totpSecret: row.totp != nil,
            step: step)
    }

    private mutating func tally(
        emailVerified: Bool, password: Bool, passwordHash: PasswordHashType?, firstName: Bool, lastName: Bool,
        externalId: Bool, metadata: Bool, organization: Bool, roles: Bool, totpSecret: Bool, step: Int
    ) {
        users += step
        // One uniqueness check for the row, not one for each field.
        tallies.withUnsafeMutableBufferPointer { tallies in
            if emailVerified { tallies[Field.emailVerified.slot] += step }
            if password { tallies[Field.password.slot] += step }
            if let passwordHash { tallies[Field.passwordHash(passwordHash).slot] += step }
            if firstName { tallies[Field.firstName.slot] += step }
            if lastName { tallies[Field.lastName.slot] += step }
            if externalId { tallies[Field.externalId.slot] += step }
            if metadata { tallies[Field.metadata.slot] += step }
            if organization { tallies[Field.organization.slot] += step }
            if roles { tallies[Field.roles.slot] += step }
            if totpSecret { tallies[Field.totpSecret.slot] += step }
        }
    }

    /// The rows of the table: every field counted or always listed, in table order.
    public var rows: [(field: Field, count: Int)] {
        let tallies = fieldTallies
        let fields = Set(Self.alwaysListed).union(Field.bySlot.filter { tallies[$0.slot] != 0 }).sorted()
        return fields.map { ($0, tallies[$0.slot]) }
    }

    /// Whether most users lack `count`'s field (fewer than half carry it): the table marks it.
    public func isThin(_ count: Int) -> Bool {
        users > 0 && count * 2 < users
    }
}

extension FieldCoverage: Equatable {
    /// Equal when the same fields are counted the same number of times, whichever way the rows were counted.
    public static func == (left: FieldCoverage, right: FieldCoverage) -> Bool {
        left.users == right.users && left.noun == right.noun && left.fieldTallies == right.fieldTallies
    }
}

extension FieldCoverage {
    /// Counts a row the dry run's fast path found clean, by the fields it carries (a clean row carries no
    /// organization, roles or TOTP secret): one increment, however many fields it has.
    mutating func addClean(
        emailVerified: Bool, password: Bool, passwordHash: PasswordHashType?, firstName: Bool, lastName: Bool,
        externalId: Bool, metadata: Bool
    ) {
        users += 1
        let pattern = CleanPattern.of(
            emailVerified: emailVerified, password: password, passwordHash: passwordHash, firstName: firstName,
            lastName: lastName, externalId: externalId, metadata: metadata)
        cleanRows.withUnsafeMutableBufferPointer { $0[pattern] += 1 }
    }

    /// The fields a clean row carries, as a number below ``count``: a bit for each of the six fields whose slots
    /// are 0 to 5, and above them the hash type's index plus one (zero for no hash).
    enum CleanPattern {
        static let count = 64 * (PasswordHashType.allCases.count + 1)

        static func of(
            emailVerified: Bool, password: Bool, passwordHash: PasswordHashType?, firstName: Bool, lastName: Bool,
            externalId: Bool, metadata: Bool
        ) -> Int {
            // In the order of `bitFields`, without building an array: this runs once a row.
            var pattern = emailVerified ? 1 : 0
            if password { pattern |= 1 << 1 }
            if firstName { pattern |= 1 << 2 }
            if lastName { pattern |= 1 << 3 }
            if externalId { pattern |= 1 << 4 }
            if metadata { pattern |= 1 << 5 }
            return pattern | (passwordHash.map { Field.hashIndex($0) + 1 } ?? 0) << 6
        }

        /// The slots of the fields in `pattern`.
        static func slots(_ pattern: Int) -> [Int] {
            var slots = bitFields.indices.filter { pattern & (1 << $0) != 0 }.map { bitFields[$0].slot }
            let hash = pattern >> 6
            if hash > 0 { slots.append(Field.passwordHash(PasswordHashType.allCases[hash - 1]).slot) }
            return slots
        }

        /// The field of each bit, lowest first.
        private static let bitFields: [Field] = [
            .emailVerified, .password, .firstName, .lastName, .externalId, .metadata,
        ]
    }
}
