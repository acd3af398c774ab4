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

extension PackageJoin {
    /// The columns the joined file adds when `users.csv` lacks them.
    static let addedColumns = [
        "org_id", "org_external_id", "org_name", "role_slugs", "totp_secret", "totp_issuer", "totp_user",
    ]

    /// The second pass: `users.csv` again, each row with the roles and secret the side files give its user,
    /// and after a user's first row one row for each organization the side files add.
    enum UsersWriter {
        static func write(users: String, side: Side, index: UsersIndex, to path: String) throws(ImportError)
            -> Outcome
        {
            let table = try NamedColumnFile(path: users)
            let reader = table.reader
            let columns = UserColumns(table.header)
            let header = columns.header + addedColumns.filter { !columns.header.contains($0) }
            let position = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            var outcome = Outcome(path: path)
            var output = JoinedFile(path: path)
            try output.append(CSVRowEncoder.line(reader.header + header.dropFirst(columns.header.count)))
            var seen: Set<UserKey> = []
            var given: Set<UserKey> = []
            while let result = reader.next() {
                guard case .record(let record) = result else {
                    // A malformed row stays as it was, so the import fails it as it would have.
                    try output.copy(result.record, from: users)
                    continue
                }
                outcome.rows += 1
                let user = columns.user(record.fields)
                var fields = record.fields + Array(repeating: "", count: header.count - record.fields.count)
                func set(_ column: String, _ value: String) { if let at = position[column] { fields[at] = value } }
                func get(_ column: String) -> String {
                    position[column].map { CellText.trim(fields[$0]) } ?? ""
                }
                if let secret = side.secrets[user], get("totp_secret").isEmpty {
                    set("totp_secret", secret.secret)
                    set("totp_issuer", secret.issuer)
                    set("totp_user", secret.user)
                    if given.insert(user).inserted { outcome.secretsJoined += 1 }
                }
                let memberships = side.memberships[user] ?? []
                if let organization = columns.organization(record.fields),
                    let joined = memberships.first(where: { $0.inUsersFile && $0.organization == organization })
                {
                    let (roles, added) = merged(get("role_slugs"), joined.roles)
                    set("role_slugs", roles)
                    outcome.rolesAdded += added
                }
                try output.append(CSVRowEncoder.line(fields))
                guard seen.insert(user).inserted else { continue }
                for membership in memberships where !membership.inUsersFile {
                    set("org_id", membership.orgID)
                    set("org_external_id", membership.orgExternalID)
                    set("org_name", membership.orgName)
                    set("role_slugs", membership.roles.joined(separator: ","))
                    try output.append(CSVRowEncoder.line(fields))
                    outcome.rows += 1
                    outcome.membershipsAdded += 1
                    outcome.rolesAdded += membership.roles.count
                }
            }
            if let error = reader.readError { throw .csv(error) }
            try output.finish()
            return outcome
        }

        /// A `role_slugs` cell with `roles` added, and how many were new.
        static func merged(_ cell: String, _ roles: [String]) -> (String, Int) {
            var existing: [String] = []
            if !cell.isEmpty {
                // A cell that is not a list of slugs is left as it is, for the row's check to fail it.
                guard case .success(let parsed) = RoleSlugList.parse(cell) else { return (cell, 0) }
                existing = parsed.slugs
            }
            let new = roles.filter { !existing.contains($0) }
            return ((existing + new).joined(separator: ","), new.count)
        }
    }

    /// The joined file, written next to its final name and moved there whole, mode 0600 (it holds the
    /// users' data and secrets, as the package does).
    struct JoinedFile {
        let path: String
        let temporary: String
        var buffer: [UInt8] = []
        var descriptor: Int32 = -1

        init(path: String) {
            self.path = path
            temporary = path + ".partial"
        }

        mutating func append(_ line: String) throws(ImportError) {
            if descriptor < 0 {
                do {
                    descriptor = try SecureFile.open(path: temporary, append: false)
                } catch {
                    throw .output(error)
                }
            }
            buffer += line.utf8
            if buffer.count >= 1 << 20 { try flush() }
        }

        /// Copies a record's bytes from `source` as they are.
        mutating func copy(_ record: CSVRecord, from source: String) throws(ImportError) {
            do throws(FileCallError) {
                let input = try FileIO.open(source, O_RDONLY)
                defer { close(input) }
                buffer += try FileIO.readBytes(input, count: record.byteCount, at: record.byteOffset)
            } catch {
                throw .usage("\(source) could not be read again to join the package: \(error.description)")
            }
        }

        mutating func flush() throws(ImportError) {
            guard !buffer.isEmpty else { return }
            // The bytes as they are: a malformed row copied from users.csv may not be UTF-8.
            let code = buffer.withUnsafeBufferPointer { SecureFile.writeAll($0, to: descriptor) }
            buffer.removeAll(keepingCapacity: true)
            if let code { throw .output(.cannotWrite(path: temporary, code: code)) }
        }

        mutating func finish() throws(ImportError) {
            try flush()
            close(descriptor)
            guard rename(temporary, path) == 0 else {
                throw .usage(
                    "\(path) could not be written (\(SystemError.describe(errno))); make the package folder "
                        + "writable: the import reads the joined file from there")
            }
        }
    }
}
