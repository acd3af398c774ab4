#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes realistic user CSV files for tests, rehearsals and speed measurements
/// (`workos-import generate`).
///
/// Every row has a unique email on one of the organizations' domains, names (some with non-ASCII
/// letters or commas that need quoting), email_verified, an external_id and metadata JSON; about one row
/// in seventeen carries a bcrypt, argon2 or firebase-scrypt hash. With `withErrors`, rows of every
/// ``GeneratedProblem`` kind are mixed in at a fixed stride (every kind appears once the file has at least
/// twice as many data rows as there are kinds). The same settings always give the same bytes.
///
/// Identity columns are added only when asked for, after the others, so a file without them is the same
/// as before they existed: with ``membershipsPerUser`` each user is on that many adjacent rows, one per
/// organization (`org_external_id`, `org_name`), with the same user fields on each; ``roles`` gives every
/// row a `role_slugs` cell; ``withTOTP`` gives about half the users a Base32 `totp_secret` (the same on all
/// their rows) and a `totp_issuer`. These columns draw on their own random source, so adding them leaves
/// the other cells as they were.
public struct UserFileGenerator: Sendable {
    /// The header of a file without identity columns.
    public static let header =
        "email,first_name,last_name,email_verified,external_id,password_hash,password_hash_type,metadata"

    /// Data rows to write.
    public let count: Int
    /// Fixes every random choice.
    public let seed: UInt64
    /// Whether bad rows are mixed in.
    public let withErrors: Bool
    /// Organizations the users are spread over (each has its own email domain).
    public let orgs: Int
    /// Rows (memberships) per user, each in another organization; nil leaves out the organization
    /// columns and writes one row per user.
    public let membershipsPerUser: Int?
    /// Role slugs the `role_slugs` cells are drawn from; empty leaves out the column.
    public let roles: [String]
    /// Whether about half the users get a TOTP secret and issuer.
    public let withTOTP: Bool

    /// Settings for one file; nothing is written until ``write(to:)``.
    public init(
        count: Int, seed: UInt64 = 1, withErrors: Bool = false, orgs: Int = 1, membershipsPerUser: Int? = nil,
        roles: [String] = [], withTOTP: Bool = false
    ) {
        self.count = count
        self.seed = seed
        self.withErrors = withErrors
        self.orgs = orgs
        self.membershipsPerUser = membershipsPerUser
        self.roles = roles
        self.withTOTP = withTOTP
    }

    /// The header of this file: ``header``, then the identity columns asked for.
    public var fileHeader: String {
        var columns = Self.header
        if membershipsPerUser != nil { columns += ",org_external_id,org_name" }
        if !roles.isEmpty { columns += ",role_slugs" }
        if withTOTP { columns += ",totp_secret,totp_issuer" }
        return columns
    }

    /// Data rows in the file: one per user and membership.
    public var rowCount: Int {
        count * (membershipsPerUser ?? 1)
    }

    /// The external id and name of organization `index` (0-based), as the `org_external_id` and
    /// `org_name` cells give them.
    public func organization(_ index: Int) -> (externalID: String, name: String) {
        let name = Self.organizationName(index)
        return ("org-" + name.lowercased(), name)
    }

    /// How many data rows apart the bad rows are.
    private var stride: Int {
        max(2, min(10, rowCount / GeneratedProblem.allCases.count))
    }

    /// The problem planted in data row `index` (0-based), or `nil` for a good row.
    public func problem(atRow index: Int) -> GeneratedProblem? {
        guard withErrors, index % stride == stride - 1 else { return nil }
        let kinds = GeneratedProblem.allCases
        return kinds[(index / stride) % kinds.count]
    }

    /// Writes the file, replacing any file at `path`, with mode 0600 since it holds user data.
    ///
    /// - Throws: ``GeneratorError`` when the settings are invalid or the file cannot be written.
    public func write(to path: String) throws(GeneratorError) {
        try validate()
        let descriptor: Int32
        do throws(FileCallError) {
            descriptor = try FileIO.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)
        } catch {
            throw .cannotCreate(path: path, reason: error.description)
        }
        defer { _ = close(descriptor) }
        _ = fchmod(descriptor, 0o600)
        var output: [UInt8] = []
        output.reserveCapacity(1 << 20 + 4096)
        var failure: GeneratorError?
        render { chunk, isLast in
            if failure == nil && (chunk.count >= 1 << 20 || isLast) {
                do throws(FileCallError) {
                    try FileIO.writeAll(descriptor, chunk)
                } catch {
                    failure = .writeFailed(path: path, reason: error.description)
                }
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if let failure { throw failure }
    }

    /// Checks the settings before anything is written.
    ///
    /// - Throws: ``GeneratorError`` naming the setting and how to fix it.
    public func validate() throws(GeneratorError) {
        guard count >= 0 else { throw .invalidCount(count) }
        guard orgs >= 1 else { throw .invalidOrganizationCount(orgs) }
        if let membershipsPerUser {
            guard membershipsPerUser >= 1, membershipsPerUser <= orgs else {
                throw .invalidMembershipsPerUser(membershipsPerUser, orgs: orgs)
            }
        }
        if let bad = roles.first(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) || $0.contains(",") }) {
            throw .invalidRoleSlug(bad)
        }
    }

    /// The whole file in memory, for tests and small samples.
    public func bytes() -> [UInt8] {
        var result: [UInt8] = []
        render { chunk, isLast in
            if isLast || chunk.count >= 1 << 20 {
                result.append(contentsOf: chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        return result
    }

    // MARK: - Rendering

    /// One row before it is written: the cells, and how a bad row breaks CSV itself.
    private struct Row {
        var fields: [String]
        /// A field written as is, without quoting (to plant a quoting error).
        var unquotedField: Int?
    }

    /// Produces the file into a chunk; `flush` is called after every row and once at the end (`isLast`).
    private func render(_ flush: (inout [UInt8], _ isLast: Bool) -> Void) {
        var random = SeededRandom(seed: seed)
        var identities = SeededRandom(seed: seed ^ 0x1D_E417_17E5)
        var chunk: [UInt8] = []
        chunk.reserveCapacity(1 << 20 + 4096)
        chunk.append(contentsOf: fileHeader.utf8)
        chunk.append(0x0A)
        let organizations = (0..<orgs).map(Self.organizationName)
        let domains = organizations.map { "\($0.lowercased()).example" }
        let signerKey = Self.base64(&random, count: 86) + "=="
        var rowIndex = 0
        for index in 0..<count {
            let (user, organization) = goodRow(
                index, &random, organizations: organizations, domains: domains, signerKey: signerKey)
            let totp = withTOTP && identities.chance(50) ? Self.base32(&identities, count: 32) : nil
            for membership in memberships(of: organization, &identities) {
                var row = user
                if let membership {
                    let (externalID, name) = self.organization(membership)
                    row.fields += [externalID, name]
                }
                if !roles.isEmpty { row.fields.append(roleSlugs(&identities)) }
                if withTOTP { row.fields += [totp ?? "", totp == nil ? "" : organizations[organization]] }
                if let problem = problem(atRow: rowIndex) { plant(problem, in: &row, index: index, &random) }
                Self.append(row, to: &chunk)
                flush(&chunk, false)
                rowIndex += 1
            }
        }
        flush(&chunk, true)
    }

    /// The display name of organization `index`: a sample name, numbered once the names run out.
    private static func organizationName(_ index: Int) -> String {
        let base = SampleNames.organizations[index % SampleNames.organizations.count]
        return index < SampleNames.organizations.count ? base : "\(base)\(index / SampleNames.organizations.count)"
    }

    /// The organizations of one user's rows: the one of its email domain first, then others drawn without
    /// repeats; `[nil]` (one row, no organization cells) without ``membershipsPerUser``.
    private func memberships(of home: Int, _ random: inout SeededRandom) -> [Int?] {
        guard let membershipsPerUser else { return [nil] }
        var picked = [home]
        var seen: Set<Int> = [home]
        while picked.count < membershipsPerUser {
            let candidate = random.below(orgs)
            if seen.insert(candidate).inserted { picked.append(candidate) }
        }
        return picked
    }

    /// One `role_slugs` cell: one slug on three rows in four, else two or three different ones
    /// (comma-separated), when there are that many.
    private func roleSlugs(_ random: inout SeededRandom) -> String {
        let wanted = roles.count > 1 && !random.chance(75) ? min(roles.count, 2 + random.below(2)) : 1
        var slugs: [String] = []
        while slugs.count < wanted {
            let slug = random.pick(roles)
            if !slugs.contains(slug) { slugs.append(slug) }
        }
        return slugs.joined(separator: ",")
    }

    /// A good row of user `index` and the organization of its email domain.
    private func goodRow(
        _ index: Int, _ random: inout SeededRandom, organizations: [String], domains: [String], signerKey: String
    ) -> (Row, organization: Int) {
        let first = random.pick(SampleNames.firstNames)
        let last = random.pick(SampleNames.lastNames)
        let organization = orgs == 1 ? 0 : random.below(orgs)
        let email = "\(first.slug).\(last.slug).\(index + 1)@\(domains[organization])"
        let verified = random.chance(80) ? "true" : "false"
        var hash = ""
        var hashType = ""
        let hashRoll = random.below(100)
        if hashRoll < 4 {
            hash = "$2b$10$" + Self.bcryptBase64(&random, count: 53)
            hashType = "bcrypt"
        } else if hashRoll < 5 {
            hash =
                "$argon2id$v=19$m=65536,t=3,p=4$" + Self.base64(&random, count: 22) + "$"
                + Self.base64(&random, count: 43)
            hashType = "argon2"
        } else if hashRoll < 6 {
            hash =
                "$firebase-scrypt$hash=" + Self.base64(&random, count: 86) + "==$salt="
                + Self.base64(&random, count: 22) + "==$sk=" + signerKey + "$ss=Bw==$r=8$m=14"
            hashType = "firebase-scrypt"
        }
        var metadata =
            "{\"team\":\"\(random.pick(SampleNames.departments))\",\"plan\":\""
            + random.pick(SampleNames.plans) + "\""
        if random.chance(20) { metadata += ",\"region\":\"\(random.pick(SampleNames.regions))\"" }
        if orgs > 1 { metadata += ",\"org\":\"\(organizations[organization])\"" }
        metadata += "}"
        let row = Row(
            fields: [email, first.display, last.display, verified, "usr_\(index + 1)", hash, hashType, metadata])
        return (row, organization)
    }

    /// Breaks a good row in the way `problem` describes.
    private func plant(_ problem: GeneratedProblem, in row: inout Row, index: Int, _ random: inout SeededRandom) {
        let email = row.fields[0]
        let local = email.split(separator: "@")[0]
        let bcrypt = "$2b$12$" + Self.bcryptBase64(&random, count: 53)
        switch problem {
        case .missingEmail: row.fields[0] = ""
        case .emailWithoutAt: row.fields[0] = "\(local).example.com"
        case .emailWithSpace: row.fields[0] = email.replacingFirstDot(with: " ")
        case .emailDomainWithoutDot: row.fields[0] = "\(local)@localhost"
        case .emailTwoAts: row.fields[0] = "\(local)@sales@example.com"
        case .badEmailVerified: row.fields[3] = "maybe"
        case .metadataInvalidJSON: row.fields[7] = "{\"department\": \"Sales\""
        case .metadataNotObject: row.fields[7] = "[\"Sales\",\"pro\"]"
        case .metadataNested: row.fields[7] = "{\"team\":{\"name\":\"Core\"}}"
        case .metadataTooManyKeys:
            row.fields[7] = "{" + (1...51).map { "\"key\($0)\":\"v\"" }.joined(separator: ",") + "}"
        case .metadataKeyTooLong:
            row.fields[7] = "{\"" + String(repeating: "k", count: 41) + "\":\"v\"}"
        case .metadataValueTooLong:
            row.fields[7] = "{\"bio\":\"" + String(repeating: "x", count: 601) + "\"}"
        case .hashWithoutType:
            row.fields[5] = bcrypt
            row.fields[6] = ""
        case .typeWithoutHash:
            row.fields[5] = ""
            row.fields[6] = "bcrypt"
        case .unknownHashType:
            row.fields[5] = Self.hex(&random, count: 32)
            row.fields[6] = "md5"
        case .malformedBcrypt:
            row.fields[5] = String(bcrypt.dropLast())
            row.fields[6] = "bcrypt"
        case .malformedArgon2:
            row.fields[5] = "$argon2id$v=19$" + Self.base64(&random, count: 22) + "$" + Self.base64(&random, count: 43)
            row.fields[6] = "argon2"
        case .malformedFirebaseScrypt:
            row.fields[5] =
                "$firebase-scrypt$salt=" + Self.base64(&random, count: 22) + "$hash="
                + Self.base64(&random, count: 86)
            row.fields[6] = "firebase-scrypt"
        case .externalIdNotASCII: row.fields[4] = "usr_\(index + 1)_é"
        case .externalIdTooLong: row.fields[4] = "usr_" + String(repeating: "0", count: 125) + "\(index + 1)"
        case .tooManyFields: row.fields.append("extra")
        case .tooFewFields: row.fields.removeLast()
        case .textAfterClosingQuote:
            row.fields[1] = "\"\(row.fields[1])\"x"
            row.unquotedField = 1
        case .nulByte: row.fields[2] += "\u{0}"
        }
    }

    private static func append(_ row: Row, to chunk: inout [UInt8]) {
        for (index, field) in row.fields.enumerated() {
            if index > 0 { chunk.append(UInt8(ascii: ",")) }
            if index == row.unquotedField || !needsQuotes(field) {
                chunk.append(contentsOf: field.utf8)
            } else {
                chunk.append(UInt8(ascii: "\""))
                for byte in field.utf8 {
                    if byte == UInt8(ascii: "\"") { chunk.append(byte) }
                    chunk.append(byte)
                }
                chunk.append(UInt8(ascii: "\""))
            }
        }
        chunk.append(0x0A)
    }

    private static func needsQuotes(_ field: String) -> Bool {
        for byte in field.utf8
        where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D {
            return true
        }
        return field.utf8.first == 0x20 || field.utf8.last == 0x20
    }

    // MARK: - Random text

    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let bcryptAlphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    private static let hexAlphabet = Array("0123456789abcdef".utf8)
    private static let base32Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    private static func base64(_ random: inout SeededRandom, count: Int) -> String {
        text(from: base64Alphabet, &random, count: count)
    }

    private static func bcryptBase64(_ random: inout SeededRandom, count: Int) -> String {
        text(from: bcryptAlphabet, &random, count: count)
    }

    private static func base32(_ random: inout SeededRandom, count: Int) -> String {
        text(from: base32Alphabet, &random, count: count)
    }

    private static func hex(_ random: inout SeededRandom, count: Int) -> String {
        text(from: hexAlphabet, &random, count: count)
    }

    private static func text(from alphabet: [UInt8], _ random: inout SeededRandom, count: Int) -> String {
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count { bytes[index] = alphabet[random.below(alphabet.count)] }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    /// The string with its first "." replaced, to plant a space in an email address.
    fileprivate func replacingFirstDot(with replacement: String) -> String {
        guard let dot = firstIndex(of: ".") else { return self + replacement }
        return self[..<dot] + replacement + self[index(after: dot)...]
    }
}
