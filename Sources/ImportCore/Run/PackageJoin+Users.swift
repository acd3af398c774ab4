#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension PackageJoin {
    /// A side file read whole (side files are a package's smaller files), its rows by column name.
    struct SideTable {
        struct Row {
            var line: Int
            var cells: [String: String]
            /// Why the row cannot be read, when it is malformed.
            var problem: String?

            func cell(_ column: String) -> String { cells[column] ?? "" }
        }

        var rows: [Row] = []

        init(path: String, name: String, required: [String]) throws(ImportError) {
            let table = try NamedColumnFile(path: path)
            let missing = required.filter { table.positions[$0] == nil }
            guard missing.isEmpty else {
                throw .usage(
                    "\(path) has no \(DisplayText.list(missing)) column: a package's \(name) has the header "
                        + required.joined(separator: ",") + " (WorkOS's toolkit writes it so)")
            }
            while let result = table.reader.next() {
                let record = result.record
                var problem: String?
                if case .malformed(_, let reason) = result { problem = "is malformed: \(reason)" }
                rows.append(Row(line: record.line, cells: table.cells(of: record.fields), problem: problem))
            }
            if let error = table.reader.readError { throw .csv(error) }
        }
    }

    /// Where `users.csv` has the columns the join reads and writes.
    struct UserColumns {
        var header: [String]
        var email: Int?
        var externalID: Int?
        var orgID: Int?
        var orgExternalID: Int?

        init(_ header: [String]) {
            self.header = header.map { CellText.trim($0).lowercased() }
            email = self.header.firstIndex(of: "email")
            externalID = self.header.firstIndex(of: "external_id")
            orgID = self.header.firstIndex(of: "org_id")
            orgExternalID = self.header.firstIndex(of: "org_external_id")
        }

        func cell(_ fields: [String], _ index: Int?) -> String {
            guard let index, index < fields.count else { return "" }
            return CellText.trim(fields[index])
        }

        /// The user a row of `users.csv` is: its external id, or its email when it has none.
        func user(_ fields: [String]) -> UserKey {
            let externalID = cell(fields, externalID)
            return externalID.isEmpty ? "email:" + cell(fields, email).lowercased() : "external:" + externalID
        }

        /// The organization a row names, or `nil` for none.
        func organization(_ fields: [String]) -> OrganizationKey? {
            let id = cell(fields, orgID)
            if !id.isEmpty { return "id:" + id }
            let externalID = cell(fields, orgExternalID)
            return externalID.isEmpty ? nil : "ext:" + externalID
        }
    }

    /// What a first pass over `users.csv` learns about the users the side rows name: which external ids
    /// exist, which users each email names, and the organizations each user's rows already name.
    struct UsersIndex {
        var externalIDs: Set<String> = []
        var usersByEmail: [String: Set<UserKey>] = [:]
        var organizations: [UserKey: Set<OrganizationKey>] = [:]

        static func read(_ path: String, wanted: [Pending]) throws(ImportError) -> UsersIndex {
            let wantedIDs = Set(wanted.flatMap { [$0.externalID, $0.userID] }.filter { !$0.isEmpty })
            let wantedEmails = Set(wanted.map(\.email).filter { !$0.isEmpty })
            let table = try NamedColumnFile(path: path)
            let columns = UserColumns(table.header)
            var index = UsersIndex()
            while let result = table.reader.next() {
                guard case .record(let record) = result else { continue }
                let externalID = columns.cell(record.fields, columns.externalID)
                let email = columns.cell(record.fields, columns.email).lowercased()
                guard wantedIDs.contains(externalID) || wantedEmails.contains(email) else { continue }
                let user = columns.user(record.fields)
                if wantedIDs.contains(externalID) { index.externalIDs.insert(externalID) }
                if wantedEmails.contains(email) { index.usersByEmail[email, default: []].insert(user) }
                if let organization = columns.organization(record.fields) {
                    index.organizations[user, default: []].insert(organization)
                }
            }
            if let error = table.reader.readError { throw .csv(error) }
            return index
        }

        /// The user a side row names, or why it names none: by external id or user id, else by an email that
        /// names one user only.
        func user(of row: Pending) -> Result<UserKey, JoinFailure> {
            for id in [row.externalID, row.userID] where !id.isEmpty {
                if externalIDs.contains(id) { return .success("external:" + id) }
            }
            if !row.externalID.isEmpty || !row.userID.isEmpty {
                let id = row.externalID.isEmpty ? row.userID : row.externalID
                return .failure(JoinFailure("no user of users.csv has the external_id \(DisplayText.quoted(id))"))
            }
            let users = usersByEmail[row.email] ?? []
            switch users.count {
            case 1: return .success(users.first ?? "")
            case 0: return .failure(JoinFailure("no user of users.csv has this email"))
            default:
                return .failure(
                    JoinFailure(
                        "\(users.count) users of users.csv share this email, and a membership, role or secret is "
                            + "never joined by a field two users share; give the row the user's external_id"))
            }
        }

        /// Files `row` under its user in `side`, or lists it as not carried.
        func place(_ row: Pending, into side: inout Side) {
            let user: UserKey
            switch self.user(of: row) {
            case .success(let found): user = found
            case .failure(let failure):
                let who = [row.externalID, row.userID, row.email].first { !$0.isEmpty } ?? ""
                side.notCarried.append(NotCarried(file: row.file, line: row.line, user: who, reason: failure.reason))
                return
            }
            switch row.item {
            case .secret(let secret):
                if let earlier = side.secrets[user] {
                    if earlier.secret != secret.secret {
                        side.notCarried.append(
                            NotCarried(
                                file: row.file, line: row.line, user: row.email,
                                reason: "a second, different TOTP secret for a user an earlier row gives one; only "
                                    + "the first is carried"))
                    }
                    return
                }
                side.secrets[user] = secret
            case .membership(var membership):
                membership.inUsersFile = organizations[user]?.contains(membership.organization) == true
                var list = side.memberships[user, default: []]
                if let same = list.firstIndex(where: { $0.organization == membership.organization }) {
                    list[same].roles += membership.roles.filter { !list[same].roles.contains($0) }
                    if list[same].orgName.isEmpty { list[same].orgName = membership.orgName }
                } else {
                    list.append(membership)
                }
                side.memberships[user] = list
            }
        }
    }

    /// Why a side row names no user.
    struct JoinFailure: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
