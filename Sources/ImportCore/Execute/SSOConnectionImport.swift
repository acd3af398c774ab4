import Synchronization
import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What became of one SSO connection row.
public enum SSOConnectionOutcome: Sendable, Equatable {
    /// This import created it (in this run, or an earlier run of its journal).
    case created(WorkOSSSOConnection)
    /// It existed before the import: WorkOS answered the organization's connection with the row's external id.
    case existing(WorkOSSSOConnection)
    /// The environment does not create connections through the API (`POST /connections` answered 404).
    case notCreated
    /// The row failed; `reason` is its kind without the row's values.
    case failed(message: String, reason: String)
}

/// One SSO row and its outcome, for the report and the results file: what describes the row, never a secret.
public struct SSOConnectionResult: Sendable, Equatable {
    public var path: String
    public var line: Int
    public var kind: SSOConnectionDefinition.Kind?
    public var name: String?
    public var organization: String?
    public var externalId: String?
    public var externalIdGenerated = false
    /// The organization's WorkOS id, once found.
    public var organizationId: String?
    /// The service provider addresses the row keeps.
    public var customACSURL: String?
    public var customEntityId: String?
    public var customRedirectURI: String?
    /// Settings WorkOS could not take.
    public var notTaken: [String] = []
    public var outcome: SSOConnectionOutcome

    init(_ definition: SSOConnectionDefinition, outcome: SSOConnectionOutcome, organizationId: String? = nil) {
        path = definition.path
        line = definition.line
        kind = definition.kind
        name = definition.name
        organization = definition.organizationLabel
        externalId = definition.externalId
        externalIdGenerated = definition.externalIdGenerated
        self.organizationId = organizationId
        customACSURL = definition.customACSURL
        customEntityId = definition.customEntityId
        customRedirectURI = definition.customRedirectURI
        notTaken = definition.notTaken
        self.outcome = outcome
    }

    init(_ problem: SSORowProblem) {
        path = problem.path
        line = problem.line
        kind = problem.kind
        name = problem.name
        externalId = problem.externalId
        outcome = .failed(message: problem.message, reason: problem.reason)
    }
}

/// What the SSO phase did, after the organizations and before the first users row.
public struct SSOConnectionReport: Sendable {
    /// Every row's result, by file and line.
    public var results: [SSOConnectionResult] = []
    public var counts = SSOConnectionCounts()
    /// `POST /connections` answered 404: the environment does not have the feature.
    public var featureOff = false
    /// The journal could not record a write: the run stops.
    public var journalError: JournalError?

    /// What to ask WorkOS when the environment does not create connections.
    public static let featureOffSentence =
        "this WorkOS environment does not create SSO connections through the API (POST /connections answered "
        + "404): ask WorkOS support to enable API-created SSO connections for it, then run the same command again"
}

extension RowExecutor {
    /// How many organizations' connections are settled at once.
    static let ssoOrganizationsInFlight = 4

    /// Creates every SSO connection once, after the organizations file: each connection's organization is
    /// found (or created with `organizationName`) through the ``directory`` and gets the connection's
    /// domains (journaled like an organizations file's update), then the connection is created with its
    /// external id, journaled before it goes out and after WorkOS answers. One organization's connections go
    /// one after another, so two never update its domains at once.
    ///
    /// A 404 from `POST /connections` (not an organization's 404) means the environment lacks the feature:
    /// no further create is sent, and the rows are reported as not created; nothing else fails.
    public func importSSOConnections(_ files: SSOConnectionFiles, stop: StopSignal) async -> SSOConnectionReport {
        var report = SSOConnectionReport()
        report.results = files.problems.map(SSOConnectionResult.init)
        var groups: [String: [SSOConnectionDefinition]] = [:]
        var order: [String] = []
        for definition in files.definitions {
            if groups[definition.organization.key] == nil { order.append(definition.organization.key) }
            groups[definition.organization.key, default: []].append(definition)
        }
        let featureOff = SSOFeatureSwitch()
        var pending = order[...]
        await withTaskGroup(of: ([SSOConnectionResult], JournalError?).self) { group in
            func startNext() {
                guard !stop.isRequested, let key = pending.popFirst(), let definitions = groups[key] else { return }
                group.addTask { await self.settleSSOOrganization(definitions, featureOff: featureOff) }
            }
            for _ in 0..<Self.ssoOrganizationsInFlight { startNext() }
            while let settled = await group.next() {
                let (results, journalError) = settled
                report.results += results
                if let journalError, report.journalError == nil { report.journalError = journalError }
                if report.journalError == nil { startNext() }
            }
        }
        for key in pending {
            report.results += (groups[key] ?? []).map {
                SSOConnectionResult(
                    $0, outcome: .failed(message: "not attempted: the run stopped", reason: "not attempted"))
            }
        }
        report.featureOff = featureOff.isOff
        report.results.sort { ($0.path, $0.line) < ($1.path, $1.line) }
        report.counts.rows = report.results.count
        for result in report.results {
            switch result.outcome {
            case .created: report.counts.created += 1
            case .existing: report.counts.existing += 1
            case .notCreated: report.counts.notCreated += 1
            case .failed: report.counts.failed += 1
            }
        }
        return report
    }

    /// One organization's connections: the organization found (or created) with their domains, then each
    /// connection created.
    private func settleSSOOrganization(_ definitions: [SSOConnectionDefinition], featureOff: SSOFeatureSwitch) async
        -> ([SSOConnectionResult], JournalError?)
    {
        let first = definitions[0]
        var domains: [OrganizationDomain] = []
        for domain in definitions.flatMap(\.domains) where !domains.contains(domain) { domains.append(domain) }
        var organization = OrganizationDefinition(line: first.line, domains: domains)
        switch first.organization {
        case .id(let id): organization.id = id
        case .externalId(let externalId, let name): (organization.externalId, organization.name) = (externalId, name)
        }
        let organizationId: String
        switch await settleSSOOrganizationDomains(organization) {
        case .success(let id): organizationId = id
        case .failure(let failure):
            let reason = failure.reason ?? RowFailure.generalReason(of: failure.message)
            return (
                definitions.map { SSOConnectionResult($0, outcome: .failed(message: failure.message, reason: reason)) },
                failure.journalError
            )
        }
        var results: [SSOConnectionResult] = []
        for definition in definitions {
            if featureOff.isOff {
                results.append(SSOConnectionResult(definition, outcome: .notCreated, organizationId: organizationId))
                continue
            }
            let (outcome, journalError) = await createSSOConnection(definition, organizationId: organizationId)
            if outcome == .notCreated { featureOff.turnOff() }
            results.append(SSOConnectionResult(definition, outcome: outcome, organizationId: organizationId))
            if let journalError { return (results, journalError) }
        }
        return (results, nil)
    }

    /// Finds or creates the organization, and adds the domains it lacks (journaled before and after).
    private func settleSSOOrganizationDomains(_ definition: OrganizationDefinition) async
        -> Result<String, OrganizationDirectory.Failure>
    {
        let defined: OrganizationDirectory.Defined
        switch await directory.settle(definition) {
        case .success(let value): defined = value
        case .failure(let failure): return .failure(failure)
        }
        let difference = OrganizationDifference(organization: defined.organization, definition: definition)
        guard !defined.created, let update = difference.update else { return .success(defined.organization.id) }
        let (_, outcome, _, journalError) = await updateOrganization(
            defined.organization, update, line: definition.line, domainsAdded: difference.missingDomains.count)
        if case .failed(let message, let reason) = outcome {
            return .failure(
                OrganizationDirectory.Failure(
                    stage: .organization, message: "adding the connection's domains: " + message, error: nil,
                    reason: reason, journalError: journalError))
        }
        return .success(defined.organization.id)
    }

    /// Sends one connection's create, journaled before it goes out and after WorkOS answers.
    private func createSSOConnection(_ definition: SSOConnectionDefinition, organizationId: String) async
        -> (SSOConnectionOutcome, JournalError?)
    {
        let externalId = definition.externalId
        do throws(JournalError) { try journal.writer.ssoSent(organizationId, externalId) } catch {
            return (.failed(message: error.description, reason: "the journal cannot be written"), error)
        }
        let request = definition.request(organizationId: organizationId)
        let key = IdempotencyKey.make(runId: runId, record: definition.line, operation: "create-sso-" + externalId)
        let api = self.api
        let result = await runner.send(.generalOnly) { () async throws(WorkOSClientError) -> WorkOSSSOConnection in
            try await api.createSSOConnection(request, idempotencyKey: key)
        }
        switch result {
        case .success(let connection), .settled(let connection):
            let created =
                journal.ssoConnectionsCreated.contains(connection.id)
                || (connection.createdAt.flatMap(Timestamp.parse).map { $0 >= runStartedAt } ?? false)
            do throws(JournalError) {
                try journal.writer.ssoConnection(connection.id, organizationId, externalId, created)
            } catch {
                return (.failed(message: error.description, reason: "the journal cannot be written"), error)
            }
            return (created ? .created(connection) : .existing(connection), nil)
        case .failure(let error, _):
            if case .api(let answer) = error, answer.status == 404, !answer.hasCode("entity_not_found") {
                return (.notCreated, nil)
            }
            let redacted = error.redacting(SecretRedaction(Array(definition.secrets.values.values)))
            return (
                .failed(
                    message: "creating the SSO connection failed: \(redacted.summary)",
                    reason: "WorkOS refused the SSO connection" + (error.httpStatus.map { " (HTTP \($0))" } ?? "")),
                nil
            )
        }
    }
}

/// Whether `POST /connections` answered 404 in this run, shared by the organizations settled at once: after
/// the first such answer no further create is sent.
final class SSOFeatureSwitch: Sendable {
    private let off = Mutex(false)

    var isOff: Bool { off.withLock { $0 } }

    func turnOff() { off.withLock { $0 = true } }
}
