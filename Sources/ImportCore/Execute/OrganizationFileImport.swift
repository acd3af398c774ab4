import WorkOSClient

/// How an existing organization differs from what an organizations file's row asks for, and the update that
/// would make it so: a pure value, so the rule is tested without WorkOS.
///
/// The row's domains and metadata are added to what the organization has, never taken from it: a domain
/// the organization has and the row does not name stays (with its state), as does a metadata key the row
/// does not give. A domain the row marks verified and the organization has pending is to be verified; one
/// the organization has verified stays verified whatever the row says.
public struct OrganizationDifference: Sendable, Equatable {
    /// Domains the organization lacks.
    public var missingDomains: [OrganizationDomain] = []
    /// Domains the organization has pending and the row marks verified.
    public var domainsToVerify: [String] = []
    /// Metadata keys the organization lacks or holds with another value, sorted.
    public var metadataKeys: [String] = []
    /// The body of the update, nil when nothing differs.
    public var update: UpdateOrganizationRequest?

    /// Compares `organization` with `definition`.
    public init(organization: WorkOSOrganization, definition: OrganizationDefinition) {
        var domains = organization.domains
        for wanted in definition.domains {
            if let index = domains.firstIndex(where: { $0.domain.lowercased() == wanted.domain }) {
                if wanted.verified && domains[index].state != "verified" {
                    domainsToVerify.append(wanted.domain)
                    domains[index].state = "verified"
                }
            } else {
                missingDomains.append(wanted)
                domains.append(OrganizationDomainData(domain: wanted.domain, state: wanted.state))
            }
        }
        var metadata = organization.metadata
        for (key, value) in definition.metadata ?? [:] where metadata[key] != value {
            metadataKeys.append(key)
            metadata[key] = value
        }
        metadataKeys.sort()
        let domainsDiffer = !missingDomains.isEmpty || !domainsToVerify.isEmpty
        if domainsDiffer || !metadataKeys.isEmpty {
            update = UpdateOrganizationRequest(
                domainData: domainsDiffer ? domains : nil, metadata: metadataKeys.isEmpty ? nil : metadata)
        }
    }

    /// What differs, for the report: `domains a.com, b.com missing; c.com not verified; metadata plan differs`.
    public var description: String {
        var parts: [String] = []
        if !missingDomains.isEmpty { parts.append("domains \(DisplayText.list(missingDomains.map(\.domain))) missing") }
        if !domainsToVerify.isEmpty { parts.append("\(DisplayText.list(domainsToVerify)) not verified") }
        if !metadataKeys.isEmpty {
            parts.append("metadata \(DisplayText.list(metadataKeys.map { DisplayText.quoted($0, limit: 40) })) differs")
        }
        return parts.joined(separator: "; ")
    }
}

/// What became of one organizations file row.
public enum OrganizationRowOutcome: Sendable, Equatable {
    /// This import created the organization (in this run, or in an earlier run of its journal).
    case created(id: String, thisRun: Bool)
    /// This import set the organization's domains or metadata.
    case updated(id: String)
    /// The organization already had the row's domains and metadata.
    case unchanged(id: String)
    /// The organization's domains or metadata differ from the row's, and `--if-exists` is not `update`.
    case differs(id: String, OrganizationDifference)
    /// The row failed; `reason` is its kind without the row's values.
    case failed(message: String, reason: String)
}

/// What an organizations file phase did, before the first users row.
public struct OrganizationFileReport: Sendable {
    /// A line of the report.
    public struct Line: Sendable, Equatable {
        /// `<path> line <n>: <what happened>`.
        public var text: String
        /// It tells a create or an update (which a plan only imagines), not a failure or a difference.
        public var isChange: Bool
    }

    public var counts = OrganizationFileCounts()
    /// Organizations created by this run (not by an earlier run of the journal), for the summary's count.
    public var createdThisRun = 0
    /// One line per row worth telling (failed, differing, created, updated), in file order, with its line.
    public var lines: [Line] = []
    /// The journal could not record a write: the run stops.
    public var journalError: JournalError?
}

extension RowExecutor {
    /// How many organizations file rows are settled at once.
    static let organizationRowsInFlight = 8

    /// Settles every row of an organizations file, before the first users row, so a users row naming one of
    /// its organizations finds it: each organization is found (by `org_id`, else by external id) or created
    /// with its name, domains and metadata through the ``directory`` (journaled before and after, counted,
    /// undone like a row's); an existing one whose domains or metadata differ is reported, and updated only
    /// with `--if-exists update`, its update journaled before it goes out and after it lands.
    ///
    /// A row the file gets wrong (`file.problems`) fails without a request.
    public func importOrganizations(_ file: OrganizationFile, stop: StopSignal) async -> OrganizationFileReport {
        var outcomes: [(line: Int, outcome: OrganizationRowOutcome, domainsAdded: Int)] = file.problems.map {
            ($0.line, .failed(message: $0.message, reason: $0.reason), 0)
        }
        for problem in file.problems {
            if let organization = problem.organization { directory.markFailed(organization, line: problem.line) }
        }
        var pending = file.definitions[...]
        var report = OrganizationFileReport()
        await withTaskGroup(of: (Int, OrganizationRowOutcome, Int, JournalError?).self) { group in
            func startNext() {
                guard !stop.isRequested, let definition = pending.popFirst() else { return }
                group.addTask { await self.settleOrganization(definition) }
            }
            for _ in 0..<Self.organizationRowsInFlight { startNext() }
            while let settled = await group.next() {
                let (line, outcome, domainsAdded, journalError) = settled
                outcomes.append((line, outcome, domainsAdded))
                if let journalError, report.journalError == nil { report.journalError = journalError }
                if report.journalError == nil { startNext() }
            }
        }
        for definition in pending {
            outcomes.append(
                (definition.line, .failed(message: "not attempted: the run stopped", reason: "not attempted"), 0))
        }
        for (line, outcome, domainsAdded) in outcomes.sorted(by: { $0.line < $1.line }) {
            report.add(line: line, outcome, domainsAdded: domainsAdded, path: file.path)
        }
        report.counts.rows = file.definitions.count + file.problems.count
        return report
    }

    /// One row: found or created, then compared and, when it differs and may be, updated.
    private func settleOrganization(_ definition: OrganizationDefinition) async -> (
        Int, OrganizationRowOutcome, Int, JournalError?
    ) {
        let line = definition.line
        let defined: OrganizationDirectory.Defined
        switch await directory.settle(definition) {
        case .success(let value):
            defined = value
        case .failure(let failure):
            directory.markFailed(definition.organization, line: line)
            let reason = failure.reason ?? RowFailure.generalReason(of: failure.message)
            return (line, .failed(message: failure.message, reason: reason), 0, failure.journalError)
        }
        let organization = defined.organization
        if defined.created {
            return (line, .created(id: organization.id, thisRun: true), definition.domains.count, nil)
        }
        if let externalId = definition.externalId, definition.id == nil,
            journal.organizationsCreated.contains(externalId)
        {
            return (line, .created(id: organization.id, thisRun: false), 0, nil)
        }
        if journal.organizationsUpdated.contains(organization.id) {
            return (line, .updated(id: organization.id), 0, nil)
        }
        let difference = OrganizationDifference(organization: organization, definition: definition)
        guard let update = difference.update else {
            // An update an earlier run sent and did not see land, found in place: it landed.
            guard journal.organizationUpdatesSent.contains(organization.id) else {
                return (line, .unchanged(id: organization.id), 0, nil)
            }
            do throws(JournalError) { try journal.recordOrganizationUpdated(organization.id) } catch {
                return (line, .failed(message: error.description, reason: "the journal cannot be written"), 0, error)
            }
            return (line, .updated(id: organization.id), 0, nil)
        }
        guard configuration.ifExists == .update else {
            return (line, .differs(id: organization.id, difference), 0, nil)
        }
        return await updateOrganization(organization, update, line: line, domainsAdded: difference.missingDomains.count)
    }

    /// Sends an organization's update, journaled before it goes out and after it lands.
    func updateOrganization(
        _ organization: WorkOSOrganization, _ update: UpdateOrganizationRequest, line: Int, domainsAdded: Int
    ) async -> (Int, OrganizationRowOutcome, Int, JournalError?) {
        let id = organization.id
        do throws(JournalError) { try journal.markOrganizationUpdateSent(id) } catch {
            directory.markFailed(.id(id), line: line)
            return (line, .failed(message: error.description, reason: "the journal cannot be written"), 0, error)
        }
        let api = self.api
        let result = await runner.send(.generalOnly) { () async throws(WorkOSClientError) -> WorkOSOrganization in
            try await api.updateOrganization(id: id, update)
        }
        switch result {
        case .success, .settled:
            do throws(JournalError) { try journal.recordOrganizationUpdated(id) } catch {
                return (line, .failed(message: error.description, reason: "the journal cannot be written"), 0, error)
            }
            return (line, .updated(id: id), domainsAdded, nil)
        case .failure(let error, _):
            let name = DisplayText.quoted(organization.name)
            return (
                line,
                .failed(
                    message: "updating the organization \(name) (\(id)) failed: \(error.summary)",
                    reason: "WorkOS refused the organization's update"
                        + (error.httpStatus.map { " (HTTP \($0))" } ?? "")),
                0, nil
            )
        }
    }
}

extension OrganizationFileReport {
    /// Counts a row's outcome and, when worth telling, its line.
    mutating func add(line: Int, _ outcome: OrganizationRowOutcome, domainsAdded: Int, path: String) {
        counts.domainsAdded += domainsAdded
        let prefix = "\(path) line \(line): "
        switch outcome {
        case .created(let id, let thisRun):
            counts.created += 1
            if thisRun {
                createdThisRun += 1
                lines.append(Line(text: prefix + "created organization \(id)", isChange: true))
            }
        case .updated(let id):
            counts.updated += 1
            lines.append(Line(text: prefix + "updated organization \(id)", isChange: true))
        case .unchanged:
            counts.unchanged += 1
        case .differs(let id, let difference):
            counts.differing += 1
            lines.append(
                Line(
                    text: prefix + "organization \(id) differs (\(difference.description)); left as it is "
                        + "(--if-exists update updates it)", isChange: false))
        case .failed(let message, _):
            counts.failed += 1
            lines.append(Line(text: prefix + message, isChange: false))
        }
    }
}
