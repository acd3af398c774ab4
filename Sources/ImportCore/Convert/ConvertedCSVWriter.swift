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
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Bytes gathered before one write.
    static let flushThreshold = 1 << 18

    /// Creates (or replaces) the file at `path` and writes the header.
    public init(path: String) throws(OutputFileError) {
        self.path = path
        descriptor = try SecureFile.open(path: path, append: false)
        pending.reserveCapacity(Self.flushThreshold + 4096)
        pending.append(contentsOf: CSVRowEncoder.line(Self.columns).utf8)
    }

    /// Appends one user's row.
    public func write(_ user: ConvertedUser) throws(OutputFileError) {
        var metadata = ""
        if !user.metadata.isEmpty, let data = try? encoder.encode(user.metadata) {
            metadata = String(decoding: data, as: UTF8.self)
        }
        let fields = [
            user.email, user.firstName ?? "", user.lastName ?? "",
            user.emailVerified.map { $0 ? "true" : "false" } ?? "",
            user.passwordHash ?? "", user.passwordHashType?.rawValue ?? "", user.externalId ?? "", metadata,
            user.orgId ?? "", user.orgExternalId ?? "", user.orgName ?? "", user.roleSlugs ?? "", user.totpSecret ?? "",
            user.totpIssuer ?? "", user.totpUser ?? "",
        ]
        for (index, field) in fields.enumerated() {
            if index > 0 { pending.append(UInt8(ascii: ",")) }
            pending.append(contentsOf: CSVRowEncoder.field(field).utf8)
        }
        pending.append(0x0A)
        if pending.count >= Self.flushThreshold { try flush() }
    }

    /// Writes what is buffered and closes the file.
    public func close() throws(OutputFileError) {
        guard !closed else { return }
        closed = true
        try flush()
        try SecureFile.close(descriptor, path: path)
    }

    private func flush() throws(OutputFileError) {
        let code = pending.withUnsafeBufferPointer { SecureFile.writeAll($0, to: descriptor) }
        if let code { throw .cannotWrite(path: path, code: code) }
        pending.removeAll(keepingCapacity: true)
    }

    deinit {
        if !closed { _ = try? SecureFile.close(descriptor, path: path) }
    }
}
