import Foundation

/// Writes converted users as a CSV file in the importer's columns, mode 0600, through a buffer.
///
/// The columns are the importer's (`ImportColumn`) followed by the organization, role and TOTP columns of
/// whole-identity imports (`org_id`, `org_external_id`, `org_name`, `role_slugs`, `totp_secret`,
/// `totp_issuer`, `totp_user`), always all of them in this order, so every converted file has the same
/// shape whichever source it came from. The file holds password hashes and TOTP secrets, so it is private to
/// its owner; a write that fails is fatal, since a converted file with a hole in it would lose users.
public final class ConvertedCSVWriter {
    /// The header, in order.
    public static let columns = [
        "email", "first_name", "last_name", "email_verified", "password_hash", "password_hash_type", "external_id",
        "metadata", "org_id", "org_external_id", "org_name", "role_slugs", "totp_secret", "totp_issuer", "totp_user",
    ]

    private let path: String
    private let descriptor: Int32
    private var pending: [UInt8] = []
    private var closed = false
    private let encoder = DeterministicJSON.makeEncoder()

    /// Bytes gathered before one write.
    static let flushThreshold = 1 << 18

    /// Creates (or replaces) the file at `path` and writes the header.
    public convenience init(path: String) throws(OutputFileError) {
        self.init(descriptor: try SecureFile.open(path: path, append: false), path: path)
    }

    /// Writes to an open `descriptor` (which it closes); `path` names the file in error messages.
    init(descriptor: Int32, path: String) {
        self.path = path
        self.descriptor = descriptor
        pending.reserveCapacity(Self.flushThreshold + 4096)
        pending.append(contentsOf: CSVRowEncoder.line(Self.columns).utf8)
    }

    /// Appends one user's row.
    public func write(_ user: ConvertedUser) throws(OutputFileError) {
        // The buffer is swapped out for the row and back, so each cell is not one more checked access to a
        // class's stored property, and stays the only reference to its storage, so a flush keeps it.
        var row: [UInt8] = []
        swap(&row, &pending)
        defer { swap(&row, &pending) }
        Self.append(user.email, to: &row)
        Self.append(user.firstName, to: &row)
        Self.append(user.lastName, to: &row)
        Self.append(user.emailVerified.map { $0 ? "true" : "false" }, to: &row)
        Self.append(user.passwordHash, to: &row)
        Self.append(user.passwordHashType?.rawValue, to: &row)
        Self.append(user.externalId, to: &row)
        Self.append(user.metadata.isEmpty ? nil : metadataJSON(user.metadata), to: &row)
        Self.append(user.orgId, to: &row)
        Self.append(user.orgExternalId, to: &row)
        Self.append(user.orgName, to: &row)
        Self.append(user.roleSlugs, to: &row)
        Self.append(user.totpSecret, to: &row)
        Self.append(user.totpIssuer, to: &row)
        Self.append(user.totpUser, to: &row, last: true)
        row.append(0x0A)
        if row.count >= Self.flushThreshold { try writeOut(&row) }
    }

    /// The metadata as JSON with sorted keys, as `JSONEncoder` writes it.
    ///
    /// Custom claims are mostly short lowercase keys with plain values; for those (keys of `a` to `z`,
    /// values of printable ASCII without `"` or `\`) the text is written directly, since there is nothing
    /// to escape and every way of sorting such keys agrees; anything else goes through the encoder.
    func metadataJSON(_ metadata: [String: String]) -> String {
        let plainKey: (String) -> Bool = { $0.utf8.allSatisfy { (0x61...0x7A).contains($0) } && !$0.isEmpty }
        let plainValue: (String) -> Bool = {
            $0.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        }
        guard metadata.allSatisfy({ plainKey($0.key) && plainValue($0.value) }) else {
            guard let data = try? encoder.encode(metadata) else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
        var text = "{"
        for (index, key) in metadata.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            text += "\"" + key + "\":\"" + metadata[key]! + "\""
        }
        return text + "}"
    }

    /// Appends one cell and the comma after it (none after the last), quoted by `CSVRowEncoder`'s rules:
    /// when it holds a comma, quote or line break, or starts or ends with a space or tab. Written from the
    /// UTF-8 bytes straight into the buffer, since this runs 15 times for every user.
    private static func append(_ field: String?, to row: inout [UInt8], last: Bool = false) {
        if var field, !field.isEmpty {
            field.withUTF8 { bytes in
                var quoted = bytes.first == 0x20 || bytes.first == 0x09 || bytes.last == 0x20 || bytes.last == 0x09
                if !quoted {
                    for byte in bytes
                    where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D {
                        quoted = true
                        break
                    }
                }
                guard quoted else {
                    row.append(contentsOf: bytes)
                    return
                }
                row.append(UInt8(ascii: "\""))
                for byte in bytes {
                    row.append(byte)
                    if byte == UInt8(ascii: "\"") { row.append(byte) }
                }
                row.append(UInt8(ascii: "\""))
            }
        }
        if !last { row.append(UInt8(ascii: ",")) }
    }

    /// Writes what is buffered and closes the file.
    public func close() throws(OutputFileError) {
        guard !closed else { return }
        closed = true
        try flush()
        try SecureFile.close(descriptor, path: path)
    }

    private func flush() throws(OutputFileError) {
        try writeOut(&pending)
    }

    /// Writes `bytes` to the file and empties them, keeping their storage for the next rows.
    private func writeOut(_ bytes: inout [UInt8]) throws(OutputFileError) {
        let code = bytes.withUnsafeBufferPointer { SecureFile.writeAll($0, to: descriptor) }
        if let code { throw .cannotWrite(path: path, code: code) }
        bytes.removeAll(keepingCapacity: true)
    }

    deinit {
        if !closed { _ = try? SecureFile.close(descriptor, path: path) }
    }
}
