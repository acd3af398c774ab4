import SortedRecordFile
import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Learns what an environment holds by reading it: pages through every user (100 a page) and the
/// memberships of the organizations a file names, within the run's read budget, into an
/// ``EnvironmentIndex`` on disk.
///
/// Paging pays off only when the environment is not much larger than the file: a list longer than
/// `pageLimit` pages is given up and stays unknown, and the rows ask WorkOS one at a time instead. With
/// `pageLimit` set to the number of look-ups the rows would make, the survey never costs more than twice
/// the cheaper of the two ways.
public struct EnvironmentSurvey: Sendable {
    /// What the survey read, for its line.
    public struct Report: Sendable, Equatable {
        public var pages = 0
        public var users = 0
        public var usersComplete = false
        public var memberships = 0
        public var organizationsSurveyed = 0
        public var organizationsGivenUp = 0
        /// The user list's cursor was lost (someone deleted its user between pages) and could not be found
        /// again, so the list is unknown and rows look their users up one at a time.
        public var cursorLost = false
        /// Why nothing could be read into an index: the temporary folder is missing or cannot be written.
        public var temporaryFolderProblem: String?
    }

    let api: any WorkOSAPI
    let runner: RequestRunner

    public init(api: any WorkOSAPI, runner: RequestRunner) {
        self.api = api
        self.runner = runner
    }

    /// Reads the environment.
    ///
    /// - Parameters:
    ///   - organizations: the WorkOS ids of the organizations whose memberships to read.
    ///   - pageLimit: the most pages read of any one list.
    /// - Returns: the index, and what was read. A read that fails for good leaves its list unknown; the
    ///   survey itself never fails a run.
    public func run(organizations: [String], pageLimit: Int) async -> (EnvironmentIndex, Report) {
        await run(organizations: { organizations }, pageLimit: pageLimit)
    }

    /// Reads the environment, starting on the user list before the organizations are known: an import
    /// surveys beside its preflight, and learns the run's organization only when that has passed.
    ///
    /// - Parameters:
    ///   - organizations: gives the WorkOS ids of the organizations whose memberships to read.
    ///   - pageLimit: the most pages read of any one list.
    public func run(organizations: @escaping @Sendable () async -> [String], pageLimit: Int) async -> (
        EnvironmentIndex, Report
    ) {
        guard pageLimit > 0 else { return (.empty, Report()) }
        // The index's files are created in the temporary folder and lose their names at once (they are read
        // through open descriptors), so a run killed at any moment, even during the survey, leaves none of
        // its users' data behind.
        let folder = Self.temporaryFolder()
        var report = Report()
        if let problem = Self.problem(with: folder) {
            report.temporaryFolderProblem = problem
            return (.empty, report)
        }
        async let users = readUsers(folder: folder, pageLimit: pageLimit)
        async let memberships = readMemberships(
            organizations: await organizations(), folder: folder, pageLimit: pageLimit)
        let (userFile, userCount, userPages, cursorLost) = await users
        let (membershipFile, surveyed, membershipPages, givenUp) = await memberships
        report.pages = userPages + membershipPages
        report.users = userFile == nil ? 0 : userCount
        report.usersComplete = userFile != nil
        report.cursorLost = cursorLost
        report.memberships = membershipFile?.count ?? 0
        report.organizationsSurveyed = surveyed.count
        report.organizationsGivenUp = givenUp
        let index = EnvironmentIndex(users: userFile, memberships: membershipFile, surveyedOrganizations: surveyed)
        return (index, report)
    }

    /// Pages through every user. A page that comes back empty after a cursor is either the end of the list
    /// or a lost cursor: WorkOS answers an empty page when the user the cursor names was deleted between
    /// two pages. The cursor's user says which: still there, it was the end; gone, the page before is read
    /// again (from its own cursor, so the users after the deleted one are reached) and the deleted user is
    /// marked unknown in the index. A cursor that cannot be settled leaves the whole list unknown.
    private func readUsers(folder: String, pageLimit: Int) async -> (
        SortedRecordFile?, users: Int, pages: Int, cursorLost: Bool
    ) {
        guard let builder = try? SortedRecordFile.Builder(directory: folder) else { return (nil, 0, 0, false) }
        let encoder = JSONEncoder()
        let api = self.api
        var after: String?
        /// The cursor that read the last page with users, and that page's users by id.
        var pageCursor: String?
        var pageUsers: [String: WorkOSUser] = [:]
        var rereads = 0
        var pages = 0
        var users = 0
        while pages < pageLimit {
            let cursor = after
            let page = await runner.send(.userManagementRead) {
                () async throws(WorkOSClientError) -> WorkOSList<WorkOSUser> in
                try await api.listUsers(after: cursor)
            }
            pages += 1
            guard case .success(let list) = page else { return (nil, 0, pages, false) }
            if list.data.isEmpty, let cursor {
                switch await userExists(id: cursor) {
                case true?:
                    return ((try? builder.finish()), users, pages, false)
                case false?:
                    // Lost: its user is gone. Mark that user unknown (an empty payload does not decode) and
                    // read the page before again; a second loss in a row, or too many, gives the list up.
                    guard rereads < Self.cursorRereads, cursor != pageCursor else { return (nil, 0, pages, true) }
                    rereads += 1
                    if let gone = pageUsers[cursor] {
                        var keys = [EnvironmentIndex.userKey(email: gone.email)]
                        if let externalId = gone.externalId {
                            keys.append(EnvironmentIndex.userKey(externalId: externalId))
                        }
                        for key in keys {
                            guard (try? builder.add(key, payload: [])) != nil else { return (nil, 0, pages, false) }
                        }
                    }
                    after = pageCursor
                    users -= pageUsers.count
                    continue
                case nil:
                    return (nil, 0, pages, true)
                }
            }
            users += list.data.count
            for user in list.data {
                guard let payload = try? encoder.encode(user),
                    (try? builder.add(EnvironmentIndex.userKey(email: user.email), payload: Array(payload))) != nil
                else { return (nil, 0, pages, false) }
                // By external id too, so a plan sees an id another user holds.
                if let externalId = user.externalId, !externalId.isEmpty {
                    guard
                        (try? builder.add(EnvironmentIndex.userKey(externalId: externalId), payload: Array(payload)))
                            != nil
                    else { return (nil, 0, pages, false) }
                }
            }
            guard let next = list.listMetadata?.after, !list.data.isEmpty else {
                return ((try? builder.finish()), users, pages, false)
            }
            pageCursor = cursor
            pageUsers = Dictionary(list.data.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
            after = next
        }
        return (nil, 0, pages, false)
    }

    /// How many lost cursors one survey recovers from before it gives the user list up.
    static let cursorRereads = 3

    /// Whether the user still exists: `nil` when WorkOS could not say.
    private func userExists(id: String) async -> Bool? {
        let api = self.api
        switch await runner.send(
            .userManagementRead,
            { () async throws(WorkOSClientError) -> WorkOSUser in
                try await api.getUser(id: id)
            })
        {
        case .success, .settled: return true
        case .failure(let error, _): return error.httpStatus == 404 ? false : nil
        }
    }

    private func readMemberships(organizations: [String], folder: String, pageLimit: Int) async
        -> (SortedRecordFile?, Set<String>, Int, Int)
    {
        guard !organizations.isEmpty, let builder = try? SortedRecordFile.Builder(directory: folder) else {
            return (nil, [], 0, 0)
        }
        let encoder = JSONEncoder()
        let api = self.api
        var surveyed: Set<String> = []
        var pages = 0
        var givenUp = 0
        organizations: for organization in Set(organizations).sorted() {
            var after: String?
            var orgPages = 0
            while orgPages < pageLimit {
                let cursor = after
                let page = await runner.send(.userManagementRead) {
                    () async throws(WorkOSClientError) -> WorkOSList<WorkOSMembership> in
                    try await api.listMemberships(organizationId: organization, after: cursor)
                }
                orgPages += 1
                pages += 1
                guard case .success(let list) = page else { break }
                for membership in list.data {
                    guard let payload = try? encoder.encode(membership),
                        (try? builder.add(
                            EnvironmentIndex.membershipKey(
                                userId: membership.userId, organizationId: membership.organizationId),
                            payload: Array(payload))) != nil
                    else { break organizations }
                }
                guard let next = list.listMetadata?.after, !list.data.isEmpty else {
                    surveyed.insert(organization)
                    continue organizations
                }
                after = next
            }
            givenUp += 1
        }
        guard let file = try? builder.finish() else { return (nil, [], pages, givenUp) }
        return (file, surveyed, pages, givenUp)
    }

    /// The temporary folder: `TMPDIR`, or `/tmp`.
    static func temporaryFolder() -> String {
        ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    /// Why the index cannot be built in `folder`, or `nil` when a file can be created there.
    static func problem(with folder: String) -> String? {
        do throws(SortedRecordFileError) {
            let probe = try RecordFileIO.createUnique(in: folder, suffix: "probe")
            RecordFileIO.discard(fd: probe.fd, path: probe.path)
            return nil
        } catch {
            #if canImport(FoundationEssentials)
                var isFolder = false
                let exists = FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder)
            #else
                var folderFlag: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: folder, isDirectory: &folderFlag)
                let isFolder = folderFlag.boolValue
            #endif
            let what = !exists ? "does not exist" : !isFolder ? "is not a folder" : "cannot be written"
            let variable = ProcessInfo.processInfo.environment["TMPDIR"].map { $0.isEmpty ? "" : " (TMPDIR)" } ?? ""
            return "the temporary folder \(folder)\(variable) \(what)"
        }
    }
}

/// What a survey needs to know of the file before it reads WorkOS: how many rows it has (the look-ups
/// they would cost bound the pages worth reading) and which organizations they name.
public struct SurveyScope: Sendable, Equatable {
    /// Organizations beyond this many are not surveyed: their rows ask WorkOS one at a time.
    public static let organizationLimit = 256

    public var rows = 0
    /// The distinct organizations the valid rows name, up to ``organizationLimit``, in file order.
    public var organizations: [RowOrganization] = []

    public init(rows: Int = 0, organizations: [RowOrganization] = []) {
        self.rows = rows
        self.organizations = organizations
    }

    /// Reads the file once: the rows and the organizations they name.
    public static func scan(reader: CSVReader, validator: RowValidator) -> SurveyScope {
        var scope = SurveyScope()
        var seen: Set<String> = []
        while let read = reader.next() {
            scope.rows += 1
            guard case .record(let record) = read, validator.hasOrganizationColumns,
                case .valid(let row, _) = validator.validate(record), let organization = row.organization,
                seen.count < organizationLimit, seen.insert(organization.key).inserted
            else { continue }
            scope.organizations.append(organization)
        }
        return scope
    }
}

extension EnvironmentSurvey {
    /// The WorkOS ids of the organizations, each looked up by its external id (an `org_id` is taken as it
    /// is); one that does not exist yet has no memberships to read and is left out.
    public func organizationIds(of organizations: [RowOrganization]) async -> [String] {
        let api = self.api
        var ids: [String] = []
        for organization in organizations {
            switch organization {
            case .id(let id):
                ids.append(id)
            case .externalId(let externalId, _):
                let found = await runner.send(.generalOnly) {
                    () async throws(WorkOSClientError) -> WorkOSOrganization in
                    try await api.getOrganization(externalId: externalId)
                }
                if case .success(let organization) = found { ids.append(organization.id) }
            }
        }
        return ids
    }
}

extension EnvironmentSurvey.Report {
    /// The survey's line on stderr; nil when it found nothing and gave nothing up (an empty environment).
    public func line(seconds: Double, pageLimit: Int) -> String? {
        if let temporaryFolderProblem {
            return "Could not read what WorkOS holds first: \(temporaryFolderProblem), so rows look their users "
                + "and memberships up one at a time; set TMPDIR to a folder you can write to.\n"
        }
        guard users > 0 || memberships > 0 || !usersComplete || organizationsGivenUp > 0 else { return nil }
        var parts: [String] = []
        if usersComplete {
            parts.append(ReportText.counted(users, "user", "users"))
        }
        if organizationsSurveyed > 0 {
            parts.append(
                "\(ReportText.counted(memberships, "membership", "memberships")) of "
                    + ReportText.counted(organizationsSurveyed, "organization", "organizations"))
        }
        var text = "Read what WorkOS holds first"
        if !parts.isEmpty { text += ": " + parts.joined(separator: " and ") }
        text += " (\(ReportText.counted(pages, "page", "pages")), \(ReportText.duration(seconds)))."
        if cursorLost {
            text +=
                " Users were deleted while the list was read, so its place was lost; rows look their users up"
                + " one at a time."
        } else if !usersComplete {
            text +=
                " The environment has more users than \(ReportText.counted(pageLimit, "page holds", "pages hold")),"
                + " so rows look theirs up one at a time."
        }
        if organizationsGivenUp > 0 {
            text +=
                " \(ReportText.counted(organizationsGivenUp, "organization has", "organizations have")) more members"
                + " than that; their rows look memberships up one at a time."
        }
        return text + "\n"
    }
}
