#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where a role applies: the whole environment (every organization has it), or one organization.
public enum RoleScope: Sendable, Equatable {
    case environment
    case organization(RowOrganization)
}

/// One row of a roles file (WorkOS's toolkit's `role_definitions.csv`:
/// `role_slug,role_name,role_type,permissions,org_id,org_external_id`), checked.
public struct RoleDefinition: Sendable, Equatable {
    /// 1-based physical line the row starts on.
    public var line: Int
    /// `role_slug`: how the role is found and what memberships name; `org-…` for an organization role.
    public var slug: String
    /// `role_name`: the name a missing role is created with.
    public var name: String
    /// `role_type` with `org_id` or `org_external_id`.
    public var scope: RoleScope
    /// `permissions`: the permission slugs the role is to grant, in order, each once.
    public var permissions: [String]

    public init(line: Int, slug: String, name: String, scope: RoleScope, permissions: [String]) {
        self.line = line
        self.slug = slug
        self.name = name
        self.scope = scope
        self.permissions = permissions
    }

    /// The role's content in one text, for the file's fingerprint.
    var canonicalText: String {
        let scopeText: String
        switch scope {
        case .environment: scopeText = "environment"
        case .organization(let organization): scopeText = organization.key
        }
        return [String(line), slug, name, scopeText, permissions.joined(separator: ",")].joined(separator: "\u{1F}")
    }

    /// The organization of an organization role.
    public var organization: RowOrganization? {
        if case .organization(let organization) = scope { return organization }
        return nil
    }
}

/// A row of the roles file that cannot be imported, found before anything is sent.
public struct RoleRowProblem: Error, Sendable, Equatable {
    public var line: Int
    /// What is wrong, without the line (the report puts it in front).
    public var message: String
    /// The kind of problem without the row's values.
    public var reason: String
}

/// A roles file, read and checked whole before the first request: permissions and environment roles are
/// settled before the organizations, organization roles after them, all before the first user row.
public struct RoleFile: Sendable {
    /// The columns of WorkOS's toolkit's `role_definitions.csv`, in its order.
    public static let columns = ["role_slug", "role_name", "role_type", "permissions", "org_id", "org_external_id"]
    /// The prefix the spec requires of an organization role's slug (`CreateOrganizationRoleDto`).
    public static let organizationPrefix = "org-"
    /// The longest slug or name the spec takes.
    public static let maximumLength = 48

    /// The path it was read from, for messages.
    public var path: String
    /// The rows that may be imported, in file order.
    public var definitions: [RoleDefinition] = []
    /// The rows that cannot.
    public var problems: [RoleRowProblem] = []
    /// The SHA-256 of the checked rows, recorded in the journal so a resume reads the same file.
    public var fingerprint: String = ""

    public init(path: String) {
        self.path = path
    }

    /// Every permission the valid rows name, in the order first named.
    public var permissions: [String] {
        var seen = Set<String>()
        return definitions.flatMap(\.permissions).filter { seen.insert($0).inserted }
    }

    /// Reads and checks the file at `path`.
    ///
    /// - Throws: ``ImportError`` when the file cannot be read or its header lacks the toolkit's columns.
    public static func read(path: String) throws(ImportError) -> RoleFile {
        let table = try NamedColumnFile(path: path)
        let missing = ["role_slug", "role_name", "role_type"].filter { table.positions[$0] == nil }
        guard missing.isEmpty else {
            throw .usage(
                "\(path) has no \(DisplayText.list(missing)) column: a roles file's header is "
                    + Self.columns.joined(separator: ",") + " (WorkOS's toolkit writes it so)")
        }
        var file = RoleFile(path: path)
        var firstLine: [String: Int] = [:]
        while let result = table.reader.next() {
            let record = result.record
            if case .malformed(_, let reason) = result {
                file.problems.append(RoleRowProblem(line: record.line, message: reason, reason: reason))
                continue
            }
            func cell(_ column: String) -> String? { table.cell(column, in: record.fields) }
            let checked = check(
                line: record.line, slug: cell("role_slug"), name: cell("role_name"), type: cell("role_type"),
                permissions: cell("permissions"), orgId: cell("org_id"), orgExternalId: cell("org_external_id"))
            switch checked {
            case .failure(let problem):
                file.problems.append(problem)
            case .success(let definition):
                let key = (definition.organization.map { $0.key + "/" } ?? "") + definition.slug
                if let earlier = firstLine[key] {
                    file.problems.append(
                        RoleRowProblem(
                            line: record.line,
                            message: "defines the role \(DisplayText.quoted(definition.slug)) that line \(earlier) "
                                + "defines too; give each role one row", reason: "defines a role an earlier row defines"
                        ))
                } else {
                    firstLine[key] = record.line
                    file.definitions.append(definition)
                }
            }
        }
        if let error = table.reader.readError { throw .csv(error) }
        file.fingerprint = SHA256.hex(
            file.definitions.map(\.canonicalText).joined(separator: "\n") + "\n"
                + file.problems.map { "\($0.line)" }.joined(separator: ","))
        return file
    }

    /// The checks of one row: its definition, or its first problem.
    static func check(
        line: Int, slug: String?, name: String?, type: String?, permissions: String?, orgId: String?,
        orgExternalId: String?
    ) -> Result<RoleDefinition, RoleRowProblem> {
        func problem(_ message: String, _ reason: String) -> Result<RoleDefinition, RoleRowProblem> {
            .failure(RoleRowProblem(line: line, message: message, reason: reason))
        }
        guard let slug else { return problem("has no role_slug", "the row has no role_slug") }
        guard isSlug(slug, extra: "") else {
            return problem(
                "role_slug \(DisplayText.quoted(slug, limit: 60)) is not a role slug (1 to \(maximumLength) lower-case "
                    + "letters, digits, - and _)", "role_slug is not a role slug")
        }
        guard let name, name.count <= maximumLength else {
            return problem(
                "role_name must be 1 to \(maximumLength) characters", "role_name is missing or too long")
        }
        let scope: RoleScope
        switch type?.lowercased() {
        case "environment":
            guard orgId == nil && orgExternalId == nil else {
                return problem(
                    "is an environment role but names an organization; make it role_type organization, or clear "
                        + "org_id and org_external_id", "an environment role names an organization")
            }
            scope = .environment
        case "organization":
            guard slug.hasPrefix(organizationPrefix), slug.count > organizationPrefix.count else {
                return problem(
                    "organization role \(DisplayText.quoted(slug, limit: 60)) must have a slug that begins with "
                        + "\(organizationPrefix) (WorkOS requires it of an organization's roles); rename it, e.g. "
                        + "\(organizationPrefix)\(slug)", "an organization role's slug lacks the org- prefix")
            }
            guard orgId == nil || orgExternalId == nil else {
                return problem(
                    "gives both org_id and org_external_id; give one", "the row gives both org_id and org_external_id")
            }
            if let orgId {
                scope = .organization(.id(orgId))
            } else if let orgExternalId {
                scope = .organization(.externalId(orgExternalId, name: nil))
            } else {
                return problem(
                    "is an organization role without org_id or org_external_id; name its organization",
                    "an organization role names no organization")
            }
        default:
            return problem(
                "role_type \(DisplayText.quoted(type ?? "", limit: 40)) is neither environment nor organization",
                "role_type is unknown")
        }
        switch parsePermissions(permissions ?? "") {
        case .success(let parsed):
            return .success(RoleDefinition(line: line, slug: slug, name: name, scope: scope, permissions: parsed))
        case .failure(let failure):
            return .failure(RoleRowProblem(line: line, message: failure.message, reason: failure.reason))
        }
    }

    /// A `permissions` cell as the toolkit writes it: a JSON array of slugs, or slugs separated by commas.
    static func parsePermissions(_ text: String) -> Result<[String], RoleRowProblem> {
        let trimmed = CellText.trim(text)
        var items: [String]
        if trimmed.hasPrefix("[") {
            guard let array = try? JSONDecoder().decode([String].self, from: Data(trimmed.utf8)) else {
                return .failure(
                    RoleRowProblem(
                        line: 0, message: "permissions starts with [ but is not a JSON array of strings",
                        reason: "permissions is not a JSON array of strings"))
            }
            items = array
        } else {
            items = trimmed.split(separator: ",").map(String.init)
        }
        items = items.map { CellText.trim($0) }.filter { !$0.isEmpty }
        var seen = Set<String>()
        var permissions: [String] = []
        for item in items where seen.insert(item).inserted {
            guard isSlug(item, extra: ":.*") else {
                return .failure(
                    RoleRowProblem(
                        line: 0,
                        message: "permission \(DisplayText.quoted(item, limit: 60)) is not a permission slug (1 to "
                            + "\(maximumLength) lower-case letters, digits, -, _, :, . and *)",
                        reason: "a permission is not a permission slug"))
            }
            permissions.append(item)
        }
        return .success(permissions)
    }

    /// Lower-case letters, digits, `-`, `_` and `extra`, 1 to 48 of them.
    static func isSlug(_ text: String, extra: String) -> Bool {
        guard !text.isEmpty, text.count <= maximumLength else { return false }
        return text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
                || extra.unicodeScalars.contains($0)
        }
    }
}
