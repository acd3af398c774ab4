/// The dry-run's fast path: decides from raw bytes that a row certainly passes every rule with no
/// warning, without building strings.
///
/// It is deliberately conservative. Whenever a row is not plainly clean (a problem, a warning, or just
/// something unusual such as an escaped character in metadata), it answers `false` and the caller runs the
/// full ``RowValidator/validate(_:)``, which alone writes messages. So both paths always agree on every row.
/// It holds metadata and external_id to the documented ``FieldLimits``, the stricter policy in every
/// respect, so a row clean here is valid under either `--limits`.
extension RowValidator {
    /// Whether the row certainly validates with no warning. `record` must already be well-formed UTF-8
    /// with the header's number of fields.
    func isClean(_ record: RecordBytes) -> Bool {
        let email = trimmed(record, .email)
        guard email.count > 0, EmailRule.check(email) == nil else { return false }

        let verified = trimmed(record, .emailVerified)
        if verified.count > 0 && Self.parseBool(verified) == nil { return false }

        let hash = trimmed(record, .passwordHash)
        let type = trimmed(record, .passwordHashType)
        if hash.count > 0 || type.count > 0 {
            guard hash.count > 0, type.count > 0, let hashType = Self.hashType(type),
                PasswordHashFormat.check(bytes: hash, as: hashType) == .valid
            else { return false }
            if raw(record, .password).count > 0 { return false }
        }
        let saltPosition = trimmed(record, .passwordSaltPosition)
        if saltPosition.count > 0 {
            guard Self.hashType(type) == .ssha256,
                "prefix".utf8.elementsEqual(saltPosition) || "suffix".utf8.elementsEqual(saltPosition)
            else { return false }
        }

        let externalId = trimmed(record, .externalId)
        if externalId.count > FieldLimits.documented.maximumExternalIdLength || !UTF8Check.isASCII(externalId) {
            return false
        }

        let metadata = trimmed(record, .metadata)
        if metadata.count > 0 && !MetadataParser.isPlainSmallObject(metadata) { return false }
        // Organizations, roles and TOTP secrets take the full path.
        for column in RowValidator.identityColumns where raw(record, column).count > 0 { return false }
        return true
    }

    private func raw(_ record: RecordBytes, _ column: ImportColumn) -> UnsafeBufferPointer<UInt8> {
        record.field(positions[Self.slot(column)])
    }

    /// The cell without leading and trailing spaces, tabs and line breaks (as ``CellText/trim(_:)``).
    private func trimmed(_ record: RecordBytes, _ column: ImportColumn) -> UnsafeBufferPointer<UInt8> {
        let bytes = raw(record, column)
        guard let base = bytes.baseAddress else { return bytes }
        var start = 0
        var end = bytes.count
        while start < end && Self.isTrimmable(bytes[start]) { start += 1 }
        while end > start && Self.isTrimmable(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(start: base + start, count: end - start)
    }

    private static func isTrimmable(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
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
