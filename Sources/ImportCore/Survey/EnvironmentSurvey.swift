import Foundation
import WorkOSClient

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
        guard pageLimit > 0, let directory = Self.makeDirectory() else { return (.empty, Report()) }
        async let users = readUsers(directory: directory, pageLimit: pageLimit)
        async let memberships = readMemberships(
            organizations: organizations, directory: directory, pageLimit: pageLimit)
        let (userFile, userPages) = await users
        let (membershipFile, surveyed, membershipPages, givenUp) = await memberships
        var report = Report()
        report.pages = userPages + membershipPages
        report.users = userFile?.count ?? 0
        report.usersComplete = userFile != nil
        report.memberships = membershipFile?.count ?? 0
        report.organizationsSurveyed = surveyed.count
        report.organizationsGivenUp = givenUp
        // From here on the index is read through its open descriptors only, so its files leave the disk now:
        // a run killed later leaves none of its users' data behind.
        for file in [userFile, membershipFile].compactMap({ $0 }) {
            for path in file.filePaths { _ = unlink(path) }
        }
        _ = rmdir(directory)
        let index = EnvironmentIndex(
            users: userFile, memberships: membershipFile, surveyedOrganizations: surveyed, directory: directory)
        return (index, report)
    }

    private func readUsers(directory: String, pageLimit: Int) async -> (SortedRecordFile?, Int) {
        guard let builder = try? SortedRecordFile.Builder(directory: directory) else { return (nil, 0) }
        let encoder = JSONEncoder()
        let api = self.api
        var after: String?
        var pages = 0
        while pages < pageLimit {
            let cursor = after
            let page = await runner.send(.userManagementRead) {
                () async throws(WorkOSClientError) -> WorkOSList<WorkOSUser> in
                try await api.listUsers(after: cursor)
            }
            pages += 1
            guard case .success(let list) = page else { return (nil, pages) }
            for user in list.data {
                guard let payload = try? encoder.encode(user),
                    (try? builder.add(EnvironmentIndex.userKey(email: user.email), payload: Array(payload))) != nil
                else { return (nil, pages) }
            }
            guard let next = list.listMetadata?.after, !list.data.isEmpty else {
                return ((try? builder.finish()), pages)
            }
            after = next
        }
        return (nil, pages)
    }

    private func readMemberships(organizations: [String], directory: String, pageLimit: Int) async
        -> (SortedRecordFile?, Set<String>, Int, Int)
    {
        guard !organizations.isEmpty, let builder = try? SortedRecordFile.Builder(directory: directory) else {
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

    /// A private directory (0700) for the index's files, which hold users' data.
    static func makeDirectory() -> String? {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/workos-import-index-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else { return nil }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
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
        guard users > 0 || memberships > 0 || !usersComplete || organizationsGivenUp > 0 else { return nil }
        var parts: [String] = []
        if usersComplete {
            parts.append("\(ReportText.grouped(users)) users")
        }
        if organizationsSurveyed > 0 {
            let noun = organizationsSurveyed == 1 ? "organization" : "organizations"
            parts.append("\(ReportText.grouped(memberships)) memberships of \(organizationsSurveyed) \(noun)")
        }
        var text = "Read what WorkOS holds first"
        if !parts.isEmpty { text += ": " + parts.joined(separator: " and ") }
        text += " (\(ReportText.grouped(pages)) pages, \(ReportText.duration(seconds)))."
        if !usersComplete {
            text +=
                " The environment has more users than \(ReportText.grouped(pageLimit)) pages hold, so rows look theirs up"
                + " one at a time."
        }
        if organizationsGivenUp > 0 {
            text +=
                " \(ReportText.grouped(organizationsGivenUp)) organizations have more members than that; their rows look"
                + " memberships up one at a time."
        }
        return text + "\n"
    }
}
