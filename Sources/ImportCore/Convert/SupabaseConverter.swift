import Foundation

/// Reads a CSV export of Supabase's `auth.users` table (`id, email, encrypted_password,
/// email_confirmed_at, raw_app_meta_data, raw_user_meta_data, banned_until, deleted_at, …`, with a header),
/// as `\copy auth.users to 'users.csv' csv header` or the dashboard's table export writes it.
///
/// Per user: `id` becomes external_id; `email` (a user without one, such as an anonymous or phone-only
/// user, is skipped); email_verified when `email_confirmed_at` is set; names from `raw_user_meta_data`
/// (`first_name`/`last_name`, `given_name`/`family_name`, else `full_name` or `name` split by
/// `--name-split`); `encrypted_password` is bcrypt and passes through; `raw_app_meta_data` and
/// `raw_user_meta_data` into metadata by `--metadata`; the organization from `--org-from`. Deleted users
/// (`deleted_at` set) are skipped; banned users (`banned_until` in the future) unless `--include-disabled`.
struct SupabaseConverter: ExportConverter {
    static let sourceName = "supabase"
    static let displayName = "Supabase"
    static let files = "a CSV export of the auth.users table"
    static let exportDescription = "a CSV export of Supabase's auth.users table"
    static let exportHint = "Export auth.users as CSV with a header (see the README's \"Migrating from Supabase\")."
    static let options: Set<ConvertOption> = [
        .metadata, .orgFrom, .orgNameFrom, .allowUserMetadataOrg, .nameSplit, .includeDisabled,
    ]

    let settings: ConvertSettings

    mutating func convert(file: String, emit: (ConversionOutcome) throws(ConvertError) -> Void) throws(ConvertError) {
        let reader = try CSVExportTable.open(file, source: .supabase)
        let table = try CSVExportTable(header: reader.header, required: ["id", "email"], file: file, source: .supabase)
        try CSVExportTable.forEachRecord(reader, file: file, emit: emit) { (record, position) throws(ConvertError) in
            try emit(outcome(record, table: table, position: position))
        }
    }

    /// One user's outcome.
    func outcome(_ record: CSVRecord, table: CSVExportTable, position: InputPosition) -> ConversionOutcome {
        let intake = UserIntake(
            sourceId: table.cell("id", in: record), email: table.cell("email", in: record), position: position)
        if table.cell("deleted_at", in: record) != nil {
            return intake.skipped("deleted in Supabase (deleted_at is set)")
        }
        guard var user = intake.start(emailVerified: table.cell("email_confirmed_at", in: record) != nil) else {
            return intake.skipped("no email address (WorkOS users need one)")
        }
        if let banned = table.cell("banned_until", in: record), Self.isFuture(banned, now: settings.now),
            !settings.includeDisabled
        {
            return intake.skipped("banned in Supabase (--include-disabled converts them)")
        }
        var losses: [ConversionReason] = []
        let app = parse(table.cell("raw_app_meta_data", in: record), column: "raw_app_meta_data", losses: &losses)
        let own = parse(table.cell("raw_user_meta_data", in: record), column: "raw_user_meta_data", losses: &losses)
        if let own {
            user.firstName = ConverterSupport.text(own["first_name"]) ?? ConverterSupport.text(own["given_name"])
            user.lastName = ConverterSupport.text(own["last_name"]) ?? ConverterSupport.text(own["family_name"])
            if user.firstName == nil && user.lastName == nil,
                let name = ConverterSupport.text(own["full_name"]) ?? ConverterSupport.text(own["name"])
            {
                (user.firstName, user.lastName) = settings.nameSplit.split(name)
            }
        }
        ConverterSupport.carryMetadata(app: app, own: own, settings: settings, into: &user, losses: &losses)
        var withoutPassword: ConversionReason?
        if let digest = table.cell("encrypted_password", in: record) {
            withoutPassword = PasswordHashConversion.bcrypt(digest, source: "Supabase").apply(to: &user)
        } else {
            withoutPassword = ConversionReason("no password in Supabase (signs in another way)")
        }
        return intake.outcome(.converted(user, withoutPassword: withoutPassword, losses: losses))
    }

    private func parse(_ text: String?, column: String, losses: inout [ConversionReason]) -> JSONValue? {
        guard let text else { return nil }
        var reader = JSONStreamReader(bytes: Array(text.utf8))
        if let value = try? reader.readValue(), value.members != nil, (try? reader.expectEnd()) != nil { return value }
        losses.append(ConversionReason("a metadata column is not a JSON object, so it was not carried", detail: column))
        return nil
    }

    /// Whether a Postgres timestamp (`2030-01-01 00:00:00+00`, ISO 8601, or `infinity`) is after `now`.
    static func isFuture(_ timestamp: String, now: Date) -> Bool {
        if timestamp.lowercased() == "infinity" { return true }
        var text = timestamp.replacingOccurrences(of: " ", with: "T")
        // Postgres writes "+00" for UTC; ISO 8601 wants "+00:00".
        if let sign = text.lastIndex(where: { $0 == "+" || $0 == "-" }),
            text.distance(from: sign, to: text.endIndex) == 3,
            text.contains("T")
        {
            text += ":00"
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date > now }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date > now }
        // A value that cannot be read is taken as a ban: converting a banned user by mistake is worse.
        return true
    }
}

extension ConvertSource {
    /// A CSV export of Supabase's `auth.users` table.
    public static let supabase = SupabaseConverter.source
}
