import Synchronization
import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Finds the organizations rows name, creates the missing ones once (`--create-org-if-missing`), and knows
/// each organization's roles: one shared value for all the rows in flight.
///
/// Look-ups are coalesced: while one row looks an organization up (or creates it, or fetches its roles),
/// every other row naming it waits for that answer instead of asking again, so hundreds of rows of a new
/// organization in flight at once still create it once. Answers are cached, found and missing alike, in
/// ``BoundedCache``s, so a file naming 100,000 organizations runs in flat memory; an organization that fell
/// out of the cache is simply looked up again. Failures after every retry are not cached: the next row asks
/// again.
///
/// Exactly once, for organizations: a create is journaled as sent before it goes out and carries an
/// Idempotency-Key derived from the run and the external id. A create that may have taken effect is settled
/// by looking the external id up, and a resumed run that finds an organization its earlier run had sent a
/// create for, made after the import started, counts it as created by this import. Only a create this run
/// made counts: one that lost a race to another writer finds that writer's organization, which is not ours.
///
/// An organization can be deleted by someone else while the import runs or between a killed run and its
/// resume. Its old create's Idempotency-Key would replay the deleted organization's answer, so when an
/// organization this import had sent a create for is missing, the journal says so
/// (``JournalLine/organizationMissing(externalId:)``) and it is created again under a new key; a row whose
/// organization answers 404 has it looked up again by external id (``replaceIfGone(_:id:)``).
final class OrganizationDirectory: Sendable {
    /// An organization found or created.
    struct Found: Sendable, Equatable {
        var id: String
        /// The row's resolution created it (only the one row whose request did).
        var created: Bool
    }

    /// Why a row's organization or roles could not be settled.
    struct Failure: Error, Sendable, Equatable {
        var stage: RowFailure.Stage
        var message: String
        var error: WorkOSClientError?
        /// The kind of failure without the organization's name, for the summary.
        var reason: String?
        /// Every other row would fail alike (a journal that cannot be written).
        var journalError: JournalError?
    }

    /// What the directory needs from the journal.
    struct Journal: Sendable {
        /// External ids whose create an earlier run sent.
        var previouslySent: Set<String> = []
        /// External ids an earlier run created.
        var previouslyCreated: Set<String> = []
        /// Records that a create is about to be sent.
        var markSent: @Sendable (String) throws(JournalError) -> Void = { _ in }
        /// Records a created organization.
        var recordCreated: @Sendable (_ id: String, _ externalId: String) throws(JournalError) -> Void = { _, _ in }
        /// Records that an organization this import had sent a create for is not in WorkOS, so it is
        /// created again under a new key.
        var recordMissing: @Sendable (_ externalId: String) throws(JournalError) -> Void = { _ in }
    }

    /// How many organizations (and role lists) are kept.
    static let capacity = 4096

    private enum Lookup: Sendable {
        case found(WorkOSOrganization)
        case missing
    }

    private struct State {
        var lookups = BoundedCache<String, Lookup>(capacity: OrganizationDirectory.capacity)
        var roles = BoundedCache<String, Set<String>>(capacity: OrganizationDirectory.capacity)
        var pendingLookups: [String: Task<Result<Lookup, Failure>, Never>] = [:]
        var pendingCreates: [String: Task<Result<Created, Failure>, Never>] = [:]
        var pendingRoles: [String: Task<Result<Set<String>, Failure>, Never>] = [:]
        /// External ids this run (or an earlier one) counted as created, so no row counts one twice.
        var created: Set<String>
        /// What WorkOS said about several roles on one membership.
        var multipleRoles = MultipleRoles.unknown
        /// Rows with several roles waiting for the one row that asks WorkOS.
        var multipleRolesWaiters: [CheckedContinuation<Void, Never>] = []
        /// External ids whose organization this run found deleted: their next create needs a new key.
        var gone: Set<String> = []
        /// Organizations whose organizations-file row failed, by key, with that row's line: a users row
        /// naming one fails instead of creating it without the row's domains and metadata.
        var failedDefinitions: [String: Int] = [:]
    }

    private let api: any WorkOSAPI
    private let runner: RequestRunner
    private let runId: String
    private let runStartedAt: Date
    private let mayCreate: Bool
    private let journal: Journal
    private let state: Mutex<State>
    /// Makes the idempotency key of a create sent again after its organization was found missing: the old
    /// key would replay the answer WorkOS gave the first create.
    private let againToken = String(UInt64.random(in: 0...UInt64.max), radix: 36)

    init(
        api: any WorkOSAPI, runner: RequestRunner, runId: String, runStartedAt: Date, mayCreate: Bool,
        journal: Journal = Journal()
    ) {
        self.api = api
        self.runner = runner
        self.runId = runId
        self.runStartedAt = runStartedAt
        self.mayCreate = mayCreate
        self.journal = journal
        self.state = Mutex(State(created: journal.previouslyCreated))
    }

    /// Whether WorkOS has answered that a membership may hold only one role.
    var multipleRolesOff: Bool { state.withLock { $0.multipleRoles == .off } }

    /// Remembers that WorkOS refused several roles, so later rows fail before anything is created.
    func noteMultipleRolesOff() {
        settleMultipleRoles(false)
    }

    /// The environment's multiple-roles setting, as far as WorkOS has told (no API reads it: WorkOS says so
    /// only by accepting or refusing a membership with several roles).
    enum MultipleRoles: Sendable, Equatable {
        case unknown
        /// One row with several roles is finding out; the others wait for its answer.
        case asking
        case on
        case off
    }

    /// What a row with several roles does.
    enum MultipleRolesTurn: Sendable, Equatable {
        /// Multiple roles are off: fail before anything is sent.
        case off
        /// Send them: multiple roles are on.
        case send
        /// Send them and tell the answer with ``settleMultipleRoles(_:)``: this row finds out for all.
        case ask
    }

    /// Learns the setting once: the first row with several roles asks (its membership create tells), and
    /// the others wait for that answer instead of each sending a request WorkOS would refuse.
    func multipleRolesTurn() async -> MultipleRolesTurn {
        while true {
            let turn: MultipleRolesTurn? = state.withLock { state in
                switch state.multipleRoles {
                case .off: return .off
                case .on: return .send
                case .unknown:
                    state.multipleRoles = .asking
                    return .ask
                case .asking: return nil
                }
            }
            if let turn { return turn }
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let waiting = state.withLock { state in
                    guard state.multipleRoles == .asking else { return false }
                    state.multipleRolesWaiters.append(waiter)
                    return true
                }
                if !waiting { waiter.resume() }
            }
        }
    }

    /// Tells what WorkOS answered a membership with several roles: `true` accepted, `false` refused
    /// (`multiple_roles_not_enabled`), `nil` no answer (the asking row stopped before its membership), so
    /// another row asks.
    func settleMultipleRoles(_ on: Bool?) {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            guard state.multipleRoles == .asking else {
                if let on { state.multipleRoles = on ? .on : .off }
                return []
            }
            state.multipleRoles = on.map { $0 ? .on : .off } ?? .unknown
            let waiters = state.multipleRolesWaiters
            state.multipleRolesWaiters = []
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Finds the row's organization, creating it when it is missing and may be created.
    func resolve(_ organization: RowOrganization) async -> Result<Found, Failure> {
        let key = organization.key
        if let line = state.withLock({ $0.failedDefinitions[key] }) {
            return .failure(
                Failure(
                    stage: .organization,
                    message: "the organizations file's row for \(DisplayText.quoted(organization.label)) (line "
                        + "\(line)) failed, so the organization is not created without its domains and metadata",
                    reason: "the organization's row in the organizations file failed"))
        }
        let lookup: Lookup
        switch await coalescedLookup(organization) {
        case .success(let value): lookup = value
        case .failure(let failure): return .failure(failure)
        }
        switch (lookup, organization) {
        case (.found(let found), .id):
            return .success(Found(id: found.id, created: false))
        case (.found(let found), .externalId(let externalId, _)):
            return .success(Found(id: found.id, created: claimIfOurs(found, externalId: externalId)))
        case (.missing, .id(let id)):
            return .failure(
                Failure(
                    stage: .organization,
                    message: "organization \(id) does not exist; org_id must name an existing organization",
                    reason: "the org_id names no organization"))
        case (.missing, .externalId(let externalId, let name)):
            guard mayCreate else {
                return .failure(
                    Failure(
                        stage: .organization,
                        message: "no organization has the external id \(DisplayText.quoted(externalId)); run with "
                            + "--create-org-if-missing to create it from org_name",
                        reason: "the organization does not exist (--create-org-if-missing creates it)"))
            }
            guard let name else {
                return .failure(
                    Failure(
                        stage: .organization,
                        message: "no organization has the external id \(DisplayText.quoted(externalId)) and the row "
                            + "has no org_name to create it with",
                        reason: "the organization does not exist and the row has no org_name"))
            }
            return await coalescedCreate(
                key: key, externalId: externalId, request: CreateOrganizationRequest(name: name, externalId: externalId)
            ).map { $0.found }
        }
    }

    /// An organizations file's row, settled: its organization and whether this run's create made it.
    struct Defined: Sendable {
        var organization: WorkOSOrganization
        var created: Bool
    }

    /// Finds the organization an organizations file's row names, or creates it with the row's name, domains
    /// and metadata (whatever `--create-org-if-missing` says: the file asks for it), through the same
    /// journaled, coalesced create as the rows' organizations.
    func settle(_ definition: OrganizationDefinition) async -> Result<Defined, Failure> {
        let organization = definition.organization
        let lookup: Lookup
        switch await coalescedLookup(organization) {
        case .success(let value): lookup = value
        case .failure(let failure): return .failure(failure)
        }
        switch (lookup, organization) {
        case (.found(let found), .id):
            return .success(Defined(organization: found, created: false))
        case (.found(let found), .externalId(let externalId, _)):
            return .success(Defined(organization: found, created: claimIfOurs(found, externalId: externalId)))
        case (.missing, .id(let id)):
            return .failure(
                Failure(
                    stage: .organization,
                    message: "organization \(id) does not exist; org_id must name an existing "
                        + "organization (leave it blank to create one by org_external_id)",
                    reason: "the org_id names no organization"))
        case (.missing, .externalId(let externalId, let name)):
            guard let name else {
                return .failure(
                    Failure(
                        stage: .organization,
                        message: "no organization has the external id \(DisplayText.quoted(externalId)) and the row "
                            + "has no org_name to create it with",
                        reason: "the organization does not exist and the row has no org_name"))
            }
            let request = CreateOrganizationRequest(
                name: name, externalId: externalId,
                domainData: definition.domains.isEmpty
                    ? nil : definition.domains.map { OrganizationDomainData(domain: $0.domain, state: $0.state) },
                metadata: definition.metadata)
            return await coalescedCreate(key: organization.key, externalId: externalId, request: request).map {
                Defined(organization: $0.organization, created: $0.found.created)
            }
        }
    }

    /// Remembers that the organizations file's row on `line` for `organization` failed.
    func markFailed(_ organization: RowOrganization, line: Int) {
        state.withLock { $0.failedDefinitions[organization.key] = line }
    }

    /// The slugs of every role that applies to the organization, fetched once.
    func roles(of organizationId: String) async -> Result<Set<String>, Failure> {
        let (cached, pending): (Set<String>?, Task<Result<Set<String>, Failure>, Never>?) = state.withLock { state in
            if let roles = state.roles.get(organizationId) { return (roles, nil) }
            if let pending = state.pendingRoles[organizationId] { return (nil, pending) }
            let api = self.api
            let runner = self.runner
            let task = Task<Result<Set<String>, Failure>, Never> {
                let result = await runner.send(.generalOnly) {
                    () async throws(WorkOSClientError) -> [WorkOSRole] in
                    try await api.listOrganizationRoles(organizationId: organizationId)
                }
                switch result {
                case .success(let roles), .settled(let roles):
                    return .success(Set(roles.map(\.slug)))
                case .failure(let error, _):
                    return .failure(
                        Failure(
                            stage: .role, message: "the organization's roles could not be read: \(error.summary)",
                            error: error))
                }
            }
            state.pendingRoles[organizationId] = task
            return (nil, task)
        }
        if let cached { return .success(cached) }
        let result = await pending!.value
        state.withLock { state in
            state.pendingRoles[organizationId] = nil
            if case .success(let roles) = result { state.roles.set(organizationId, roles) }
        }
        return result
    }

    /// The id of the organization a row names, looked up and never created: `nil` when none exists. Used to
    /// tell whether an `org_id` and an `org_external_id` name one organization
    /// (``firstSameOrganization(as:among:)``).
    func find(_ organization: RowOrganization) async -> Result<String?, Failure> {
        switch await coalescedLookup(organization) {
        case .success(.found(let found)): .success(found.id)
        case .success(.missing): .success(nil)
        case .failure(let failure): .failure(failure)
        }
    }

    // MARK: - Look-up and create

    private func coalescedLookup(_ organization: RowOrganization) async -> Result<Lookup, Failure> {
        let key = organization.key
        let (cached, task): (Lookup?, Task<Result<Lookup, Failure>, Never>?) = state.withLock { state in
            if let lookup = state.lookups.get(key) { return (lookup, nil) }
            if let pending = state.pendingLookups[key] { return (nil, pending) }
            let api = self.api
            let runner = self.runner
            let task = Task<Result<Lookup, Failure>, Never> {
                let result = await runner.send(.generalOnly) {
                    () async throws(WorkOSClientError) -> WorkOSOrganization in
                    switch organization {
                    case .id(let id): try await api.getOrganization(id: id)
                    case .externalId(let externalId, _): try await api.getOrganization(externalId: externalId)
                    }
                }
                switch result {
                case .success(let found), .settled(let found):
                    return .success(.found(found))
                case .failure(let error, _) where error.httpStatus == 404:
                    return .success(.missing)
                case .failure(let error, _):
                    return .failure(
                        Failure(
                            stage: .organization,
                            message: "looking the organization up failed: \(error.summary)", error: error))
                }
            }
            state.pendingLookups[key] = task
            return (nil, task)
        }
        if let cached { return .success(cached) }
        let result = await task!.value
        state.withLock { state in
            state.pendingLookups[key] = nil
            if case .success(let lookup) = result { state.lookups.set(key, lookup) }
        }
        return result
    }

    private func coalescedCreate(key: String, externalId: String, request: CreateOrganizationRequest) async -> Result<
        (found: Found, organization: WorkOSOrganization), Failure
    > {
        /// Another row's create already settled, or is under way, or this row starts it.
        enum Start {
            case settled(WorkOSOrganization)
            case waiting(Task<Result<Created, Failure>, Never>, mine: Bool)
        }
        let start: Start = state.withLock { state in
            if case .found(let found)? = state.lookups.get(key) { return .settled(found) }
            if let pending = state.pendingCreates[key] { return .waiting(pending, mine: false) }
            let task = Task<Result<Created, Failure>, Never> {
                await self.create(externalId: externalId, request: request)
            }
            state.pendingCreates[key] = task
            return .waiting(task, mine: true)
        }
        let task: Task<Result<Created, Failure>, Never>
        let mine: Bool
        switch start {
        case .settled(let found): return .success((Found(id: found.id, created: false), found))
        case .waiting(let pending, let isMine): (task, mine) = (pending, isMine)
        }
        let result = await task.value
        if mine {
            state.withLock { state in
                state.pendingCreates[key] = nil
                if case .success(let created) = result { state.lookups.set(key, .found(created.organization)) }
            }
        }
        switch result {
        case .success(let created):
            guard mine, created.byThisRun else {
                return .success((Found(id: created.organization.id, created: false), created.organization))
            }
            return .success((Found(id: created.organization.id, created: claim(externalId)), created.organization))
        case .failure(let failure):
            return .failure(failure)
        }
    }

    /// An organization a create settled, and whether this run's create made it.
    private struct Created: Sendable {
        var organization: WorkOSOrganization
        var byThisRun: Bool
    }

    /// Sends the create once (with retries), journaled as sent before it goes out.
    ///
    /// It is called only after a look-up found no organization with the external id. When this import had
    /// sent a create for it before (an earlier run, or this one before the organization was deleted), that
    /// create's organization is gone: the journal says so, and the create goes out under a new key.
    private func create(externalId: String, request: CreateOrganizationRequest) async -> Result<Created, Failure> {
        let name = request.name
        let sentBefore =
            journal.previouslySent.contains(externalId) || journal.previouslyCreated.contains(externalId)
            || state.withLock { $0.gone.contains(externalId) }
        do throws(JournalError) {
            if sentBefore { try journal.recordMissing(externalId) }
            try journal.markSent(externalId)
        } catch {
            return .failure(
                Failure(stage: .organization, message: error.description, journalError: error))
        }
        let api = self.api
        let operation = "create-organization-" + String(SHA256.hex(externalId).prefix(32))
        let key = IdempotencyKey.make(
            runId: runId, record: 0, operation: sentBefore ? operation + "-again-" + againToken : operation)
        let result = await runner.send(
            .generalOnly,
            { () async throws(WorkOSClientError) -> WorkOSOrganization in
                try await api.createOrganization(request, idempotencyKey: key)
            },
            settle: { () async throws(WorkOSClientError) -> RequestRunner.Settlement<WorkOSOrganization> in
                do throws(WorkOSClientError) {
                    return .found(try await api.getOrganization(externalId: externalId))
                } catch {
                    if error.httpStatus == 404 { return .notFound }
                    throw error
                }
            })
        let made: WorkOSOrganization
        switch result {
        case .success(let organization):
            made = organization
        case .settled(let organization):
            // A create that may have taken effect, settled by a look-up: ours only if it holds what was sent
            // and was made after the import started (another writer may have made it in the meantime).
            let createdAt = organization.createdAt.flatMap(Timestamp.parse)
            guard organization.name == name, createdAt.map({ $0 >= runStartedAt }) ?? true else {
                return .success(Created(organization: organization, byThisRun: false))
            }
            made = organization
        case .failure(let error, _):
            return await createFailed(error, externalId: externalId, name: name)
        }
        do throws(JournalError) {
            try journal.recordCreated(made.id, externalId)
        } catch {
            return .failure(Failure(stage: .organization, message: error.description, journalError: error))
        }
        return .success(Created(organization: made, byThisRun: true))
    }

    /// A create that failed: when another writer made the organization between the look-up and the create,
    /// it exists and is not ours; otherwise the row fails.
    private func createFailed(_ error: WorkOSClientError, externalId: String, name: String) async -> Result<
        Created, Failure
    > {
        if case .api(let apiError) = error, apiError.hasCode("external_id_already_used") {
            let api = self.api
            let found = await runner.send(.generalOnly) { () async throws(WorkOSClientError) -> WorkOSOrganization in
                try await api.getOrganization(externalId: externalId)
            }
            switch found {
            case .success(let organization), .settled(let organization):
                return .success(Created(organization: organization, byThisRun: false))
            case .failure:
                break
            }
        }
        return .failure(
            Failure(
                stage: .organization,
                message: "creating the organization \(DisplayText.quoted(name)) failed: \(error.summary)",
                error: error))
    }

    /// After WorkOS answered 404 for a row's organization (its roles or its membership): when the
    /// organization `id` is really gone (someone deleted it after it was looked up or created), it is
    /// looked up again by external id and, when missing, created again under a new key.
    ///
    /// - Returns: the organization to use now; `nil` when it is not gone (the 404 was about something else)
    ///   or the row names it by WorkOS id, which cannot be made again.
    func replaceIfGone(_ organization: RowOrganization, id: String) async -> Result<Found, Failure>? {
        guard case .externalId(let externalId, _) = organization else { return nil }
        let key = organization.key
        // Another row replaced it already.
        if case .found(let current)? = state.withLock({ $0.lookups.get(key) }), current.id != id {
            return .success(Found(id: current.id, created: false))
        }
        let api = self.api
        let check = await runner.send(.generalOnly) { () async throws(WorkOSClientError) -> WorkOSOrganization in
            try await api.getOrganization(id: id)
        }
        guard case .failure(let error, _) = check, error.httpStatus == 404 else { return nil }
        state.withLock { state in
            if case .found(let cached)? = state.lookups.get(key), cached.id == id { state.lookups.remove(key) }
            state.gone.insert(externalId)
        }
        return await resolve(organization)
    }

    /// Counts a created organization once, for the first row that asks.
    private func claim(_ externalId: String) -> Bool {
        state.withLock { state in state.created.insert(externalId).inserted }
    }

    /// An organization found by external id is this import's when an earlier run sent its create and WorkOS
    /// made it after the import started (that run died before it could record it).
    private func claimIfOurs(_ organization: WorkOSOrganization, externalId: String) -> Bool {
        guard journal.previouslySent.contains(externalId), !journal.previouslyCreated.contains(externalId),
            let createdAt = organization.createdAt.flatMap(Timestamp.parse), createdAt >= runStartedAt
        else { return false }
        guard claim(externalId) else { return false }
        do throws(JournalError) { try journal.recordCreated(organization.id, externalId) } catch {}
        return true
    }
}
