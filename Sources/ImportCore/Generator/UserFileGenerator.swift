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
/// twice as many rows as there are kinds). The same settings always give the same bytes.
public struct UserFileGenerator: Sendable {
    /// The header every generated file starts with.
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

    /// Settings for one file; nothing is written until ``write(to:)``.
    public init(count: Int, seed: UInt64 = 1, withErrors: Bool = false, orgs: Int = 1) {
        self.count = count
        self.seed = seed
        self.withErrors = withErrors
        self.orgs = orgs
    }

    /// How many data rows apart the bad rows are.
    private var stride: Int {
        max(2, min(10, count / GeneratedProblem.allCases.count))
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
        guard count >= 0 else { throw .invalidCount(count) }
        guard orgs >= 1 else { throw .invalidOrganizationCount(orgs) }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .cannotCreate(path: path, reason: SystemError.describe(errno)) }
        defer { _ = close(descriptor) }
        _ = fchmod(descriptor, 0o600)
        var output: [UInt8] = []
        output.reserveCapacity(1 << 20 + 4096)
        var failure: GeneratorError?
        render { chunk, isLast in
            if failure == nil && (chunk.count >= 1 << 20 || isLast) {
                if let reason = Self.writeAll(descriptor, chunk) { failure = .writeFailed(path: path, reason: reason) }
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if let failure { throw failure }
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
        var chunk: [UInt8] = []
        chunk.reserveCapacity(1 << 20 + 4096)
        chunk.append(contentsOf: Self.header.utf8)
        chunk.append(0x0A)
        let organizations = (0..<orgs).map { index -> String in
            let base = SampleNames.organizations[index % SampleNames.organizations.count]
            return index < SampleNames.organizations.count ? base : "\(base)\(index / SampleNames.organizations.count)"
        }
        let domains = organizations.map { "\($0.lowercased()).example" }
        let signerKey = Self.base64(&random, count: 86) + "=="
        for index in 0..<count {
            var row = goodRow(index, &random, organizations: organizations, domains: domains, signerKey: signerKey)
            if let problem = problem(atRow: index) { plant(problem, in: &row, index: index, &random) }
            Self.append(row, to: &chunk)
            flush(&chunk, false)
        }
        flush(&chunk, true)
    }

    private func goodRow(
        _ index: Int, _ random: inout SeededRandom, organizations: [String], domains: [String], signerKey: String
    ) -> Row {
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
        return Row(
            fields: [email, first.display, last.display, verified, "usr_\(index + 1)", hash, hashType, metadata])
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

    private static func base64(_ random: inout SeededRandom, count: Int) -> String {
        text(from: base64Alphabet, &random, count: count)
    }

    private static func bcryptBase64(_ random: inout SeededRandom, count: Int) -> String {
        text(from: bcryptAlphabet, &random, count: count)
    }

    private static func hex(_ random: inout SeededRandom, count: Int) -> String {
        text(from: hexAlphabet, &random, count: count)
    }

    private static func text(from alphabet: [UInt8], _ random: inout SeededRandom, count: Int) -> String {
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count { bytes[index] = alphabet[random.below(alphabet.count)] }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Output

    /// Writes all of `bytes`; returns the system's message on failure.
    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { buffer -> String? in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return SystemError.describe(errno)
                }
                offset += written
            }
            return nil
        }
    }
}

/// `write(2)`, named apart from ``UserFileGenerator/write(to:)``.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(descriptor, buffer, count)
    #elseif canImport(Musl)
        Musl.write(descriptor, buffer, count)
    #else
        Darwin.write(descriptor, buffer, count)
    #endif
}

extension String {
    /// The string with its first "." replaced, to plant a space in an email address.
    fileprivate func replacingFirstDot(with replacement: String) -> String {
        guard let dot = firstIndex(of: ".") else { return self + replacement }
        return self[..<dot] + replacement + self[index(after: dot)...]
    }
}
