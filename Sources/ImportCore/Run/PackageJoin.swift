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

/// Joins a migration package's side files (`organization_memberships.csv`, `user_role_assignments.csv`,
/// `totp_secrets.csv`) to the users of its `users.csv`, into one file of the importer's own columns: a row
/// per user and organization, the roles of that membership in `role_slugs`, the user's TOTP secret on each
/// of its rows.
///
/// The import then reads that file as it reads any other, so every membership, role and factor the side files
/// give is journaled, retried, resumed, planned, verified and undone by the same code as a row's, and sent
/// exactly once. The file is made again, byte for byte, from the same package on every run, so a resume finds
/// the file its journal names.
///
/// A side row is joined to a user by `external_id` (or `user_id`, which the toolkit fills with the source's
/// user id) when it has one, and by email only when that email names one user in the whole package: a TOTP
/// secret or a role is never given to a user by a field two users share. A row that cannot be joined is not
/// carried, and ``Outcome/notCarried`` says which and why; nothing is dropped silently.
public struct PackageJoin: Sendable {
    /// A side row that was not joined, and why.
    public struct NotCarried: Sendable, Equatable {
        /// The side file's name in the package, e.g. `totp_secrets.csv`.
        public var file: String
        /// The row's line in that file.
        public var line: Int
        /// Who the row names: its external id, user id or email, never a secret.
        public var user: String
        /// Why it was not carried, as a sentence.
        public var reason: String
    }

    /// What the join made.
    public struct Outcome: Sendable, Equatable {
        /// The joined file.
        public var path: String
        /// Rows written: `users.csv`'s, plus one for each membership the side files add.
        public var rows = 0
        /// Memberships the side files add to users.csv's (a user in an organization none of its rows names).
        public var membershipsAdded = 0
        /// Roles the role assignments add to memberships.
        public var rolesAdded = 0
        /// Users given a TOTP secret from `totp_secrets.csv`.
        public var secretsJoined = 0
        /// The side rows not carried, in file and line order.
        public var notCarried: [NotCarried] = []
    }

    /// The name of the joined file, in the package folder.
    public static let fileName = "users.joined.csv"

    /// The side files, by manifest key, in the order they are read.
    public static let sideKeys = ["memberships", "userRoleAssignments", "totpSecrets"]

    /// A user of `users.csv`: its external id, or its email when it has none.
    typealias UserKey = String
    /// An organization as a row names it: `id:<org_id>` or `ext:<org_external_id>`.
    typealias OrganizationKey = String

    /// One membership a side file gives (or a role assignment implies).
    struct SideMembership {
        var organization: OrganizationKey
        var orgID: String
        var orgExternalID: String
        var orgName: String
        var roles: [String]
        /// Whether a row of `users.csv` already names this user in this organization: the roles then go on
        /// that row, and no row is added.
        var inUsersFile = false
    }

    /// A TOTP secret for a user. The secret stays in memory only as long as the join runs.
    struct SideSecret {
        var secret: String
        var issuer: String
        var user: String
    }

    /// The side files' rows, by the user they name.
    struct Side {
        var memberships: [UserKey: [SideMembership]] = [:]
        var secrets: [UserKey: SideSecret] = [:]
        var notCarried: [NotCarried] = []
    }

    /// A side row read before `users.csv`, with the identifiers it names.
    struct Pending {
        enum Item {
            case membership(SideMembership)
            case secret(SideSecret)
        }
        var file: String
        var line: Int
        var externalID: String
        var userID: String
        var email: String
        var item: Item
    }

    /// Joins the side files of `package` into ``fileName`` in its folder, written again from scratch.
    ///
    /// - Throws: ``ImportError`` when a file cannot be read or its header lacks the columns the join needs, or
    ///   the joined file cannot be written.
    public static func write(_ package: MigrationPackage) throws(ImportError) -> Outcome {
        var pending: [Pending] = []
        var notCarried: [NotCarried] = []
        for key in sideKeys {
            guard let path = package.sidePaths[key] else { continue }
            try readSide(key: key, path: path, into: &pending, notCarried: &notCarried)
        }
        let users = try UsersIndex.read(package.usersPath, wanted: pending)
        var side = Side(notCarried: notCarried)
        for row in pending { users.place(row, into: &side) }
        let path = MigrationPackage.join(package.directory, fileName)
        var outcome = try UsersWriter.write(users: package.usersPath, side: side, index: users, to: path)
        outcome.notCarried = side.notCarried.sorted { ($0.file, $0.line) < ($1.file, $1.line) }
        return outcome
    }

    /// Reads one side file's rows into `pending`, failing the rows that name no user or organization.
    private static func readSide(
        key: String, path: String, into pending: inout [Pending], notCarried: inout [NotCarried]
    ) throws(ImportError) {
        let name = MigrationPackage.canonicalFiles[key] ?? path
        let table = try SideTable(path: path, name: name, required: requiredColumns[key] ?? [])
        for row in table.rows {
            func cell(_ column: String) -> String { row.cell(column) }
            let who = [cell("external_id"), cell("user_id"), cell("email")].first { !$0.isEmpty } ?? ""
            func skip(_ reason: String) {
                notCarried.append(NotCarried(file: name, line: row.line, user: who, reason: reason))
            }
            if let problem = row.problem {
                skip(problem)
                continue
            }
            let item: Pending.Item
            if key == "totpSecrets" {
                guard !cell("totp_secret").isEmpty else {
                    skip("has no totp_secret")
                    continue
                }
                item = .secret(
                    SideSecret(secret: cell("totp_secret"), issuer: cell("totp_issuer"), user: cell("totp_user")))
            } else {
                guard let membership = membership(row, key: key, skip: skip) else { continue }
                item = .membership(membership)
            }
            guard !who.isEmpty else {
                skip("names no user (external_id, user_id or email)")
                continue
            }
            pending.append(
                Pending(
                    file: name, line: row.line, externalID: cell("external_id"), userID: cell("user_id"),
                    email: cell("email").lowercased(), item: item))
        }
    }

    /// The membership a memberships or role-assignments row gives, or `nil` after `skip` says why not.
    private static func membership(_ row: SideTable.Row, key: String, skip: (String) -> Void) -> SideMembership? {
        let orgID = row.cell("org_id")
        let orgExternalID = row.cell("org_external_id")
        guard !orgID.isEmpty || !orgExternalID.isEmpty else {
            skip(
                row.cell("org_name").isEmpty
                    ? "names no organization (org_id or org_external_id)"
                    : "names its organization by org_name only; give its org_external_id or org_id")
            return nil
        }
        let rolesText = key == "memberships" ? row.cell("role_slugs") : row.cell("role_slug")
        var roles: [String] = []
        if !rolesText.isEmpty {
            switch RoleSlugList.parse(rolesText) {
            case .success(let parsed): roles = parsed.slugs
            case .failure(let problem):
                skip("its roles: \(problem.message)")
                return nil
            }
        }
        if key == "memberships" && !row.cell("metadata").isEmpty {
            skip(
                "its metadata is not carried: WorkOS's organization memberships take none (the membership and its "
                    + "roles are)")
        }
        return SideMembership(
            organization: orgID.isEmpty ? "ext:" + orgExternalID : "id:" + orgID, orgID: orgID,
            orgExternalID: orgID.isEmpty ? orgExternalID : "", orgName: row.cell("org_name"), roles: roles)
    }

    /// The columns each side file must have.
    static let requiredColumns: [String: [String]] = [
        "memberships": ["email", "external_id", "user_id", "org_id", "org_external_id", "org_name", "role_slugs"],
        "userRoleAssignments": ["email", "user_id", "external_id", "role_slug", "org_id", "org_external_id"],
        "totpSecrets": ["email", "totp_secret"],
    ]
}

extension PackageJoin.Outcome {
    /// The file that lists the side rows not carried, next to the joined file.
    public var notCarriedPath: String {
        (path.hasSuffix(".csv") ? String(path.dropLast(4)) : path) + ".not-carried.csv"
    }

    /// What the join did, for stderr: the file the import reads, what the side files added, and the first
    /// side rows not carried (all of them are in ``notCarriedPath``).
    public var report: String {
        var text =
            "Joined the package's memberships, role assignments and TOTP secrets to its users in \(path): "
            + "\(ReportText.counted(rows, "row", "rows")), with "
            + "\(ReportText.counted(membershipsAdded, "membership", "memberships")) added, "
            + "\(ReportText.counted(rolesAdded, "role", "roles")) and "
            + "\(ReportText.counted(secretsJoined, "TOTP secret", "TOTP secrets")); the import reads that file, and "
            + "line numbers are its lines.\n"
        guard !notCarried.isEmpty else { return text }
        text +=
            "\(ReportText.counted(notCarried.count, "side row was", "side rows were")) not carried, listed in "
            + "\(notCarriedPath):\n"
        let shown = 10
        for row in notCarried.prefix(shown) {
            text += "  \(row.file) line \(row.line)\(row.user.isEmpty ? "" : " (\(row.user))"): \(row.reason)\n"
        }
        if notCarried.count > shown { text += "  … and \(notCarried.count - shown) more\n" }
        return text
    }

    /// Writes ``notCarriedPath`` (mode 0600: it names users): `file,line,user,reason`.
    public func writeNotCarried() throws(ImportError) {
        var text = CSVRowEncoder.line(["file", "line", "user", "reason"])
        for row in notCarried { text += CSVRowEncoder.line([row.file, String(row.line), row.user, row.reason]) }
        do {
            let descriptor = try SecureFile.open(path: notCarriedPath, append: false)
            defer { close(descriptor) }
            try SecureFile.write(text, to: descriptor, path: notCarriedPath)
        } catch {
            throw .output(error)
        }
    }
}
