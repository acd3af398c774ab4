import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How an existing role differs from what a roles file's row asks for: a pure value, so the rule is tested
/// without WorkOS. Permissions are only ever added: one the role has and the row does not name stays.
public struct RoleDifference: Sendable, Equatable {
    /// Permissions the row names that the role lacks, in the row's order.
    public var missingPermissions: [String] = []
    /// The row's name, when the role has another.
    public var name: String?

    /// Compares `role` with `definition`.
    public init(role: WorkOSRole, definition: RoleDefinition) {
        let has = Set(role.permissions ?? [])
        missingPermissions = definition.permissions.filter { !has.contains($0) }
        if let current = role.name, current != definition.name { name = definition.name }
    }

    /// Nothing differs.
    public var isEmpty: Bool { missingPermissions.isEmpty && name == nil }

    /// What differs, for the report: `permissions a, b missing; name differs`.
    public var description: String {
        var parts: [String] = []
        if !missingPermissions.isEmpty {
            parts.append(
                "permission\(missingPermissions.count == 1 ? "" : "s") \(DisplayText.list(missingPermissions)) missing")
        }
        if let name { parts.append("its name is not \(DisplayText.quoted(name, limit: 48))") }
        return parts.joined(separator: "; ")
    }
}

/// What became of one roles file row.
public enum RoleRowOutcome: Sendable, Equatable {
    /// This import created the role (in this run, or in an earlier run of its journal).
    case created(id: String, thisRun: Bool)
    /// This import gave the existing role the row's name or its missing permissions.
    case updated(id: String)
    /// The role already had the row's name and permissions.
    case unchanged(id: String)
    /// The role's name or permissions differ from the row's, and `--if-exists` is not `update`.
    case differs(id: String, RoleDifference)
    /// The row failed; `reason` is its kind without the row's values.
    case failed(message: String, reason: String)
}

/// What a roles file did, before the first users row.
public struct RoleFileReport: Sendable {
    public var counts = RoleFileCounts()
    /// One line per row worth telling (failed, differing, created, updated), in file order.
    public var lines: [OrganizationFileReport.Line] = []
    /// The journal could not record a write: the run stops.
    public var journalError: JournalError?
}

/// Settles a roles file through WorkOS, in the order memberships need: ``checkOrganizations(in:)`` (reads
/// only, before anything is sent), then ``settleEnvironment()`` (every permission the roles name, created
/// when missing, then the environment roles with their permissions), then, once the organizations exist,
/// ``settleOrganizationRoles()``. The file is small and settled one request at a time.
///
/// Exactly once: every create (a permission, a role, a new role's permissions) and every update of an
/// existing role is journaled before it goes out and after it lands (``AuthorizationEntry``), and carries
/// an Idempotency-Key derived from the run and the slug. A create whose answer was lost is settled by
/// looking the slug up; a resume that finds what its earlier run had sent, made after the import started,
/// counts it as the import's, and one it finds complete is not sent again.
public struct RoleFileImport: Sendable {
    let file: RoleFile
    let executor: RowExecutor
    let stop: StopSignal
    /// The journal's roles file lines: an earlier run's and this run's.
    private var journal: AuthorizationJournalState
    private var outcomes: [Int: RoleRowOutcome] = [:]
    /// The organization of each organization role found by ``checkOrganizations(in:)``, by line.
    private var organizationIds: [Int: String] = [:]
    /// Permissions that could not be settled, with why: the roles granting one fail.
    private var permissionProblems: [String: String] = [:]
    private var permissionsCreated = 0
    private var permissionsExisting = 0
    /// The journal could not record a write: nothing more is sent.
    public private(set) var journalError: JournalError?

    public init(file: RoleFile, executor: RowExecutor, stop: StopSignal) {
        self.file = file
        self.executor = executor
        self.stop = stop
        self.journal = executor.journal.authorization
    }

    /// Looks up the organization of each organization role that the organizations file does not define:
    /// a role whose organization is nowhere fails here, before anything is sent.
    public mutating func checkOrganizations(in organizations: OrganizationFile?) async {
        var defined = Set<String>()
        for definition in organizations?.definitions ?? [] {
            if let id = definition.id { defined.insert(RowOrganization.id(id).key) }
            if let externalId = definition.externalId {
                defined.insert(RowOrganization.externalId(externalId, name: nil).key)
            }
        }
        for definition in file.definitions {
            guard let organization = definition.organization, !defined.contains(organization.key) else { continue }
            switch await executor.directory.find(organization) {
            case .success(let id?):
                organizationIds[definition.line] = id
            case .success(nil):
                outcomes[definition.line] = .failed(
                    message: "organization role \(DisplayText.quoted(definition.slug)) names the organization "
                        + "\(DisplayText.quoted(organization.label)), which is neither in the organizations file nor "
                        + "in WorkOS; add it to the organizations file",
                    reason: "an organization role's organization is nowhere")
            case .failure(let failure):
                outcomes[definition.line] = .failed(
                    message: failure.message, reason: "looking an organization role's organization up failed")
            }
        }
    }

    /// Every permission the remaining roles grant, then the environment roles.
    public mutating func settleEnvironment() async {
        var seen = Set<String>()
        let permissions = file.definitions.filter { outcomes[$0.line] == nil }.flatMap(\.permissions)
            .filter { seen.insert($0).inserted }
        for slug in permissions {
            guard !stop.isRequested, journalError == nil else { return }
            await settlePermission(slug)
        }
        for definition in file.definitions where definition.scope == .environment && outcomes[definition.line] == nil {
            guard !stop.isRequested, journalError == nil else { return }
            outcomes[definition.line] = await settleRole(definition, organizationId: nil)
        }
    }

    /// The organization roles, once the organizations file's organizations exist.
    public mutating func settleOrganizationRoles() async {
        for definition in file.definitions {
            guard let organization = definition.organization, outcomes[definition.line] == nil else { continue }
            guard !stop.isRequested, journalError == nil else { return }
            var organizationId = organizationIds[definition.line]
            if organizationId == nil {
                switch await executor.directory.find(organization) {
                case .success(let id): organizationId = id
                case .failure(let failure):
                    outcomes[definition.line] = .failed(
                        message: failure.message, reason: "looking an organization role's organization up failed")
                    continue
                }
            }
            guard let organizationId else {
                outcomes[definition.line] = .failed(
                    message: "the organization \(DisplayText.quoted(organization.label)) of organization role "
                        + "\(DisplayText.quoted(definition.slug)) was not created (its organizations file row failed)",
                    reason: "an organization role's organization is nowhere")
                continue
            }
            outcomes[definition.line] = await settleRole(definition, organizationId: organizationId)
        }
    }

    /// The report: every row's outcome in file order, counted.
    public func report() -> RoleFileReport {
        var report = RoleFileReport()
        report.journalError = journalError
        report.counts.rows = file.definitions.count + file.problems.count
        report.counts.permissionsCreated = permissionsCreated
        report.counts.permissionsExisting = permissionsExisting
        var all: [(Int, RoleRowOutcome)] = file.problems.map {
            ($0.line, .failed(message: $0.message, reason: $0.reason))
        }
        for definition in file.definitions {
            all.append(
                (
                    definition.line,
                    outcomes[definition.line]
                        ?? .failed(message: "not attempted: the run stopped", reason: "not attempted")
                ))
        }
        for (line, outcome) in all.sorted(by: { $0.0 < $1.0 }) {
            report.add(outcome, line: line, path: file.path)
        }
        return report
    }

    // MARK: - Permissions

    private mutating func settlePermission(_ slug: String) async {
        let api = executor.api
        switch await find({ () async throws(WorkOSClientError) in try await api.getPermission(slug: slug) }) {
        case .failure(let error):
            permissionProblems[slug] = "looking it up failed: \(error.summary)"
        case .success(let found?):
            if journal.createdPermission(slug) {
                permissionsCreated += 1
            } else if journal.permissionsSent.contains(slug), isOurs(found.createdAt),
                write(AuthorizationEntry(kind: .permissionCreated, slug: slug, id: found.id))
            {
                permissionsCreated += 1
            } else {
                permissionsExisting += 1
            }
        case .success(nil):
            await createPermission(slug)
        }
    }

    private mutating func createPermission(_ slug: String) async {
        guard write(AuthorizationEntry(kind: .permissionSent, slug: slug)) else { return }
        let api = executor.api
        let request = CreatePermissionRequest(slug: slug, name: Self.permissionName(slug))
        let key = idempotencyKey("create-permission", slug)
        let result = await executor.runner.send(
            .generalOnly,
            { () async throws(WorkOSClientError) -> WorkOSPermission in
                try await api.createPermission(request, idempotencyKey: key)
            },
            settle: { () async throws(WorkOSClientError) -> RequestRunner.Settlement<WorkOSPermission> in
                try await Self.settlement { () async throws(WorkOSClientError) in
                    try await api.getPermission(slug: slug)
                }
            })
        switch result {
        case .success(let permission), .settled(let permission):
            if write(AuthorizationEntry(kind: .permissionCreated, slug: slug, id: permission.id)) {
                permissionsCreated += 1
            }
        case .failure(let error, let ambiguous):
            // Taken: another writer made it, or (after a lost answer) this import did.
            if error.httpStatus == 409 || error.httpStatus == 422,
                case .success(let found?) = await find({ () async throws(WorkOSClientError) in
                    try await api.getPermission(slug: slug)
                })
            {
                if ambiguous, isOurs(found.createdAt) {
                    if write(AuthorizationEntry(kind: .permissionCreated, slug: slug, id: found.id)) {
                        permissionsCreated += 1
                    }
                } else {
                    permissionsExisting += 1
                }
                return
            }
            permissionProblems[slug] = "creating it failed: \(error.summary)"
        }
    }

    /// A permission's name from its slug, as WorkOS's toolkit makes it: `docs:read` is `Docs Read`.
    static func permissionName(_ slug: String) -> String {
        let words = slug.split(whereSeparator: { ":._-".contains($0) }).map {
            $0.prefix(1).uppercased() + $0.dropFirst()
        }
        let name = words.joined(separator: " ")
        return String((name.isEmpty ? slug : name).prefix(RoleFile.maximumLength))
    }

    // MARK: - Roles

    private mutating func settleRole(_ definition: RoleDefinition, organizationId: String?) async -> RoleRowOutcome {
        if let slug = definition.permissions.first(where: { permissionProblems[$0] != nil }) {
            return .failed(
                message:
                    "its permission \(DisplayText.quoted(slug)) could not be settled: \(permissionProblems[slug] ?? "")",
                reason: "a permission of the role could not be settled")
        }
        let key = AuthorizationEntry.roleKey(slug: definition.slug, organizationId: organizationId)
        let api = executor.api
        let slug = definition.slug
        switch await find({ () async throws(WorkOSClientError) in
            try await api.getRole(slug: slug, organizationId: organizationId)
        }) {
        case .failure(let error):
            return .failed(message: "looking the role up failed: \(error.summary)", reason: "looking a role up failed")
        case .success(nil):
            return await createRole(definition, organizationId: organizationId, key: key)
        case .success(let role?):
            return await settleFound(role, definition, organizationId: organizationId, key: key, ambiguous: true)
        }
    }

    /// A role that exists: this import's (made by an earlier run, or by a create whose answer was lost), whose
    /// permissions are completed; or another's, compared with the row.
    private mutating func settleFound(
        _ role: WorkOSRole, _ definition: RoleDefinition, organizationId: String?, key: String, ambiguous: Bool
    ) async -> RoleRowOutcome {
        if organizationId != nil, role.type == "EnvironmentRole" {
            return .failed(
                message: "\(DisplayText.quoted(definition.slug)) is an environment role's slug; give the "
                    + "organization role another", reason: "an organization role's slug is an environment role's")
        }
        if journal.createdRole(key) {
            return await completePermissions(role, definition, organizationId: organizationId, key: key, thisRun: false)
        }
        if ambiguous, journal.rolesSent.contains(key), isOurs(role.createdAt) {
            guard
                write(
                    AuthorizationEntry(
                        kind: .roleCreated, slug: definition.slug, organizationId: organizationId, id: role.id))
            else { return journalFailure }
            return await completePermissions(role, definition, organizationId: organizationId, key: key, thisRun: true)
        }
        return await compare(role, definition, organizationId: organizationId, key: key)
    }

    private mutating func createRole(_ definition: RoleDefinition, organizationId: String?, key: String) async
        -> RoleRowOutcome
    {
        let slug = definition.slug
        guard write(AuthorizationEntry(kind: .roleSent, slug: slug, organizationId: organizationId)) else {
            return journalFailure
        }
        let api = executor.api
        let request = CreateRoleRequest(slug: slug, name: definition.name)
        let idempotencyKey = idempotencyKey("create-role", key)
        let result = await executor.runner.send(
            .generalOnly,
            { () async throws(WorkOSClientError) -> WorkOSRole in
                try await api.createRole(request, organizationId: organizationId, idempotencyKey: idempotencyKey)
            },
            settle: { () async throws(WorkOSClientError) -> RequestRunner.Settlement<WorkOSRole> in
                try await Self.settlement { () async throws(WorkOSClientError) in
                    try await api.getRole(slug: slug, organizationId: organizationId)
                }
            })
        switch result {
        case .success(let role), .settled(let role):
            guard write(AuthorizationEntry(kind: .roleCreated, slug: slug, organizationId: organizationId, id: role.id))
            else { return journalFailure }
            return await completePermissions(role, definition, organizationId: organizationId, key: key, thisRun: true)
        case .failure(let error, let ambiguous):
            if error.httpStatus == 409 || error.httpStatus == 422,
                case .success(let found?) = await find({ () async throws(WorkOSClientError) in
                    try await api.getRole(slug: slug, organizationId: organizationId)
                })
            {
                return await settleFound(
                    found, definition, organizationId: organizationId, key: key, ambiguous: ambiguous)
            }
            return .failed(
                message: "creating the role failed: \(error.summary)",
                reason: "WorkOS refused the role's create" + (error.httpStatus.map { " (HTTP \($0))" } ?? ""))
        }
    }

    /// Gives a role this import created the row's permissions (journaled), unless it has them.
    private mutating func completePermissions(
        _ role: WorkOSRole, _ definition: RoleDefinition, organizationId: String?, key: String, thisRun: Bool
    ) async -> RoleRowOutcome {
        let id = role.id ?? definition.slug
        let has = role.permissions ?? []
        let missing = definition.permissions.filter { !has.contains($0) }
        let entry = AuthorizationEntry(kind: .rolePermissionsSet, slug: definition.slug, organizationId: organizationId)
        if missing.isEmpty {
            if journal.rolePermissionsSent.contains(key), !journal.rolePermissionsSet.contains(key), !write(entry) {
                return journalFailure
            }
            return .created(id: id, thisRun: thisRun)
        }
        var sent = entry
        sent.kind = .rolePermissionsSent
        guard write(sent) else { return journalFailure }
        if let failure = await setPermissions(has + missing, definition.slug, organizationId: organizationId) {
            return failure
        }
        guard write(entry) else { return journalFailure }
        return .created(id: id, thisRun: thisRun)
    }

    /// Compares an existing role that is not this import's with the row, and updates it when it differs and
    /// `--if-exists update` says so (journaled).
    private mutating func compare(
        _ role: WorkOSRole, _ definition: RoleDefinition, organizationId: String?, key: String
    )
        async -> RoleRowOutcome
    {
        let id = role.id ?? definition.slug
        if journal.rolesUpdated.contains(key) { return .updated(id: id) }
        let difference = RoleDifference(role: role, definition: definition)
        let updated = AuthorizationEntry(kind: .roleUpdated, slug: definition.slug, organizationId: organizationId)
        guard !difference.isEmpty else {
            // An update an earlier run sent and did not see land, found in place: it landed.
            guard journal.roleUpdatesSent.contains(key) else { return .unchanged(id: id) }
            return write(updated) ? .updated(id: id) : journalFailure
        }
        guard executor.configuration.ifExists == .update else { return .differs(id: id, difference) }
        var sent = updated
        sent.kind = .roleUpdateSent
        guard write(sent) else { return journalFailure }
        if let name = difference.name {
            let api = executor.api
            let slug = definition.slug
            let result = await executor.runner.send(.generalOnly) { () async throws(WorkOSClientError) -> WorkOSRole in
                try await api.updateRole(slug: slug, organizationId: organizationId, UpdateRoleRequest(name: name))
            }
            if case .failure(let error, _) = result {
                return .failed(
                    message: "renaming the role failed: \(error.summary)", reason: "WorkOS refused the role's update")
            }
        }
        if !difference.missingPermissions.isEmpty,
            let failure = await setPermissions(
                (role.permissions ?? []) + difference.missingPermissions, definition.slug,
                organizationId: organizationId)
        {
            return failure
        }
        return write(updated) ? .updated(id: id) : journalFailure
    }

    /// Sets a role's permissions (all it keeps and all it gains): nil when WorkOS took them.
    private func setPermissions(_ permissions: [String], _ slug: String, organizationId: String?) async
        -> RoleRowOutcome?
    {
        let api = executor.api
        let request = SetRolePermissionsRequest(permissions: permissions)
        let result = await executor.runner.send(.generalOnly) { () async throws(WorkOSClientError) -> WorkOSRole in
            try await api.setRolePermissions(slug: slug, organizationId: organizationId, request)
        }
        guard case .failure(let error, _) = result else { return nil }
        return .failed(
            message: "setting the role's permissions failed: \(error.summary)",
            reason: "WorkOS refused the role's permissions")
    }

    // MARK: - Support

    private var journalFailure: RoleRowOutcome {
        .failed(
            message: journalError?.description ?? "the journal cannot be written",
            reason: "the journal cannot be written")
    }

    /// Writes a journal line and takes it in: false (and nothing more is sent) when it cannot be written.
    private mutating func write(_ entry: AuthorizationEntry) -> Bool {
        guard journalError == nil else { return false }
        do throws(JournalError) {
            try executor.journal.record(entry)
        } catch {
            journalError = error
            return false
        }
        journal.apply(entry)
        return true
    }

    /// Made after the import started (or of unknown age): a create this import sent may have made it.
    private func isOurs(_ createdAt: String?) -> Bool {
        createdAt.flatMap(Timestamp.parse).map { $0 >= executor.runStartedAt } ?? true
    }

    /// The key of a create: the run, the kind of create and a hash of what it makes, the same on every retry
    /// and after a resume.
    private func idempotencyKey(_ kind: String, _ name: String) -> String {
        IdempotencyKey.make(
            runId: executor.runId, record: 0, operation: kind + "-" + String(SHA256.hex(name).prefix(32)))
    }

    /// A read: nil when WorkOS answers 404.
    private func find<Value: Sendable>(_ read: @escaping @Sendable () async throws(WorkOSClientError) -> Value) async
        -> Result<Value?, WorkOSClientError>
    {
        switch await executor.runner.send(.generalOnly, read) {
        case .success(let value), .settled(let value): return .success(value)
        case .failure(let error, _): return error.httpStatus == 404 ? .success(nil) : .failure(error)
        }
    }

    /// A look-up as the runner's settle step: found, or not found on 404.
    private static func settlement<Value: Sendable>(_ read: () async throws(WorkOSClientError) -> Value)
        async throws(WorkOSClientError) -> RequestRunner.Settlement<Value>
    {
        do throws(WorkOSClientError) {
            return .found(try await read())
        } catch {
            if error.httpStatus == 404 { return .notFound }
            throw error
        }
    }
}

extension RoleFileReport {
    /// Counts a row's outcome and, when worth telling, its line.
    mutating func add(_ outcome: RoleRowOutcome, line: Int, path: String) {
        let prefix = "\(path) line \(line): "
        switch outcome {
        case .created(let id, let thisRun):
            counts.created += 1
            if thisRun { lines.append(.init(text: prefix + "created role \(id)", isChange: true)) }
        case .updated(let id):
            counts.updated += 1
            lines.append(.init(text: prefix + "updated role \(id)", isChange: true))
        case .unchanged:
            counts.unchanged += 1
        case .differs(let id, let difference):
            counts.differing += 1
            lines.append(
                .init(
                    text: prefix + "role \(id) differs (\(difference.description)); left as it is "
                        + "(--if-exists update adds what it lacks)", isChange: false))
        case .failed(let message, _):
            counts.failed += 1
            lines.append(.init(text: prefix + message, isChange: false))
        }
    }
}
