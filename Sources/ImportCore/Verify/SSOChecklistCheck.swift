import WorkOSClient

/// `verify --sso-checklist connections.csv`: reads back each connection the import's cutover checklist
/// names and reports one that is missing, of the other protocol, or in another organization. The checklist
/// is where the connections' ids are: WorkOS lists no connection's external id.
public enum SSOChecklistCheck {
    /// One checklist row with a connection to check.
    public struct Entry: Sendable, Equatable {
        public var line: Int
        public var connectionId: String
        /// `SAML` or `OIDC`.
        public var kind: String
        public var organizationId: String
        /// What the drift line names the row by: its external id.
        public var label: String

        public init(line: Int, connectionId: String, kind: String, organizationId: String, label: String) {
            self.line = line
            self.connectionId = connectionId
            self.kind = kind
            self.organizationId = organizationId
            self.label = label
        }
    }

    /// The differences between a checklist row and what WorkOS holds (`nil`: not found).
    public static func differences(_ entry: Entry, found: WorkOSSSOConnection?) -> [Difference] {
        guard let found else {
            return [Difference(kind: "sso-connection-missing", expected: entry.connectionId, found: "")]
        }
        var differences: [Difference] = []
        let kind = found.isSAML ? "SAML" : "OIDC"
        if kind != entry.kind {
            differences.append(
                Difference(kind: "sso-connection-type", expected: entry.kind, found: found.connectionType))
        }
        if let organization = found.organizationId, organization != entry.organizationId {
            differences.append(
                Difference(kind: "sso-connection-organization", expected: entry.organizationId, found: organization))
        }
        return differences
    }

    /// The checklist's rows that name a connection.
    static func read(path: String) throws(ImportError) -> [Entry] {
        let table = try NamedColumnFile(path: path, lowercased: false)
        let columns = ["connectionId", "protocol", "organizationId", "externalId"]
        guard columns.allSatisfy({ table.positions[$0] != nil }) else {
            throw .usage(
                "\(path) is not an SSO cutover checklist (it lacks \(DisplayText.list(columns))); give the file "
                    + "the import wrote with --sso-out")
        }
        var entries: [Entry] = []
        while let result = table.reader.next() {
            let cells = columns.map { table.cell($0, in: result.record.fields) ?? "" }
            guard !cells[0].isEmpty else { continue }
            entries.append(
                Entry(
                    line: result.record.line, connectionId: cells[0], kind: cells[1], organizationId: cells[2],
                    label: "SSO " + cells[3]))
        }
        if let error = table.reader.readError { throw .csv(error) }
        return entries
    }
}

extension ImportRun {
    /// The drift of each connection `--sso-checklist` names, read one after another.
    func verifySSOConnections(runner: RequestRunner) async throws(ImportError) -> [RowDrift] {
        guard let path = options.ssoChecklistPath else { return [] }
        let api = context.api
        var drifts: [RowDrift] = []
        for entry in try SSOChecklistCheck.read(path: path) where !stop.isRequested {
            let id = entry.connectionId
            let result = await runner.send(.generalOnly) { () async throws(WorkOSClientError) -> WorkOSSSOConnection in
                try await api.getSSOConnection(id: id)
            }
            var drift = RowDrift(line: entry.line, email: entry.label, differences: [])
            switch result {
            case .success(let connection), .settled(let connection):
                drift.differences = SSOChecklistCheck.differences(entry, found: connection)
            case .failure(let error, _):
                if case .api(let answer) = error, answer.status == 404 {
                    drift.differences = SSOChecklistCheck.differences(entry, found: nil)
                } else {
                    drift.readFailure = error.summary
                    drift.differences = [Difference(kind: "read-failed", expected: "", found: error.summary)]
                }
            }
            drifts.append(drift)
        }
        return drifts
    }
}
