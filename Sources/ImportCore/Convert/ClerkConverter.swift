/// Reads the Clerk dashboard's CSV export (`id, first_name, last_name, username, primary_email_address,
/// primary_phone_number, verified_email_addresses, unverified_email_addresses, verified_phone_numbers,
/// unverified_phone_numbers, totp_secret, password_digest, password_hasher`).
///
/// Per user: `id` becomes external_id; `primary_email_address` the email (a user without one is skipped);
/// email_verified is whether the primary address is among `verified_email_addresses` (lists are separated
/// by `|`, `,` or `;`), not a blanket true; names as they are; `username` into metadata. Password digests
/// pass through for `bcrypt` and `argon2i`/`argon2id` (within WorkOS's argon2 ranges), the hashers whose
/// form the contract documents; `pbkdf2_sha256` (base64 salt) and `pbkdf2_sha256_django` (text salt)
/// become WorkOS's `$pbkdf2$i=…,d=sha256$…` when their iterations are in WorkOS's range;
/// `scrypt_firebase` digests (which hold the project's parameters per user) become firebase-scrypt; any
/// other hasher leaves the user without a password, listed with the hasher's name or the range. `totp_secret` goes to
/// the totp_secret column (Base32, checked) and never into metadata: metadata is readable through the API,
/// a TOTP secret must not be.
struct ClerkConverter: ExportConverter {
    static let sourceName = "clerk"
    static let displayName = "Clerk"
    static let files = "the Clerk dashboard's CSV export"
    static let exportDescription = "a Clerk dashboard CSV export"
    static let exportHint = "Download the CSV from the Clerk dashboard (Settings → User exports)."
    static let options: Set<ConvertOption> = []

    let settings: ConvertSettings

    mutating func convert(file: String, emit: (ConversionOutcome) throws(ConvertError) -> Void) throws(ConvertError) {
        let reader = try CSVExportTable.open(file, source: .clerk)
        let table = try CSVExportTable(
            header: reader.header, required: ["id", "primary_email_address"], file: file, source: .clerk)
        try CSVExportTable.forEachRecord(reader, file: file, emit: emit) { (record, position) throws(ConvertError) in
            try emit(outcome(record, table: table, position: position))
        }
    }

    /// One user's outcome.
    func outcome(_ record: CSVRecord, table: CSVExportTable, position: InputPosition) -> ConversionOutcome {
        let intake = UserIntake(
            sourceId: table.cell("id", in: record), email: table.cell("primary_email_address", in: record),
            position: position)
        guard var user = intake.start(emailVerified: nil) else {
            return intake.skipped("no primary email address (WorkOS users need one)")
        }
        let email = user.email
        var losses: [ConversionReason] = []
        user.firstName = table.cell("first_name", in: record)
        user.lastName = table.cell("last_name", in: record)
        let verified = Self.list(table.cell("verified_email_addresses", in: record))
        let unverified = Self.list(table.cell("unverified_email_addresses", in: record))
        user.emailVerified = verified.contains(email.lowercased())
        if (verified + unverified).contains(where: { $0 != email.lowercased() }) {
            losses.append(ConversionReason("addresses other than the primary one are not carried"))
        }
        if table.cell("primary_phone_number", in: record) != nil
            || table.cell("verified_phone_numbers", in: record) != nil
        {
            losses.append(ConversionReason("phone numbers are not carried (WorkOS users have none)"))
        }
        if let username = table.cell("username", in: record) {
            let mapped = MetadataMapping(limits: settings.limits).map([
                [JSONValue.Member(key: "username", value: .string(username))]
            ])
            user.metadata = mapped.values
            if let loss = mapped.loss { losses.append(loss) }
        }
        if let secret = table.cell("totp_secret", in: record) {
            if let base32 = Self.base32(secret) {
                user.totpSecret = base32
            } else {
                losses.append(ConversionReason("totp_secret is not Base32, so the authenticator app was not carried"))
            }
        }
        let withoutPassword = password(record, table: table, into: &user)
        return intake.outcome(.converted(user, withoutPassword: withoutPassword, losses: losses))
    }

    private func password(_ record: CSVRecord, table: CSVExportTable, into user: inout ConvertedUser)
        -> ConversionReason?
    {
        guard let digest = table.cell("password_digest", in: record) else {
            return ConversionReason("no password in Clerk (signs in another way)")
        }
        let hasher = table.cell("password_hasher", in: record)?.lowercased() ?? ""
        let conversion: PasswordHashConversion.Result
        switch hasher {
        case "bcrypt": conversion = PasswordHashConversion.bcrypt(digest, source: "Clerk")
        case "argon2i", "argon2id": conversion = PasswordHashConversion.argon2(digest, source: "Clerk")
        case "scrypt_firebase": conversion = PasswordHashConversion.clerkFirebaseScrypt(digest)
        case "pbkdf2_sha256":
            conversion = PasswordHashConversion.pbkdf2(digest, saltIsBase64: true, source: "Clerk")
        case "pbkdf2_sha256_django":
            conversion = PasswordHashConversion.pbkdf2(digest, saltIsBase64: false, source: "Clerk")
        case "":
            conversion = PasswordHashConversion.detect(digest, source: "Clerk")
        default:
            return ConversionReason(
                "Clerk's \(hasher) hashes have no equivalent WorkOS documents (the user resets the password)")
        }
        return conversion.apply(to: &user)
    }

    /// The addresses of a list cell, lowercased.
    static func list(_ cell: String?) -> [String] {
        guard let cell else { return [] }
        return cell.split(whereSeparator: { $0 == "|" || $0 == "," || $0 == ";" })
            .map { $0.trimmingBlanks.lowercased() }.filter { !$0.isEmpty }
    }

    /// The secret uppercased without spaces when it is Base32 (`A-Z`, `2-7`, `=` padding), else `nil`.
    static func base32(_ secret: String) -> String? {
        let compact = secret.uppercased().filter { $0 != " " }
        guard !compact.isEmpty,
            compact.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("2"..."7").contains($0) || $0 == "=" })
        else { return nil }
        return compact
    }
}

extension ConvertSource {
    /// The Clerk dashboard's CSV export.
    public static let clerk = ClerkConverter.source
}
