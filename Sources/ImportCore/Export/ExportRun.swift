import SortedRecordFile
import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `workos-import export`: writes the users of an environment, with their active memberships and roles, as a
/// CSV file in the importer's own columns, so the file imports as it is into another environment (a backup
/// before a large import, or staging copied to production).
///
/// Every read goes through the ``RequestRunner`` (the read budget, retries). Memory stays flat however many
/// users there are: the users are paged into a ``SortedRecordFile`` on disk (keyed by user id), then each
/// organization's memberships are paged and written as rows, one per user and organization, with the user
/// read back from that file; the ids of users with a membership go into a second such file, and a second
/// pass over the users writes a row for each user without one. Only the organizations are held in memory.
///
/// The file is written beside its destination and renamed over it when complete (``ReplacedOutputFile``),
/// mode 0600, so a stop, a failure or a kill leaves the previous file as it was: running the command again
/// starts over and is always safe. Passwords, password hashes and TOTP secrets cannot be read from WorkOS,
/// so those columns stay empty.
public struct ExportRun: Sendable {
    /// What to export, and where.
    public struct Settings: Sendable, Equatable {
        /// `--out`.
        public var outputPath: String
        /// `--organization`: ids (`org_…`) or external ids; empty for every user of the environment.
        public var organizations: [String]

        public init(outputPath: String, organizations: [String] = []) {
            self.outputPath = outputPath
            self.organizations = organizations
        }
    }

    let settings: Settings
    let api: any WorkOSAPI
    let runner: RequestRunner
    let stop: StopSignal
    /// Where the temporary record files go.
    let temporaryFolder: String

    /// - Parameters:
    ///   - settings: what to export, and where.
    ///   - api: WorkOS.
    ///   - runner: the reads' pacing and retries.
    ///   - stop: asked for when the export should stop (the partial file is removed).
    public init(
        settings: Settings, api: any WorkOSAPI, runner: RequestRunner, stop: StopSignal,
        temporaryFolder: String = FileManager.default.temporaryDirectory.path
    ) {
        self.settings = settings
        self.api = api
        self.runner = runner
        self.stop = stop
        self.temporaryFolder = temporaryFolder
    }

    /// An organization as the rows name it.
    struct Organization: Sendable {
        var id: String
        var externalId: String?
        var name: String
    }

    /// Exports, and says what was written; throws when the export cannot finish (nothing is then replaced).
    public func run() async throws(ExportError) -> ExportSummary {
        var summary = ExportSummary(path: settings.outputPath, byRow: !settings.organizations.isEmpty)
        let organizations = try await self.organizations()
        summary.organizations = organizations.count
        let users = try await userIndex(counting: &summary)
        defer { users.close() }

        let output: ReplacedOutputFile
        do {
            output = try ReplacedOutputFile(replacing: settings.outputPath)
        } catch {
            throw .output(error)
        }
        let writer = ConvertedCSVWriter(descriptor: output.descriptor, path: settings.outputPath)
        var committed = false
        defer {
            if !committed {
                try? writer.close()
                output.discard()
            }
        }
        let members: SortedRecordFile.Builder
        do {
            members = try SortedRecordFile.Builder(directory: temporaryFolder)
        } catch {
            throw .temporaryFile(error.description)
        }
        for organization in organizations {
            let page: @Sendable (String?) async throws(WorkOSClientError) -> WorkOSList<WorkOSMembership> = { after in
                try await api.listMemberships(organizationId: organization.id, after: after)
            }
            try await forEachPage(page) { (membership: WorkOSMembership) throws(ExportError) in
                guard membership.status == "active" else {
                    summary.membershipsSkipped += 1
                    return
                }
                guard let user = try Self.user(membership.userId, in: users) else {
                    // Created after the users were read: the next export has it.
                    summary.membershipsSkipped += 1
                    return
                }
                var row = Self.row(for: user)
                row.orgExternalId = organization.externalId ?? organization.id
                row.orgName = organization.name
                let slugs = (membership.roles?.map(\.slug) ?? membership.role.map { [$0.slug] } ?? [])
                row.roleSlugs = slugs.isEmpty ? nil : slugs.joined(separator: ",")
                try write(row, with: writer)
                if !settings.organizations.isEmpty { summary.coverage.add(row) }
                summary.rows += 1
                summary.memberships += 1
                do throws(SortedRecordFileError) {
                    try members.add(RecordKey(hashing: membership.userId), payload: [])
                } catch {
                    throw .temporaryFile(error.description)
                }
            }
        }
        let withMembership: SortedRecordFile
        do {
            withMembership = try members.finish()
        } catch {
            throw .temporaryFile(error.description)
        }
        defer { withMembership.close() }
        if settings.organizations.isEmpty {
            // Every user without a membership gets a row of its own.
            let page: @Sendable (String?) async throws(WorkOSClientError) -> WorkOSList<WorkOSUser> = { after in
                try await api.listUsers(after: after)
            }
            try await forEachPage(page) { (user: WorkOSUser) throws(ExportError) in
                let key = RecordKey(hashing: user.id)
                let hasMembership: Bool
                do throws(SortedRecordFileError) {
                    hasMembership = try withMembership.contains(key)
                } catch {
                    throw .temporaryFile(error.description)
                }
                guard (try? users.contains(key)) == true else { return }
                var counted = Self.row(for: user)
                if hasMembership {
                    counted.orgExternalId = "member"
                    counted.roleSlugs = "member"
                }
                summary.coverage.add(counted)
                guard !hasMembership else { return }
                try write(Self.row(for: user), with: writer)
                summary.rows += 1
                summary.usersWithoutMembership += 1
            }
            summary.users = summary.usersRead
        } else {
            summary.users = withMembership.count
        }
        do {
            try writer.close()
            try output.commit()
        } catch {
            throw .output(error)
        }
        committed = true
        return summary
    }

    /// The organizations to export: those `--organization` names (each must exist), else every one.
    func organizations() async throws(ExportError) -> [Organization] {
        if settings.organizations.isEmpty {
            var all: [Organization] = []
            let page: @Sendable (String?) async throws(WorkOSClientError) -> WorkOSList<WorkOSOrganization> = {
                after in
                try await api.listOrganizations(after: after)
            }
            try await forEachPage(page, budget: .generalOnly) {
                (organization: WorkOSOrganization) throws(ExportError) in
                all.append(
                    Organization(id: organization.id, externalId: organization.externalId, name: organization.name))
            }
            return all
        }
        var found: [Organization] = []
        var seen: Set<String> = []
        for name in settings.organizations {
            try checkStop()
            let byId = name.hasPrefix("org_")
            let read = await runner.send(.generalOnly) { () async throws(WorkOSClientError) -> WorkOSOrganization in
                if byId { return try await api.getOrganization(id: name) }
                return try await api.getOrganization(externalId: name)
            }
            switch read {
            case .success(let organization), .settled(let organization):
                if seen.insert(organization.id).inserted {
                    found.append(
                        Organization(id: organization.id, externalId: organization.externalId, name: organization.name))
                }
            case .failure(.api(let error), _) where error.status == 404:
                throw .organizationNotFound(name)
            case .failure(let error, _):
                throw .read(error.summary)
            }
        }
        return found
    }

    /// Every user of the environment, by id, on disk.
    private func userIndex(counting summary: inout ExportSummary) async throws(ExportError) -> SortedRecordFile {
        let builder: SortedRecordFile.Builder
        do {
            builder = try SortedRecordFile.Builder(directory: temporaryFolder)
        } catch {
            throw .temporaryFile(error.description)
        }
        let encoder = JSONEncoder()
        var read = 0
        let page: @Sendable (String?) async throws(WorkOSClientError) -> WorkOSList<WorkOSUser> = { after in
            try await api.listUsers(after: after)
        }
        try await forEachPage(page) { (user: WorkOSUser) throws(ExportError) in
            guard let payload = try? encoder.encode(user) else { return }
            do throws(SortedRecordFileError) {
                try builder.add(RecordKey(hashing: user.id), payload: Array(payload))
            } catch {
                throw .temporaryFile(error.description)
            }
            read += 1
        }
        summary.usersRead = read
        do {
            return try builder.finish()
        } catch {
            throw .temporaryFile(error.description)
        }
    }

    private static func user(_ id: String, in users: SortedRecordFile) throws(ExportError) -> WorkOSUser? {
        let payload: [UInt8]?
        do {
            payload = try users.payload(for: RecordKey(hashing: id))
        } catch {
            throw .temporaryFile(error.description)
        }
        guard let payload else { return nil }
        return try? JSONDecoder().decode(WorkOSUser.self, from: Data(payload))
    }

    /// A user's row in the importer's columns, without organization.
    static func row(for user: WorkOSUser) -> ConvertedUser {
        var row = ConvertedUser(email: user.email)
        row.firstName = user.firstName
        row.lastName = user.lastName
        row.emailVerified = user.emailVerified
        row.externalId = user.externalId
        row.metadata = user.metadata ?? [:]
        return row
    }

    private func write(_ row: ConvertedUser, with writer: ConvertedCSVWriter) throws(ExportError) {
        do {
            try writer.write(row)
        } catch {
            throw .output(error)
        }
    }

    private func checkStop() throws(ExportError) {
        if stop.isRequested { throw .stopped }
    }

    /// Pages through a list to its end, through the runner, handing each element to `body`; stops (throwing
    /// ``ExportError/stopped``) between pages after a stop.
    private func forEachPage<Element: Sendable>(
        _ page: @escaping @Sendable (String?) async throws(WorkOSClientError) -> WorkOSList<Element>,
        budget: RequestBudget = .userManagementRead,
        _ body: (Element) throws(ExportError) -> Void
    ) async throws(ExportError) {
        var after: String?
        repeat {
            try checkStop()
            let cursor = after
            let result = await runner.send(budget) { () async throws(WorkOSClientError) in
                try await page(cursor)
            }
            switch result {
            case .success(let list), .settled(let list):
                for element in list.data { try body(element) }
                after = list.listMetadata?.after
                // The same cursor again would page forever (some servers ignore an unknown cursor).
                if after == cursor || list.data.isEmpty { after = nil }
            case .failure(let error, _):
                throw .read(error.summary)
            }
        } while after != nil
    }
}
