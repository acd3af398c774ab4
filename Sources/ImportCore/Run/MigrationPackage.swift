#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A migration package as WorkOS's toolkit (`workos/workos-migrations`) writes it: a folder with a
/// `manifest.json` naming its files at canonical paths (`users.csv`, `organizations.csv`, …; the toolkit's
/// `docs/migration-package.md` and `src/package/manifest.ts`, schema version 1).
///
/// This version imports `users.csv`, `organizations.csv`, `role_definitions.csv` and the SSO connections
/// (`sso/saml_connections.csv`, `sso/oidc_connections.csv`), and joins `organization_memberships.csv`,
/// `user_role_assignments.csv` and `totp_secrets.csv` to the users (``PackageJoin``). The package's other
/// data files (custom attribute mappings, proxy routes) are listed in ``unsupported`` when they hold rows,
/// so the command can refuse to drop them silently.
public struct MigrationPackage: Sendable, Equatable {
    /// The schema version this version reads.
    public static let schemaVersion = 1

    /// Every canonical file key and path of the toolkit's manifest (its `MIGRATION_PACKAGE_FILES`).
    public static let canonicalFiles: [String: String] = [
        "manifest": "manifest.json", "users": "users.csv", "organizations": "organizations.csv",
        "memberships": "organization_memberships.csv", "roleDefinitions": "role_definitions.csv",
        "userRoleAssignments": "user_role_assignments.csv", "totpSecrets": "totp_secrets.csv",
        "warnings": "warnings.jsonl", "skippedUsers": "skipped_users.jsonl",
        "samlConnections": "sso/saml_connections.csv", "oidcConnections": "sso/oidc_connections.csv",
        "customAttributeMappings": "sso/custom_attribute_mappings.csv", "proxyRoutes": "sso/proxy_routes.csv",
        "handoffNotes": "sso/handoff_notes.md", "uploadUsers": "workos_upload/users.csv",
        "uploadOrganizations": "workos_upload/organizations.csv",
        "uploadMemberships": "workos_upload/organization_memberships.csv",
    ]

    /// The data files this version does not import yet, by key, in the order they are listed.
    public static let unsupportedKeys = [
        "customAttributeMappings", "proxyRoutes",
    ]

    /// The folder, as given.
    public var directory: String
    /// The provider the package was exported from (`auth0`, `clerk`, …).
    public var provider: String
    /// `users.csv`'s path.
    public var usersPath: String
    /// `organizations.csv`'s path, when the package has one.
    public var organizationsPath: String?
    /// `role_definitions.csv`'s path, when the package has one.
    public var rolesPath: String?
    /// The SSO connection files with rows (SAML, then OIDC).
    public var ssoConnectionPaths: [String] = []
    /// The package's files with rows this version does not import, as their paths in the package.
    public var unsupported: [String] = []
    /// The side files with rows that ``PackageJoin`` joins to the users, by manifest key.
    public var sidePaths: [String: String] = [:]

    /// The file the import reads: `users.csv`, or the joined file when the package has side files with rows.
    public var importedUsersPath: String {
        sidePaths.isEmpty ? usersPath : Self.join(directory, PackageJoin.fileName)
    }

    /// The manifest's members this version reads, with the toolkit's validator's names and types; `convert
    /// --package-out` writes the same (``PackageOutput``).
    struct Manifest: Codable {
        var schemaVersion: Int
        var provider: String
        var generatedAt: String
        var entitiesRequested: [String]
        var entitiesExported: [String: Int]
        var files: [String: String]
        var importability: [String: String]
        var secretsRedacted: Bool
        var warnings: [String]

        enum CodingKeys: String, CodingKey {
            case schemaVersion, provider, generatedAt, entitiesRequested, entitiesExported, files, importability
            case secretsRedacted, warnings
        }
    }

    /// Opens the package in `directory`: reads and checks its manifest and finds its files, sending nothing.
    ///
    /// - Throws: ``ImportError/usage(_:)`` with a sentence when the folder has no manifest, the manifest is
    ///   malformed or of another schema version, names a file at another path than the canonical one or
    ///   outside the folder, or the package has no `users.csv`.
    public static func open(directory: String) throws(ImportError) -> MigrationPackage {
        let manifestPath = join(directory, "manifest.json")
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw .usage(
                "\(directory) has no readable manifest.json: --package takes a migration package folder as WorkOS's "
                    + "toolkit writes it (manifest.json, users.csv, organizations.csv, …)")
        }
        // The version first: another version's manifest may have other members.
        struct Version: Decodable { var schemaVersion: Int? }
        let manifest: Manifest
        do {
            let version = try JSONDecoder().decode(Version.self, from: data).schemaVersion
            guard version == schemaVersion else {
                throw ImportError.usage(
                    "\(manifestPath) has schemaVersion \(version.map(String.init) ?? "missing"), which this version "
                        + "does not read (it reads \(schemaVersion)); export the package with a toolkit that writes "
                        + "version \(schemaVersion), or upgrade workos-import")
            }
            manifest = try JSONDecoder().decode(Manifest.self, from: data)
        } catch let error as ImportError {
            throw error
        } catch {
            throw .usage(
                "\(manifestPath) is not a migration package manifest (\(describe(error))); export the package "
                    + "again with WorkOS's toolkit")
        }
        guard !manifest.provider.trimmingSpaces().isEmpty else {
            throw .usage("\(manifestPath) names no provider; export the package again with WorkOS's toolkit")
        }
        let files = try checkedFiles(manifest.files, directory: directory, manifestPath: manifestPath)
        guard let users = files["users"], FileManager.default.fileExists(atPath: users) else {
            throw .usage(
                "the package in \(directory) has no users.csv: this version imports a package's users with its "
                    + "organizations; export the users too")
        }
        var package = MigrationPackage(
            directory: directory, provider: manifest.provider, usersPath: users,
            organizationsPath: files["organizations"].flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil })
        package.rolesPath = files["roleDefinitions"].flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
        package.ssoConnectionPaths = ["samlConnections", "oidcConnections"].compactMap { key in
            files[key].flatMap { hasDataRows($0) ? $0 : nil }
        }
        for key in unsupportedKeys {
            if let path = files[key], hasDataRows(path) { package.unsupported.append(canonicalFiles[key] ?? path) }
        }
        for key in PackageJoin.sideKeys {
            if let path = files[key], hasDataRows(path) { package.sidePaths[key] = path }
        }
        return package
    }

    /// The sentence that says which files this version does not import.
    public var unsupportedSentence: String {
        "the package in \(directory) has \(DisplayText.list(unsupported)), which this version does not import "
            + "yet (only users.csv, organizations.csv, role_definitions.csv, organization_memberships.csv, "
            + "user_role_assignments.csv, totp_secrets.csv and the sso/ connection files)"
    }

    /// The manifest's files at their paths in the folder, each checked: a known key at its canonical path,
    /// every path relative and inside the folder (symbolic links followed).
    private static func checkedFiles(_ files: [String: String], directory: String, manifestPath: String)
        throws(ImportError) -> [String: String]
    {
        var paths: [String: String] = [:]
        let root = realPath(directory) ?? directory
        for (key, relative) in files.sorted(by: { $0.key < $1.key }) {
            let components = relative.split(separator: "/", omittingEmptySubsequences: false)
            if relative.isEmpty || relative.hasPrefix("/") || components.contains("..") {
                throw .usage(
                    "\(manifestPath) names \(DisplayText.quoted(relative)) for \(key), outside the package folder; "
                        + "a package's files are inside it")
            }
            guard let canonical = canonicalFiles[key] else { continue }
            guard relative == canonical else {
                throw .usage(
                    "\(manifestPath) names \(DisplayText.quoted(relative)) for \(key), where a package has "
                        + "\(DisplayText.quoted(canonical)); fix the manifest or export the package again")
            }
            let path = join(directory, relative)
            if let resolved = realPath(path), !(resolved + "/").hasPrefix(root + "/") {
                throw .usage(
                    "\(path) leads outside the package folder (a symbolic link to \(resolved)); copy the file into "
                        + "the folder")
            }
            paths[key] = path
        }
        return paths
    }

    /// Whether the CSV file at `path` exists and has a line after its header.
    private static func hasDataRows(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        var lines = 0
        for line in data.split(separator: 0x0A) where line.contains(where: { $0 != 0x0D && $0 != 0x20 }) {
            lines += 1
            if lines > 1 { return true }
        }
        return false
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// A decoding error as "files: expected a string", naming the member.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "it is not valid JSON" }
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "the whole file" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "\(parent == "the whole file" ? "" : parent + ".")\(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)) has the wrong type"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "it is not valid JSON" : "\(path(context)) is malformed"
        @unknown default:
            return "it is malformed"
        }
    }
}
