import WorkOSClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `--sso-out`: the cutover checklist, one CSV row per SSO row, written 0600 when the SSO phase ends.
///
/// WorkOS's Connection object carries no service provider address (ACS URL, SP entity id, redirect URI):
/// the dashboard shows them for each connection. The columns hold the addresses the row keeps (its custom
/// ones, which WorkOS uses as given), and `nextStep` says where to find the others.
public enum SSOCutoverFile {
    /// The header, in order.
    public static let columns = [
        "file", "line", "protocol", "name", "organization", "organizationId", "externalId", "externalIdGenerated",
        "result", "connectionId", "state", "acsUrl", "spEntityId", "redirectUri", "nextStep", "notSent", "problem",
    ]

    /// The file's text.
    public static func text(_ report: SSOConnectionReport) -> String {
        var text = CSVRowEncoder.line(columns)
        for result in report.results {
            text += CSVRowEncoder.line(fields(result))
        }
        return text
    }

    /// Writes the file at `path`, mode 0600, replacing an earlier one.
    public static func write(_ report: SSOConnectionReport, to path: String) throws(OutputFileError) {
        let fd = try SecureFile.open(path: path, append: false)
        defer { close(fd) }
        try SecureFile.write(text(report), to: fd, path: path)
    }

    /// One result's fields, in ``columns``'s order.
    static func fields(_ result: SSOConnectionResult) -> [String] {
        let (word, connection, problem): (String, WorkOSSSOConnectionSummary?, String) =
            switch result.outcome {
            case .created(let connection): ("created", .init(connection), "")
            case .existing(let connection): ("existing", .init(connection), "")
            case .notCreated: ("not created", nil, SSOConnectionReport.featureOffSentence)
            case .failed(let message, _): ("failed", nil, message)
            }
        return [
            result.path, String(result.line), result.kind?.rawValue ?? "", result.name ?? "", result.organization ?? "",
            result.organizationId ?? "", result.externalId ?? "", result.externalIdGenerated ? "true" : "false", word,
            connection?.id ?? "", connection?.state ?? "", result.customACSURL ?? "", result.customEntityId ?? "",
            result.customRedirectURI ?? "", nextStep(result, connectionId: connection?.id),
            result.notTaken.joined(separator: "; "), problem,
        ]
    }

    /// What the customer's IT team does next for this row.
    static func nextStep(_ result: SSOConnectionResult, connectionId: String?) -> String {
        guard let connectionId else {
            if case .notCreated = result.outcome { return "create it once WorkOS enables the feature (rerun)" }
            return "fix the row, then run the same command again"
        }
        switch result.kind {
        case .oidc?:
            return result.customRedirectURI != nil
                ? "the identity provider keeps its redirect URI; test a sign-in, then switch"
                : "add the redirect URI the WorkOS dashboard shows for \(connectionId) to the identity provider's app"
        default:
            return result.customACSURL != nil && result.customEntityId != nil
                ? "the identity provider keeps its ACS URL and entity id; test a sign-in, then switch"
                : "give the identity provider the ACS URL and SP entity ID the WorkOS dashboard shows for "
                    + connectionId
        }
    }
}

/// The two members of a connection the checklist shows.
struct WorkOSSSOConnectionSummary {
    var id: String
    var state: String

    init(_ connection: WorkOSSSOConnection) {
        id = connection.id
        state = connection.state
    }
}
