/// Applies the row rules to CSV records and turns the good ones into ``ImportRow``s.
///
/// Created once from the header (which fixes where each known column is), then called for every record.
/// A row that breaks any rule fails as a whole, with every problem listed in one message, and no API call
/// is made for it. The rules:
/// - `email`: required, trimmed, plausible (see ``EmailRule``).
/// - `email_verified`: true/false/yes/no/1/0 in any case; blank means "not sent".
/// - `metadata`: blank means none; otherwise a flat JSON object within the contract's limits. Numbers
///   and booleans are sent as strings (one warning), `null` values are left out (one warning).
/// - `password_hash` and `password_hash_type` come together, the type is one WorkOS accepts, and the
///   hash has that type's string form. With a hash pair present a plaintext `password` is ignored
///   (one warning).
/// - `external_id`: ASCII, at most 128 characters; a warning above 64 (the documented limit).
///
/// The validator is a value with no mutable state, so worker tasks may share it.
public struct RowValidator: Sendable {
    /// Metadata with more keys than this fails (the API's limit).
    public static let maximumMetadataKeys = 50
    /// Metadata with more keys than this gets a warning (the documented guidance).
    public static let documentedMetadataKeys = 10
    /// The longest metadata key, in characters.
    public static let maximumMetadataKeyLength = 40
    /// The longest metadata value, in characters.
    public static let maximumMetadataValueLength = 600
    /// The longest external_id, in characters (the API's limit).
    public static let maximumExternalIdLength = 128
    /// external_ids longer than this get a warning (the documented limit).
    public static let documentedExternalIdLength = 64

    /// Header cells that name no known column, trimmed, in file order (blank names included as "").
    public let unknownColumns: [String]
    /// Number of columns in the header.
    public let columnCount: Int

    /// Index of each known column in the record, or -1; indexed like `ImportColumn.allCases`.
    let positions: [Int]

    /// Maps the header's column names (trimmed, any case) to the known columns.
    ///
    /// - Throws: ``HeaderError`` when there is no `email` column or a name appears twice.
    public init(header: [String]) throws(HeaderError) {
        var positions = [Int](repeating: -1, count: ImportColumn.allCases.count)
        var unknown: [String] = []
        var seen: [String: [Int]] = [:]
        var order: [String] = []
        for (index, cell) in header.enumerated() {
            let name = Self.trim(cell)
            let key = name.lowercased()
            if seen[key] == nil { order.append(key) }
            seen[key, default: []].append(index + 1)
            if let column = ImportColumn(rawValue: key), let slot = ImportColumn.allCases.firstIndex(of: column) {
                if positions[slot] < 0 { positions[slot] = index }
            } else {
                unknown.append(name)
            }
        }
        for key in order where !key.isEmpty {
            if let places = seen[key], places.count > 1 {
                throw .duplicateColumn(name: Self.trim(header[places[0] - 1]), positions: places)
            }
        }
        guard positions[0] >= 0 else { throw .missingEmailColumn(header: header.map { Self.trim($0) }) }
        self.positions = positions
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
        cell(.email, record).map { Self.trim($0) } ?? ""
    }

    /// The problem to report for a record the reader could not parse: `reason` prefixed with the line.
    public func problem(forMalformed record: CSVRecord, reason: String) -> RowProblem {
        RowProblem(
            recordNumber: record.recordNumber, line: record.line, email: email(in: record),
            message: "line \(record.line): \(reason)")
    }

    /// Checks one record against every row rule.
    public func validate(_ record: CSVRecord) -> RowValidation {
        var problems: [String] = []
        var warnings: [RowWarning] = []
        let line = record.line

        let email = cell(.email, record).map { Self.trim($0) } ?? ""
        if email.isEmpty {
            problems.append("email is missing")
        } else if let reason = EmailRule.problem(with: email) {
            problems.append("email \(DisplayText.quoted(email)) is not a valid address (\(reason))")
        }

        let firstName = optionalTrimmed(.firstName, record)
        let lastName = optionalTrimmed(.lastName, record)

        var emailVerified: Bool?
        if let text = optionalTrimmed(.emailVerified, record) {
            emailVerified = Self.parseBool(text)
            if emailVerified == nil {
                problems.append(
                    "email_verified \(DisplayText.quoted(text, limit: 20)) is not one of true, false, yes, no, y, n, "
                        + "1, 0")
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
                        + allowed)
            }
        }
        switch (passwordHash, typeText) {
        case (.some, nil):
            problems.append("password_hash is set but password_hash_type is blank; name the hash's algorithm")
        case (nil, .some):
            problems.append("password_hash_type is set but password_hash is blank; add the hash or clear the type")
        case (.some(let hash), .some):
            if let type = hashType {
                switch PasswordHashFormat.check(hash, as: type) {
                case .valid: break
                case .normalized(let rewritten): passwordHash = rewritten
                case .invalid(let reason): problems.append("password_hash \(reason)")
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

        let externalId = optionalTrimmed(.externalId, record)
        if let externalId {
            checkExternalId(externalId, line: line, problems: &problems, warnings: &warnings)
        }

        var metadata: [String: String]?
        if let text = optionalTrimmed(.metadata, record) {
            metadata = checkMetadata(text, line: line, problems: &problems, warnings: &warnings)
        }

        guard problems.isEmpty else {
            let problem = RowProblem(
                recordNumber: record.recordNumber, line: line, email: email,
                message: "line \(line): " + problems.joined(separator: "; "))
            return .invalid(problem, warnings: warnings)
        }
        let row = ImportRow(
            recordNumber: record.recordNumber, line: line, email: email, firstName: firstName, lastName: lastName,
            password: password, passwordHash: passwordHash, passwordHashType: hashType, emailVerified: emailVerified,
            externalId: externalId, metadata: metadata)
        return .valid(row, warnings: warnings)
    }

    // MARK: - Rules

    private func checkExternalId(
        _ value: String, line: Int, problems: inout [String], warnings: inout [RowWarning]
    ) {
        let length = value.utf8.count
        if !value.utf8.allSatisfy({ $0 < 0x80 }) {
            problems.append("external_id \(DisplayText.quoted(value, limit: 40)) must be ASCII only")
        } else if length > Self.maximumExternalIdLength {
            problems.append(
                "external_id is \(length) characters long; WorkOS accepts at most \(Self.maximumExternalIdLength)")
        } else if length > Self.documentedExternalIdLength {
            warnings.append(
                RowWarning(
                    kind: .other, line: line,
                    message: "line \(line): external_id is \(length) characters long; WorkOS documents at most "
                        + "\(Self.documentedExternalIdLength)"))
        }
    }

    private func checkMetadata(
        _ text: String, line: Int, problems: inout [String], warnings: inout [RowWarning]
    ) -> [String: String]? {
        let output: MetadataParser.Output
        do {
            output = try MetadataParser.parse(text)
        } catch {
            problems.append(error.message)
            return nil
        }
        let keyCount = output.values.count
        if keyCount > Self.maximumMetadataKeys {
            problems.append("metadata has \(keyCount) keys; WorkOS accepts at most \(Self.maximumMetadataKeys)")
        }
        var failed = keyCount > Self.maximumMetadataKeys
        for (key, value) in output.values {
            if Self.characterCount(key, ascii: !output.hasNonASCII) > Self.maximumMetadataKeyLength {
                problems.append(
                    "metadata key \(DisplayText.quoted(key, limit: 40)) is longer than "
                        + "\(Self.maximumMetadataKeyLength) characters")
                failed = true
            }
            let length = Self.characterCount(value, ascii: !output.hasNonASCII)
            if length > Self.maximumMetadataValueLength {
                problems.append(
                    "metadata value for \(DisplayText.quoted(key, limit: 40)) is \(length) characters long; "
                        + "WorkOS accepts at most \(Self.maximumMetadataValueLength)")
                failed = true
            }
        }
        if failed { return nil }
        if keyCount > Self.documentedMetadataKeys {
            warnings.append(
                RowWarning(
                    kind: .other, line: line,
                    message: "line \(line): metadata has \(keyCount) keys; WorkOS documents at most "
                        + "\(Self.documentedMetadataKeys)"))
        }
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
        if output.hasNonASCII {
            warnings.append(
                RowWarning(
                    kind: .other, line: line,
                    message: "line \(line): metadata has non-ASCII characters; WorkOS documents ASCII only"))
        }
        return keyCount == 0 ? [:] : output.values
    }

    // MARK: - Cells

    private func cell(_ column: ImportColumn, _ record: CSVRecord) -> String? {
        let position = positions[Self.slot(column)]
        guard position >= 0, position < record.fields.count else { return nil }
        return record.fields[position]
    }

    /// The trimmed cell, or `nil` when the column is absent or the cell is blank.
    private func optionalTrimmed(_ column: ImportColumn, _ record: CSVRecord) -> String? {
        guard let value = cell(column, record), !value.isEmpty else { return nil }
        let trimmed = Self.trim(value)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Where `column` sits in ``positions``.
    static func slot(_ column: ImportColumn) -> Int {
        switch column {
        case .email: 0
        case .firstName: 1
        case .lastName: 2
        case .password: 3
        case .passwordHash: 4
        case .passwordHashType: 5
        case .emailVerified: 6
        case .externalId: 7
        case .metadata: 8
        }
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

    /// Removes leading and trailing spaces, tabs and line breaks; returns `value` itself when there are none.
    static func trim(_ value: String) -> String {
        let utf8 = value.utf8
        guard let first = utf8.first, let last = utf8.last else { return value }
        guard isSpace(first) || isSpace(last) else { return value }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, isSpace(utf8[start]) { start = utf8.index(after: start) }
        while end > start, isSpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return String(value[start..<end])
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func characterCount(_ text: String, ascii: Bool) -> Int {
        ascii ? text.utf8.count : text.unicodeScalars.count
    }
}
