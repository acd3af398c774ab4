#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `convert … --package-out DIR`: a converted file written as a migration package, in the exact file names
/// and headers WorkOS's toolkit writes and validates (its `docs/migration-package.md`, schema version 1), so
/// `workos-import --package DIR` and the toolkit's own commands both read it.
///
/// From the converted file (``ConvertedCSVWriter/columns``): `users.csv` in the toolkit's thirteen columns,
/// `organizations.csv` with each organization the users name once (domains and metadata empty: a user
/// export does not hold them), `totp_secrets.csv` for the users that have a secret, and `manifest.json`
/// naming them with their counts. Role definitions are not written: a provider's user export names the
/// roles a user has, not what they grant. Every file is created 0600 (they hold hashes and secrets) in a
/// folder created 0700.
public enum PackageOutput {
    /// What was written.
    public struct Written: Sendable, Equatable {
        public var users = 0
        public var organizations = 0
        public var totpSecrets = 0
    }

    /// The toolkit's `users.csv` header.
    static let usersHeader = [
        "email", "password", "password_hash", "password_hash_type", "first_name", "last_name", "email_verified",
        "external_id", "metadata", "org_id", "org_external_id", "org_name", "role_slugs",
    ]
    /// Where each of ``usersHeader``'s columns is in the converted file (`nil`: always empty).
    static let usersFromConverted: [String?] = [
        "email", nil, "password_hash", "password_hash_type", "first_name", "last_name", "email_verified",
        "external_id", "metadata", "org_id", "org_external_id", "org_name", "role_slugs",
    ]

    /// Writes the package for the converted file at `converted` into `directory`.
    ///
    /// - Parameters:
    ///   - provider: the manifest's `provider`, the source's name.
    ///   - generatedAt: the manifest's `generatedAt`.
    public static func write(converted: String, provider: String, to directory: String, generatedAt: Date)
        throws(ConvertError) -> Written
    {
        try prepareFolder(directory)
        let reader: CSVReader
        do {
            reader = try CSVReader(path: converted, format: CSVFormat(encoding: .utf8, delimiter: 0x2C))
        } catch {
            throw .inputUnreadable(path: converted, reason: error.description)
        }
        let position = Dictionary(
            reader.header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var users = try PackageFile(directory, "users.csv", header: usersHeader)
        var secrets = try PackageFile(
            directory, "totp_secrets.csv", header: ["email", "totp_secret", "totp_issuer", "totp_user"])
        var organizations: [(id: String, externalID: String, name: String)] = []
        var seen: Set<String> = []
        var written = Written()
        while let result = reader.next() {
            let fields = result.record.fields
            func cell(_ column: String?) -> String {
                guard let column, let at = position[column], at < fields.count else { return "" }
                return fields[at]
            }
            try users.append(usersFromConverted.map(cell))
            written.users += 1
            if !cell("totp_secret").isEmpty {
                try secrets.append([cell("email"), cell("totp_secret"), cell("totp_issuer"), cell("totp_user")])
                written.totpSecrets += 1
            }
            let key = cell("org_id").isEmpty ? "ext:" + cell("org_external_id") : "id:" + cell("org_id")
            if key != "ext:", seen.insert(key).inserted {
                organizations.append((cell("org_id"), cell("org_external_id"), cell("org_name")))
            }
        }
        if let error = reader.readError { throw .inputUnreadable(path: converted, reason: error.description) }
        var organizationsFile = try PackageFile(
            directory, "organizations.csv", header: ["org_id", "org_external_id", "org_name", "domains", "metadata"])
        for organization in organizations {
            try organizationsFile.append([organization.id, organization.externalID, organization.name, "", ""])
        }
        written.organizations = organizations.count
        try users.finish()
        try secrets.finish()
        try organizationsFile.finish()
        try writeManifest(written, provider: provider, directory: directory, generatedAt: generatedAt)
        return written
    }

    /// Creates `directory` (0700) when it does not exist; refuses a file in its place. Called before the
    /// conversion too, so a folder that cannot be made stops the command before any export is read.
    public static func prepareFolder(_ directory: String) throws(ConvertError) {
        var info = stat()
        if stat(directory, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw .badOption("--package-out \(directory) is a file; name a folder (it is created if missing).")
            }
            return
        }
        guard mkdir(directory, 0o700) == 0 else {
            throw .badOption(
                "--package-out \(directory) could not be created (\(SystemError.describe(errno))); name a folder in "
                    + "a place you can write.")
        }
    }

    /// The manifest, as the toolkit's `createMigrationPackageManifest` writes it, naming only the files written.
    private static func writeManifest(_ written: Written, provider: String, directory: String, generatedAt: Date)
        throws(ConvertError)
    {
        let manifest = MigrationPackage.Manifest(
            schemaVersion: MigrationPackage.schemaVersion, provider: provider,
            generatedAt: Timestamp.format(generatedAt),
            entitiesRequested: ["users", "organizations", "totpSecrets"],
            entitiesExported: [
                "users": written.users, "organizations": written.organizations, "totpSecrets": written.totpSecrets,
            ],
            files: [
                "manifest": "manifest.json", "users": "users.csv", "organizations": "organizations.csv",
                "totpSecrets": "totp_secrets.csv",
            ],
            importability: ["users": "automatic", "organizations": "automatic", "totpSecrets": "automatic"],
            secretsRedacted: false, warnings: [])
        let path = directory + "/manifest.json"
        do {
            let data = try DeterministicJSON.makeEncoder().encode(manifest)
            let descriptor = try SecureFile.open(path: path, append: false)
            defer { close(descriptor) }
            try SecureFile.write(String(decoding: data, as: UTF8.self) + "\n", to: descriptor, path: path)
        } catch let error as OutputFileError {
            throw .output(error)
        } catch {
            throw .badOption("the manifest could not be encoded: \(error)")
        }
    }

    /// One CSV file of the package, written through a buffer, mode 0600.
    struct PackageFile {
        let path: String
        let descriptor: Int32
        var buffer = ""

        init(_ directory: String, _ name: String, header: [String]) throws(ConvertError) {
            path = directory + "/" + name
            do {
                descriptor = try SecureFile.open(path: path, append: false)
            } catch {
                throw .output(error)
            }
            buffer = CSVRowEncoder.line(header)
        }

        mutating func append(_ fields: [String]) throws(ConvertError) {
            buffer += CSVRowEncoder.line(fields)
            if buffer.utf8.count >= 1 << 18 { try flush() }
        }

        mutating func flush() throws(ConvertError) {
            do {
                try SecureFile.write(buffer, to: descriptor, path: path)
            } catch {
                throw .output(error)
            }
            buffer = ""
        }

        mutating func finish() throws(ConvertError) {
            try flush()
            close(descriptor)
        }
    }
}
