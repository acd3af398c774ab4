/// Applies the row rules to CSV records and turns the good ones into ``ImportRow``s.
///
/// Created once from the header (which fixes where each known column is), then called for every record.
/// A row that breaks any rule fails as a whole, with every problem listed in one message, and no API call
/// is made for it. The rules are WorkOS's own, so a row that passes a dry run is a row WorkOS accepts:
/// - `email`: required, trimmed, an address WorkOS's `format: email` accepts (see ``EmailRule``).
/// - `email_verified`: true/false/yes/no/y/n/1/0 in any case; blank means "not sent".
/// - `metadata`: blank means none; otherwise a flat JSON object within the ``FieldLimits`` chosen with
///   `--limits`. Numbers and booleans are sent as strings (one warning), `null` values are left out (one
///   warning).
/// - `password_hash` and `password_hash_type` come together, the type is one WorkOS accepts, and the
///   hash has that type's string form (see ``PasswordHashFormat``). With a hash pair present a plaintext
///   `password` is ignored (one warning). `password_salt_position` (`prefix` or `suffix`) is allowed only
///   with an `ssha256` hash.
/// - `external_id`: ASCII, within the chosen ``FieldLimits``.
///
/// The validator is a value with no mutable state, so worker tasks may share it.
public struct RowValidator: Sendable {
    /// The metadata and external_id limits rows are held to (`--limits`).
    public let limits: FieldLimits

    /// Header cells that name no known column, trimmed, in file order (blank names included as ""). Each is
    /// one warning, and the summary names them, so a column the importer did not read is never a surprise.
    public let unknownColumns: [String]
    /// Number of columns in the header.
    public let columnCount: Int
    /// Whether the run gives every row an organization (`--org-id`, `--org-external-id`), so `role_slugs`
    /// has a membership to apply to even on rows without organization columns.
    public var runHasOrganization = false

    /// Where the email column is in each record.
    var emailColumn: Int { positions[.email] }

    /// Where each known column is in the record.
    let positions: ColumnPositions
    /// The fields the dry run's clean check does not know the rules of (see ``fullCheckColumns``).
    let fullCheckFields: [Int]

    /// Maps the header's column names to the known columns, ignoring case, spaces, hyphens and underscores
    /// (see ``ImportColumn/key(for:)``); rows will be held to `limits` (the documented ones unless
    /// `--limits spec`).
    ///
    /// - Throws: ``HeaderError`` when there is no `email` column, or a name appears twice (two spellings of
    ///   one known column, such as `First Name` and `first_name`, count as the same name).
    ///
    /// - Parameter mapping: `--map`: header cells that hold our columns under other names. A mapped column
    ///   is read from its mapped cell only; a cell that would name it by itself is then an unknown column.
    /// - Throws: also ``HeaderError/mappedColumnNotInHeader(column:header:found:)`` when a map names a header
    ///   cell the file lacks.
    public init(
        header: [String], limits: FieldLimits = .documented, mapping: ColumnMapping = ColumnMapping()
    ) throws(HeaderError) {
        self.limits = limits
        var positions = ColumnPositions()
        var unknown: [String] = []
        var seen: [String: [Int]] = [:]
        var order: [String] = []
        var mapped: [Int: ImportColumn] = [:]
        for (column, index) in try mapping.positions(in: header) { mapped[index] = column }
        let mappedColumns = Set(mapped.values)
        for (index, cell) in header.enumerated() {
            let name = CellText.trim(cell)
            var column = mapped[index] ?? ImportColumn(header: name)
            if mapped[index] == nil, let native = column, mappedColumns.contains(native) { column = nil }
            // Two spellings of one known column collide; unknown columns only when equal but for case.
            let key = column?.rawValue ?? "?" + name.lowercased()
            if seen[key] == nil { order.append(key) }
            seen[key, default: []].append(index + 1)
            if let column {
                if !positions.contains(column) { positions[column] = index }
            } else {
                unknown.append(name)
            }
        }
        for key in order where key != "?" {
            if let places = seen[key], places.count > 1 {
                throw .duplicateColumn(name: CellText.trim(header[places[0] - 1]), positions: places)
            }
        }
        guard positions.contains(.email) else { throw .missingEmailColumn(header: header.map { CellText.trim($0) }) }
        self.positions = positions
        self.fullCheckFields = Self.fullCheckFields(positions)
        self.unknownColumns = unknown
        self.columnCount = header.count
    }

    /// The one warning about unknown columns, or `nil` when every column is known.
    public var unknownColumnsWarning: String? {
        guard !unknownColumns.isEmpty else { return nil }
        let names = unknownColumns.map { $0.isEmpty ? "(a column with a blank name)" : DisplayText.quoted($0) }
        let noun = unknownColumns.count == 1 ? "column" : "columns"
        return "Ignoring unknown \(noun) \(DisplayText.list(names)); the importer reads "
            + "\(ImportColumn.namesForMessages)."
    }

    /// The record's email cell, trimmed, or "" (for reporting rows that failed before validation).
    public func email(in record: CSVRecord) -> String {
        cell(.email, record).map { CellText.trim($0) } ?? ""
    }

    /// The problem to report for a record the reader could not parse: `reason` prefixed with the line.
    public func problem(forMalformed record: CSVRecord, reason: String) -> RowProblem {
        RowProblem(
            recordNumber: record.recordNumber, line: record.line, email: email(in: record),
            message: "line \(record.line): \(reason)")
    }

    /// Checks one record against every row rule.
    public func validate(_ record: CSVRecord) -> RowValidation {
        var problems = ProblemList()
        var warnings: [RowWarning] = []
        let line = record.line

        let email = cell(.email, record).map { CellText.trim($0) } ?? ""
        if email.isEmpty {
            problems.append("email is missing", reason: "email is missing")
        } else if let reason = EmailRule.problem(with: email) {
            problems.append(
                "email \(DisplayText.quoted(email)) is not a valid address (\(reason))",
                reason: "email is not a valid address")
        }

        let firstName = optionalTrimmed(.firstName, record)
        let lastName = optionalTrimmed(.lastName, record)

        var emailVerified: Bool?
        if let text = optionalTrimmed(.emailVerified, record) {
            emailVerified = Self.parseBool(text)
            if emailVerified == nil {
                problems.append(
                    "email_verified \(DisplayText.quoted(text, limit: 20)) is not one of true, false, yes, no, y, n, "
                        + "1, 0", reason: "email_verified is not a yes or no")
            }
        }

        var password = cell(.password, record)
        if password?.isEmpty == true { password = nil }
        var passwordHash = optionalTrimmed(.passwordHash, record)
        var hashType: PasswordHashType?
        let typeText = optionalTrimmed(.passwordHashType, record)
        if let typeText {
            hashType = PasswordHashType(rawValue: typeText) ?? PasswordHashType(rawValue: typeText.lowercased())
            if hashType == nil {
                let allowed = PasswordHashType.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(
                    "password_hash_type \(DisplayText.quoted(typeText, limit: 30)) is not supported; use one of "
                        + allowed, reason: "password_hash_type is not supported")
            }
        }
        switch (passwordHash, typeText) {
        case (.some, nil):
            problems.append(
                "password_hash is set but password_hash_type is blank; name the hash's algorithm",
                reason: "password_hash is set but password_hash_type is blank")
        case (nil, .some):
            problems.append(
                "password_hash_type is set but password_hash is blank; add the hash or clear the type",
                reason: "password_hash_type is set but password_hash is blank")
        case (.some(let hash), .some):
            if let type = hashType {
                switch PasswordHashFormat.check(hash, as: type) {
                case .valid: break
                case .normalized(let rewritten): passwordHash = rewritten
                case .invalid(let reason):
                    problems.append(
                        "password_hash \(reason)", reason: "password_hash is not a valid \(type.rawValue) hash")
                }
            }
            if password != nil {
                password = nil
                warnings.append(
                    RowWarning(
                        kind: .passwordIgnored, line: line,
                        message: "line \(line): password ignored because password_hash and password_hash_type are set"
                    ))
            }
        case (nil, nil):
            break
        }
        let saltPosition = checkSaltPosition(
            optionalTrimmed(.passwordSaltPosition, record), hash: passwordHash, typeText: typeText, type: hashType,
            problems: &problems)

        let externalId = optionalTrimmed(.externalId, record)
        if let externalId {
            checkExternalId(externalId, problems: &problems)
        }

        var metadata: [String: String]?
        if let text = optionalTrimmed(.metadata, record) {
            metadata = Self.checkMetadata(text, limits: limits, line: line, problems: &problems, warnings: &warnings)
        }

        let organization = checkOrganization(record, problems: &problems)
        let roleSlugs = checkRoles(
            record, hasOrganization: organization != nil, problems: &problems, warnings: &warnings)
        let totp = checkTOTP(record, problems: &problems)

        guard problems.messages.isEmpty else {
            let problem = RowProblem(
                recordNumber: record.recordNumber, line: line, email: email,
                message: "line \(line): " + problems.messages.joined(separator: "; "),
                reason: problems.reasons.joined(separator: "; "))
            return .invalid(problem, warnings: warnings)
        }
        var row = ImportRow(
            recordNumber: record.recordNumber, line: line, email: email, firstName: firstName, lastName: lastName,
            password: password, passwordHash: passwordHash, passwordHashType: hashType,
            passwordSaltPosition: saltPosition, emailVerified: emailVerified, externalId: externalId,
            metadata: metadata, byteRange: record.byteRange)
        row.organization = organization
        row.roleSlugs = roleSlugs
        row.totp = totp
        return .valid(row, warnings: warnings)
    }

    // MARK: - Organizations, roles, TOTP

    /// Whether the header has any of the row organization columns.
    public var hasOrganizationColumns: Bool {
        ImportColumn.organizationColumns.contains { positions.contains($0) }
    }

    /// Whether the header has a `role_slugs` (or `role_slug`) column.
    public var hasRoleColumn: Bool { positions.contains(.roleSlugs) }

    /// Our columns whose values are secrets: they never reach a message, a journal or the error file.
    public static let secretImportColumns: [ImportColumn] = [.password, .passwordHash, .totpSecret]

    /// The 0-based header columns that feed one of ``secretImportColumns``, by their own name or through
    /// `--map` (`--map password=pw` makes `pw` secret, whatever it is called).
    public var secretColumns: Set<Int> {
        Set(Self.secretImportColumns.map { positions[$0] }.filter { $0 >= 0 })
    }

    /// Whether the header has a `totp_secret` column.
    public var hasTOTPColumn: Bool { positions.contains(.totpSecret) }

    /// `org_id` or `org_external_id` (with `org_name` to create it), never both; `org_name` alone cannot be
    /// found again on a rerun, so it is refused.
    private func checkOrganization(_ record: CSVRecord, problems: inout ProblemList) -> RowOrganization? {
        let id = optionalTrimmed(.orgId, record)
        let externalId = optionalTrimmed(.orgExternalId, record)
        let name = optionalTrimmed(.orgName, record)
        switch (id, externalId) {
        case (.some, .some):
            problems.append(
                "org_id and org_external_id are both set; give one of them",
                reason: "org_id and org_external_id are both set")
            return nil
        case (let id?, nil):
            return .id(id)
        case (nil, let externalId?):
            if !externalId.utf8.allSatisfy({ $0 < 0x80 }) || externalId.utf8.count > limits.maximumExternalIdLength {
                problems.append(
                    "org_external_id \(DisplayText.quoted(externalId, limit: 40)) must be ASCII and at most "
                        + "\(limits.maximumExternalIdLength) characters",
                    reason: "org_external_id is not ASCII or too long")
                return nil
            }
            return .externalId(externalId, name: name)
        case (nil, nil):
            if name != nil {
                problems.append(
                    "org_name needs org_external_id, so the organization can be found again on a rerun",
                    reason: "org_name needs org_external_id")
            }
            return nil
        }
    }

    /// `role_slugs`: comma-separated or a JSON array of slugs (lower-case letters, digits, `-`, `_`), only
    /// where the row has a membership. Upper-case letters and empty entries are fixed with a warning.
    private func checkRoles(
        _ record: CSVRecord, hasOrganization: Bool, problems: inout ProblemList, warnings: inout [RowWarning]
    ) -> [String]? {
        guard let text = optionalTrimmed(.roleSlugs, record) else { return nil }
        let parsed: [String]
        switch RoleSlugList.parse(text) {
        case .success(let list):
            parsed = list.slugs
            if list.normalized {
                warnings.append(
                    RowWarning(
                        kind: .roleSlugsNormalized, line: record.line,
                        message: "line \(record.line): role_slugs \(DisplayText.quoted(text, limit: 60)) read as "
                            + "\(list.slugs.joined(separator: ",")) (role slugs are lower case; empty entries are "
                            + "left out)"))
            }
        case .failure(let problem):
            problems.append("role_slugs \(problem.message)", reason: "role_slugs \(problem.reason)")
            return nil
        }
        if !hasOrganization && !runHasOrganization {
            problems.append(
                "role_slugs is set but the row has no organization; add org_id or org_external_id, or run with "
                    + "--org-id or --org-external-id", reason: "role_slugs is set but the row has no organization")
            return nil
        }
        return parsed.isEmpty ? nil : parsed
    }

    /// `totp_secret` is Base32; `totp_issuer` and `totp_user` describe it and mean nothing without it.
    private func checkTOTP(_ record: CSVRecord, problems: inout ProblemList) -> TOTPEnrollment? {
        let issuer = optionalTrimmed(.totpIssuer, record)
        let user = optionalTrimmed(.totpUser, record)
        guard let text = optionalTrimmed(.totpSecret, record) else {
            if issuer != nil || user != nil {
                problems.append(
                    "totp_issuer or totp_user is set but totp_secret is blank; add the secret or clear them",
                    reason: "totp_issuer or totp_user is set but totp_secret is blank")
            }
            return nil
        }
        let secret: String
        switch TOTPSecret.read(text) {
        case .success(let normalized):
            secret = normalized
        case .failure(let problem):
            // Never the value: it is a secret.
            problems.append(problem.message, reason: problem.reason)
            return nil
        }
        return TOTPEnrollment(secret: secret, issuer: issuer, user: user)
    }

    // MARK: - Rules

    /// `password_salt_position`: `prefix` or `suffix` in any case, and only beside an `ssha256` hash (the
    /// API answers `password_salt_position_requires_password_hash` without a hash, 422 with another type).
    private func checkSaltPosition(
        _ text: String?, hash: String?, typeText: String?, type: PasswordHashType?, problems: inout ProblemList
    ) -> PasswordSaltPosition? {
        guard let text else { return nil }
        let position = PasswordSaltPosition(rawValue: text.lowercased())
        if position == nil {
            problems.append(
                "password_salt_position \(DisplayText.quoted(text, limit: 20)) is not one of prefix, suffix",
                reason: "password_salt_position is not prefix or suffix")
        }
        if hash == nil && typeText == nil {
            problems.append(
                "password_salt_position is set but password_hash is blank; it describes an ssha256 hash, so add "
                    + "the hash or clear it", reason: "password_salt_position is set but password_hash is blank")
        } else if let type, type != .ssha256 {
            problems.append(
                "password_salt_position is only used with password_hash_type ssha256, not \(type.rawValue); "
                    + "clear it", reason: "password_salt_position is set for a hash that is not ssha256")
        }
        return position
    }

    private func checkExternalId(_ value: String, problems: inout ProblemList) {
        let length = value.utf8.count
        if !value.utf8.allSatisfy({ $0 < 0x80 }) {
            problems.append(
                "external_id \(DisplayText.quoted(value, limit: 40)) must be ASCII only",
                reason: "external_id is not ASCII")
        } else if length > limits.maximumExternalIdLength {
            problems.append(
                "external_id is \(length) characters long; "
                    + Self.limitText(
                        limits, limits.maximumExternalIdLength, spec: FieldLimits.spec.maximumExternalIdLength,
                        value: length), reason: "external_id is too long")
        }
    }

    /// "WorkOS documents at most 64 (--limits spec allows 128)", or "WorkOS accepts at most 128".
    private static func limitText(_ limits: FieldLimits, _ limit: Int, spec: Int, value: Int) -> String {
        guard limits == .documented else { return "WorkOS accepts at most \(limit)" }
        return "WorkOS documents at most \(limit)" + (value <= spec ? " (--limits spec allows \(spec))" : "")
    }

    /// The metadata of a cell under `limits`, or nil with its problems; shared with the organizations file,
    /// whose metadata WorkOS holds to the same limits.
    static func checkMetadata(
        _ text: String, limits: FieldLimits, line: Int, problems: inout ProblemList, warnings: inout [RowWarning]
    ) -> [String: String]? {
        let output: MetadataParser.Output
        do {
            output = try MetadataParser.parse(text)
        } catch {
            problems.append(error.message, reason: error.reason)
            return nil
        }
        let keyCount = output.values.count
        var failed = false
        if keyCount > limits.maximumMetadataKeys {
            problems.append(
                "metadata has \(keyCount) keys; "
                    + Self.limitText(
                        limits, limits.maximumMetadataKeys, spec: FieldLimits.spec.maximumMetadataKeys, value: keyCount),
                reason: "metadata has too many keys")
            failed = true
        }
        // Only values actually sent count: a non-ASCII key whose value is null is left out.
        let nonASCII =
            output.hasNonASCII
            && output.values.contains { key, value in !Self.isASCII(key) || !Self.isASCII(value) }
        if nonASCII && limits.metadataMustBeASCII {
            problems.append(
                "metadata has non-ASCII characters; WorkOS documents ASCII only (--limits spec allows them)",
                reason: "metadata has non-ASCII characters")
            failed = true
        }
        let tooLong = output.values.contains { key, value in
            Self.characterCount(key, ascii: !nonASCII) > limits.maximumMetadataKeyLength
                || Self.characterCount(value, ascii: !nonASCII) > limits.maximumMetadataValueLength
        }
        // Messages in key order, so the same row always reads the same.
        for (key, value) in tooLong ? output.values.sorted(by: { $0.key < $1.key }) : [] {
            if Self.characterCount(key, ascii: !nonASCII) > limits.maximumMetadataKeyLength {
                problems.append(
                    "metadata key \(DisplayText.quoted(key, limit: 40)) is longer than "
                        + "\(limits.maximumMetadataKeyLength) characters", reason: "metadata key is too long")
            }
            let length = Self.characterCount(value, ascii: !nonASCII)
            if length > limits.maximumMetadataValueLength {
                problems.append(
                    "metadata value for \(DisplayText.quoted(key, limit: 40)) is \(length) characters long; "
                        + "WorkOS accepts at most \(limits.maximumMetadataValueLength)",
                    reason: "metadata value is too long")
            }
        }
        if tooLong || failed { return nil }
        if !output.coercedKeys.isEmpty {
            let names = DisplayText.list(output.coercedKeys.map { DisplayText.quoted($0, limit: 40) })
            warnings.append(
                RowWarning(
                    kind: .metadataCoerced, line: line,
                    message: "line \(line): metadata \(output.coercedKeys.count == 1 ? "value" : "values") for "
                        + "\(names) sent as \(output.coercedKeys.count == 1 ? "a string" : "strings")"))
        }
        if !output.nullKeys.isEmpty {
            let names = DisplayText.list(output.nullKeys.map { DisplayText.quoted($0, limit: 40) })
            warnings.append(
                RowWarning(kind: .other, line: line, message: "line \(line): metadata \(names) is null and left out"))
        }
        return keyCount == 0 ? [:] : output.values
    }

    // MARK: - Cells

    private func cell(_ column: ImportColumn, _ record: CSVRecord) -> String? {
        let position = positions[column]
        guard position >= 0, position < record.fields.count else { return nil }
        return record.fields[position]
    }

    /// The trimmed cell, or `nil` when the column is absent or the cell is blank.
    private func optionalTrimmed(_ column: ImportColumn, _ record: CSVRecord) -> String? {
        guard let value = cell(column, record), !value.isEmpty else { return nil }
        let trimmed = CellText.trim(value)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// `true`/`false`/`yes`/`no`/`y`/`n`/`1`/`0` in any case.
    static func parseBool(_ text: String) -> Bool? {
        switch text.utf8.count {
        case 1:
            if text == "1" || text == "y" || text == "Y" { return true }
            if text == "0" || text == "n" || text == "N" { return false }
        case 2, 3, 4, 5:
            switch text.lowercased() {
            case "true", "yes": return true
            case "false", "no": return false
            default: break
            }
        default:
            break
        }
        return nil
    }

    private static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Characters as the API counts them (Unicode scalars); the byte count when the text is ASCII.
    private static func characterCount(_ text: String, ascii: Bool) -> Int {
        ascii ? text.utf8.count : text.unicodeScalars.count
    }
}

/// The problems of one row: each message, and its reason (the message without the row's own values) for
/// grouping failures in the summary.
struct ProblemList {
    private(set) var messages: [String] = []
    private(set) var reasons: [String] = []

    mutating func append(_ message: String, reason: String) {
        messages.append(message)
        reasons.append(reason)
    }
}
