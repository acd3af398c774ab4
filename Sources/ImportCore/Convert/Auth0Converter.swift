/// Reads an Auth0 user export (what an export job writes: NDJSON, one user a line, or a JSON array) and,
/// with `--passwords`, the NDJSON of password hashes Auth0 support provides.
///
/// Per user: `user_id` becomes external_id; `email`, `email_verified`, `given_name`, `family_name` (else
/// `name` split by `--name-split`, unless it is the address); `app_metadata` and `user_metadata` into
/// metadata by `--metadata`; the organization from `--org-from`. `blocked` users are skipped unless
/// `--include-disabled`.
///
/// Password hashes are joined to users by the Auth0 user id only: a hash record's `_id.$oid` (or `_id`
/// when it is a plain string) belongs to the user `auth0|<oid>`. Never by email: an address can be on several Auth0 users (one per connection) and can
/// be changed, and joining by it could give one person another's password. A hash record whose id is
/// given twice with different hashes belongs to nobody for certain and is not used.
struct Auth0Converter: ExportConverter {
    static let sourceName = "auth0"
    static let displayName = "Auth0"
    static let files = "a user export job's NDJSON or JSON array (with --passwords for the hash export)"
    static let exportDescription = "an Auth0 user export (NDJSON or a JSON array)"
    static let exportHint = "Export again with an Auth0 user export job in JSON format."
    static let options: Set<ConvertOption> = [
        .passwords, .metadata, .orgFrom, .orgNameFrom, .allowUserMetadataOrg, .nameSplit, .includeDisabled,
    ]

    let settings: ConvertSettings
    /// Hashes by the user id they belong to (`auth0|<oid>`); taken out as users claim them.
    private var hashes: [String: String] = [:]
    private var ambiguous: Set<String> = []
    private var hashFileProblems = 0
    private var hashFileFirstProblem: String?

    init(settings: ConvertSettings) throws(ConvertError) {
        self.settings = settings
        if let path = settings.passwordsPath { try loadHashes(path) }
    }

    var notes: [String] {
        var notes: [String] = []
        if !hashes.isEmpty {
            notes.append(
                "\(hashes.count) password \(hashes.count == 1 ? "hash" : "hashes") in --passwords matched no user of the "
                    + "export (hashes are joined by user id auth0|<_id>, never by email) and were not used.")
        }
        if !ambiguous.isEmpty {
            notes.append(
                "\(ambiguous.count) user \(ambiguous.count == 1 ? "id has" : "ids have") two different hashes in --passwords; "
                    + "those users were converted without a password.")
        }
        if hashFileProblems > 0 {
            notes.append(
                "\(hashFileProblems) \(hashFileProblems == 1 ? "line" : "lines") of --passwords could not be read "
                    + "(first: \(hashFileFirstProblem ?? "")); the users they belong to have no password.")
        }
        return notes
    }

    private mutating func loadHashes(_ path: String) throws(ConvertError) {
        var reader = try JSONStreamReader(path: path)
        while let (bytes, line) = reader.nextLine() {
            guard let record = Self.parseLine(bytes) else {
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                hashFileProblems += 1
                if hashFileFirstProblem == nil { hashFileFirstProblem = "\(path) line \(line): not valid JSON" }
                continue
            }
            // `_id` is `{"$oid": "…"}` in Auth0's export, but some tools write the plain string.
            guard let oid = ConverterSupport.text(record["_id"]?["$oid"]) ?? ConverterSupport.text(record["_id"]),
                let hash = ConverterSupport.text(record["passwordHash"])
            else {
                hashFileProblems += 1
                if hashFileFirstProblem == nil {
                    hashFileFirstProblem = "\(path) line \(line): no _id (or _id.$oid) or no passwordHash"
                }
                continue
            }
            let userId = oid.hasPrefix("auth0|") ? oid : "auth0|" + oid
            if ambiguous.contains(userId) { continue }
            if let existing = hashes[userId], existing != hash {
                hashes[userId] = nil
                ambiguous.insert(userId)
                continue
            }
            hashes[userId] = hash
        }
        if let failure = reader.readFailure {
            throw .inputUnreadable(path: path, reason: SystemError.describe(failure))
        }
    }

    mutating func convert(file: String, emit: (ConversionOutcome) throws(ConvertError) -> Void) throws(ConvertError) {
        try ConverterSupport.readJSON(file, source: .auth0) { reader in
            if reader.peekSignificant() == UInt8(ascii: "[") {
                try reader.enterTopLevelArray()
                while let (value, line) = try reader.nextElement() {
                    try emit(outcome(value, position: ConverterSupport.position(file, line: line)))
                }
                try reader.expectEnd()
            } else {
                // NDJSON: a broken line fails that line alone, and reading goes on at the next one.
                while let (bytes, line) = reader.nextLine() {
                    let position = ConverterSupport.position(file, line: line)
                    var lineReader = JSONStreamReader(bytes: bytes)
                    guard lineReader.peekSignificant() != nil else { continue }
                    do {
                        let value = try lineReader.readValue()
                        try lineReader.expectEnd()
                        try emit(outcome(value, position: position))
                    } catch let error as JSONSyntaxError {
                        let reason =
                            error.isNestedTooDeep
                            ? ConversionReason(
                                "the line's JSON is nested more than \(JSONStreamReader.maximumDepth) levels deep, "
                                    + "deeper than convert reads")
                            : ConversionReason("the line is not valid JSON", detail: error.message)
                        try emit(
                            ConversionOutcome(sourceId: nil, email: nil, position: position, result: .skipped(reason)))
                    }
                }
            }
        }
    }

    /// One NDJSON line's value, or `nil` when it is blank or not one JSON value.
    private static func parseLine(_ bytes: [UInt8]) -> JSONValue? {
        var reader = JSONStreamReader(bytes: bytes)
        guard let value = try? reader.readValue(), (try? reader.expectEnd()) != nil else { return nil }
        return value
    }

    /// One user's outcome; claims the user's hash.
    mutating func outcome(_ record: JSONValue, position: InputPosition) -> ConversionOutcome {
        let userId = ConverterSupport.text(record["user_id"])
        let intake = UserIntake(sourceId: userId, email: ConverterSupport.text(record["email"]), position: position)
        guard record.members != nil else { return intake.skipped("the entry is not a JSON object") }
        if let key = record.repeatedKey { return intake.skipped(ConverterSupport.repeatedKeyReason(key)) }
        guard var user = intake.start(emailVerified: record["email_verified"]?.bool) else {
            return intake.skipped("no email address (WorkOS users need one)")
        }
        if record["blocked"]?.bool == true && !settings.includeDisabled {
            return intake.skipped("blocked in Auth0 (--include-disabled converts them)")
        }
        let email = user.email
        var losses: [ConversionReason] = []
        user.firstName = ConverterSupport.text(record["given_name"])
        user.lastName = ConverterSupport.text(record["family_name"])
        if user.firstName == nil && user.lastName == nil, let name = ConverterSupport.text(record["name"]),
            name.lowercased() != email.lowercased(), !name.contains("@")
        {
            (user.firstName, user.lastName) = settings.nameSplit.split(name)
        }
        let app = record["app_metadata"]
        let own = record["user_metadata"]
        ConverterSupport.carryMetadata(app: app, own: own, settings: settings, into: &user, losses: &losses)
        let withoutPassword = password(userId: userId, into: &user)
        return intake.outcome(.converted(user, withoutPassword: withoutPassword, losses: losses))
    }

    private mutating func password(userId: String?, into user: inout ConvertedUser) -> ConversionReason? {
        guard let userId, userId.hasPrefix("auth0|") else {
            let connection = userId?.split(separator: "|").first.map(String.init) ?? "no user_id"
            return ConversionReason(
                "no password: signs in through a social or enterprise connection", detail: connection)
        }
        guard settings.passwordsPath != nil else {
            return ConversionReason(
                "no --passwords file was given (Auth0 support exports password hashes on request)")
        }
        if ambiguous.contains(userId) {
            return ConversionReason("--passwords has two different hashes for this user id")
        }
        guard let hash = hashes.removeValue(forKey: userId) else {
            return ConversionReason("no hash for this user id in --passwords (the user may have no password)")
        }
        return PasswordHashConversion.bcrypt(hash, source: "Auth0").apply(to: &user)
    }
}

extension ConvertSource {
    /// An Auth0 user export job (NDJSON or a JSON array), with the password hashes Auth0 support provides.
    public static let auth0 = Auth0Converter.source
}
