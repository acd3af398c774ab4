/// The dry-run's fast path: decides from raw bytes that a row certainly passes every rule with no
/// warning, without building strings.
///
/// It is deliberately conservative. Whenever a row is not plainly clean (a problem, a warning, or just
/// something unusual such as an escaped character in metadata), it answers `false` and the caller runs the
/// full ``RowValidator/validate(_:)``, which alone writes messages. So both paths always agree on every row.
/// It holds metadata and external_id to the documented ``FieldLimits``, the stricter policy in every
/// respect, so a row clean here is valid under either `--limits`.
extension RowValidator {
    /// The columns this check knows the rules of: the allow-list. A non-empty cell of any other column
    /// (organizations, roles, TOTP, and any column added later) sends the row to the full check, so a new
    /// column is safe without touching this file.
    static let cleanCheckedColumns: [ImportColumn] = [
        .email, .firstName, .lastName, .password, .passwordHash, .passwordHashType, .passwordSaltPosition,
        .emailVerified, .externalId, .metadata,
    ]

    /// Every column not on ``cleanCheckedColumns``.
    static let fullCheckColumns = ImportColumn.allCases.filter { !cleanCheckedColumns.contains($0) }

    /// Whether the row certainly validates with no warning. `record` must already be well-formed UTF-8
    /// with the header's number of fields.
    func isClean(_ record: RecordBytes) -> Bool {
        isClean(record, fullCheckFields: fullCheckFields)
    }

    /// ``isClean(_:)`` with a given list of columns it does not know, so a test can show what a column
    /// missing from the allow-list does.
    func isClean(_ record: RecordBytes, fullCheckColumns: [ImportColumn]) -> Bool {
        isClean(record, fullCheckFields: fullCheckColumns.map { positions[$0] }.filter { $0 >= 0 })
    }

    /// Where the header has the columns of ``fullCheckColumns``, worked out once per file.
    static func fullCheckFields(_ positions: ColumnPositions) -> [Int] {
        fullCheckColumns.map { positions[$0] }.filter { $0 >= 0 }
    }

    /// ``isClean(_:)`` that also counts a clean row into `coverage`, as ``FieldCoverage`` counts the row
    /// ``validate(_:)`` builds from it, mostly from what the check read anyway: a cell is there when it is not
    /// blank (a password when it is not empty, as it is sent untrimmed), `email_verified` when it says yes,
    /// metadata when the object has a key, the hash by the type the check read. A clean row has no
    /// organization, roles or TOTP secret: those cells send a row to the full check. `columns` are the file's,
    /// as the fingerprints taken in the same pass hold them, so the names are read without a look-up.
    func isClean(
        _ record: RecordBytes, counting coverage: inout FieldCoverage, at columns: DuplicateEmails.Columns
    ) -> Bool {
        guard let read = cleanCells(record, fullCheckFields: fullCheckFields) else { return false }
        func present(_ field: Int) -> Bool {
            let bytes = record.field(field)
            return bytes.baseAddress != nil && CellText.trim(bytes).count > 0
        }
        coverage.addClean(
            emailVerified: read.emailVerified, password: record.field(columns.password).count > 0,
            passwordHash: read.passwordHash, firstName: present(columns.firstName),
            lastName: present(columns.lastName), externalId: read.externalId, metadata: read.metadata)
        return true
    }

    /// What the clean check read of a clean row that its field coverage counts.
    private struct CleanCells {
        var emailVerified = false
        var passwordHash: PasswordHashType?
        var externalId = false
        var metadata = false
    }

    private func isClean(_ record: RecordBytes, fullCheckFields: [Int]) -> Bool {
        cleanCells(record, fullCheckFields: fullCheckFields) != nil
    }

    /// The clean check: `nil` when the row is not plainly clean, else what it read of the counted cells.
    private func cleanCells(_ record: RecordBytes, fullCheckFields: [Int]) -> CleanCells? {
        for field in fullCheckFields where record.field(field).count > 0 { return nil }
        let email = trimmed(record, .email)
        guard email.count > 0, EmailRule.check(email) == nil else { return nil }
        var read = CleanCells()

        let verified = trimmed(record, .emailVerified)
        if verified.count > 0 {
            guard let yes = Self.parseBool(verified) else { return nil }
            read.emailVerified = yes
        }

        let hash = trimmed(record, .passwordHash)
        let type = trimmed(record, .passwordHashType)
        if hash.count > 0 || type.count > 0 {
            guard hash.count > 0, type.count > 0, let hashType = Self.hashType(type),
                PasswordHashFormat.check(bytes: hash, as: hashType) == .valid
            else { return nil }
            if raw(record, .password).count > 0 { return nil }
            read.passwordHash = hashType
        }
        let saltPosition = trimmed(record, .passwordSaltPosition)
        if saltPosition.count > 0 {
            guard read.passwordHash == .ssha256,
                "prefix".utf8.elementsEqual(saltPosition) || "suffix".utf8.elementsEqual(saltPosition)
            else { return nil }
        }

        let externalId = trimmed(record, .externalId)
        if externalId.count > FieldLimits.documented.maximumExternalIdLength || !UTF8Check.isASCII(externalId) {
            return nil
        }
        read.externalId = externalId.count > 0

        let metadata = trimmed(record, .metadata)
        if metadata.count > 0 {
            guard MetadataParser.isPlainSmallObject(metadata) else { return nil }
            read.metadata = Self.hasKey(metadata)
        }
        return read
    }

    /// Whether a metadata cell the clean check passed (empty, or a plain object) has a key: its first byte
    /// after the brace and any blanks is a quote. Two bytes or so are read, not the whole cell.
    private static func hasKey(_ metadata: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 1
        while index < metadata.count {
            switch metadata[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            case UInt8(ascii: "\""): return true
            default: return false
            }
        }
        return false
    }

    private func raw(_ record: RecordBytes, _ column: ImportColumn) -> UnsafeBufferPointer<UInt8> {
        record.field(positions[column])
    }

    /// The cell without leading and trailing blanks (``CellText``'s rule).
    private func trimmed(_ record: RecordBytes, _ column: ImportColumn) -> UnsafeBufferPointer<UInt8> {
        let bytes = raw(record, column)
        guard bytes.baseAddress != nil else { return bytes }
        return CellText.trim(bytes)
    }

    /// The hash type spelled exactly as documented (other spellings take the full path).
    private static func hashType(_ bytes: UnsafeBufferPointer<UInt8>) -> PasswordHashType? {
        for type in PasswordHashType.allCases where type.rawValue.utf8.elementsEqual(bytes) { return type }
        return nil
    }

    /// `true`/`false`/`yes`/`no`/`y`/`n`/`1`/`0` in any ASCII case.
    private static func parseBool(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        var word: UInt64 = 0
        guard bytes.count <= 5 else { return nil }
        for byte in bytes {
            guard byte < 0x80 else { return nil }
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            word = word << 8 | UInt64(lower)
        }
        switch word {
        case 0x31, 0x79, 0x74_72_75_65, 0x79_65_73: return true  // "1", "y", "true", "yes"
        case 0x30, 0x6E, 0x66_61_6C_73_65, 0x6E_6F: return false  // "0", "n", "false", "no"
        default: return nil
        }
    }
}

extension UTF8Check {
    /// Whether every byte of `bytes` is ASCII.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        return isASCII(base, bytes.count)
    }
}
