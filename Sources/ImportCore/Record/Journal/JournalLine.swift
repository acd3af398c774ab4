#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One line of the journal file (JSON Lines), as written and read back.
///
/// ```
/// {"csv":{…},"runId":"…","settings":{…},"startedAt":"…","type":"header","version":1}
/// {"membership":"created","outcome":"imported","record":17,"type":"row","user":"user_…"}
/// {"line":19,"membership":"none","outcome":"failed","reason":"metadata is invalid JSON","record":18,"type":"row"}
/// {"factor":"none","line":21,"membership":"created","membershipId":"om_…","organization":"org_…","outcome":"failed",
///  "reason":"…","record":20,"type":"row","user":"user_…","userCreated":true}
/// {"record":18,"type":"sent"}
/// {"record":20,"step":"membership","type":"sent"}
/// {"external":"acme","type":"organization-sent"}
/// {"external":"acme","organization":"org_…","type":"organization"}
/// {"external":"acme","type":"organization-missing"}
/// {"organization":"org_…","type":"organization-update-sent"}
/// {"organization":"org_…","type":"organization-updated"}
/// {"id":"perm_…","permission":"docs:read","type":"permission"} (and the other roles file lines,
///  ``AuthorizationEntry``)
/// {"external":"okta-1","organization":"org_…","type":"sso-sent"}
/// {"connection":"conn_…","created":true,"external":"okta-1","organization":"org_…","type":"sso"}
/// {"factor":"enrolled","factorId":"auth_factor_…","membership":"created","membershipId":"om_…",
///  "organization":"org_…","outcome":"imported","record":20,"type":"row","user":"user_…"}
/// {"at":"…","type":"resume"}
/// {"at":"…","complete":true,"counts":{"alreadyExisted":0,"failed":1,"imported":9,"notAttempted":0,"total":10},"type":"end"}
/// ```
/// Keys are sorted so the same state always gives the same bytes. Lines of an unknown type are skipped,
/// so a newer minor addition does not break an older reader; the header's version guards real changes.
enum JournalLine: Equatable {
    /// The first line: what the journal is about.
    case header(JournalHeader, version: Int)
    /// A settled row.
    case row(JournalEntry)
    /// A row whose create is about to be sent: if the run dies before the row settles, the create may have
    /// taken effect, so a resume may count a user it then finds as created by this import. A row never
    /// marked was never sent, and a user found for it existed before.
    case sent(record: Int)
    /// A row's membership create or factor enrollment is about to be sent (`{"record":…,"step":…}`): a
    /// resume that finds that membership or factor, made after the import started, counts it as this row's.
    case stepSent(record: Int, step: SentStep)
    /// An organization with this external id is about to be created: if the run dies before the answer, a
    /// resume that finds it (made after the import started) counts it as created by this import.
    case organizationSent(externalId: String)
    /// This import created an organization (once per organization, not per row).
    case organizationCreated(id: String, externalId: String)
    /// The organization this import had sent a create for (or created) with this external id is not in
    /// WorkOS any more (someone deleted it): it is created again under a new idempotency key, and the
    /// organizations journaled for it before are gone, not the import's to undo.
    case organizationMissing(externalId: String)
    /// An update of this organization's domains or metadata (an organizations file's row, `--if-exists
    /// update`) is about to be sent: a resume looks the organization up again before it sends another.
    case organizationUpdateSent(id: String)
    /// This import updated the organization's domains or metadata; a resume or rerun sends no other update.
    case organizationUpdated(id: String)
    /// A roles file's permission or role, about to be sent or landed (``AuthorizationEntry``).
    case authorization(AuthorizationEntry)
    /// An SSO connection with this external id is about to be created in this organization.
    case ssoSent(organizationId: String, externalId: String)
    /// WorkOS answered the connection's create; `created` when the connection was made after the import
    /// started (this import's), false when it existed before (undo leaves it).
    case ssoConnection(id: String, organizationId: String, externalId: String, created: Bool)
    /// The error and rejects files' sizes when a run opened them, before any failure was recorded.
    case checkpoint(OutputCheckpoint)
    /// A later run continued the journal.
    case resume(at: Date)
    /// A run ended; `complete` when it processed every row. `counts` are the whole file's (absent in
    /// journals written before they were recorded).
    case end(at: Date, complete: Bool, counts: Counts?)
    /// A line type this version does not know.
    case unknown(String)

    /// The JSON keys of every line type.
    private enum Key: String, CodingKey {
        case type
        case version
        case runId
        case startedAt
        case csv
        case settings
        case record
        case outcome
        case user
        case membership
        case at
        case complete
        case counts
        case environment
        case outputs
        case line
        case reason
        case organization
        case membershipId
        case factor
        case factorId
        case external
        case step
        case userCreated
        case permission
        case role
        case id
        case connection
        case created
    }

    /// The encoder every journal line goes through: sorted keys, ISO 8601 dates, no escaped slashes.
    static func makeEncoder() -> JSONEncoder {
        let encoder = DeterministicJSON.makeEncoder()
        // Milliseconds matter: a resumed run compares WorkOS creation times with the run's start.
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }

    /// The decoder matching `makeEncoder()`.
    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "\(text) is not an ISO 8601 timestamp")
            }
            return date
        }
        return decoder
    }
}

extension JournalLine: Codable {
    /// Reads a line by its `type` key.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "header":
            let header = JournalHeader(
                runId: try container.decode(String.self, forKey: .runId),
                startedAt: try container.decode(Date.self, forKey: .startedAt),
                csv: try container.decode(CSVFingerprint.self, forKey: .csv),
                settings: try container.decode(JournalSettings.self, forKey: .settings),
                environment: try container.decodeIfPresent(JournalEnvironment.self, forKey: .environment))
            self = .header(header, version: try container.decode(Int.self, forKey: .version))
        case "row":
            let entry = JournalEntry(
                record: try container.decode(Int.self, forKey: .record),
                outcome: try container.decode(UserOutcome.self, forKey: .outcome),
                userId: try container.decodeIfPresent(String.self, forKey: .user),
                membership: try container.decodeIfPresent(MembershipOutcome.self, forKey: .membership) ?? .none,
                organizationId: try container.decodeIfPresent(String.self, forKey: .organization),
                membershipId: try container.decodeIfPresent(String.self, forKey: .membershipId),
                factor: try container.decodeIfPresent(FactorOutcome.self, forKey: .factor) ?? .none,
                factorId: try container.decodeIfPresent(String.self, forKey: .factorId),
                outputs: try container.decodeIfPresent(OutputCheckpoint.self, forKey: .outputs),
                line: try container.decodeIfPresent(Int.self, forKey: .line),
                reason: try container.decodeIfPresent(String.self, forKey: .reason),
                userCreated: try container.decodeIfPresent(Bool.self, forKey: .userCreated) ?? false)
            self = .row(entry)
        case "sent":
            let record = try container.decode(Int.self, forKey: .record)
            if let step = try container.decodeIfPresent(SentStep.self, forKey: .step) {
                self = .stepSent(record: record, step: step)
            } else {
                self = .sent(record: record)
            }
        case "organization-sent":
            self = .organizationSent(externalId: try container.decode(String.self, forKey: .external))
        case "organization-missing":
            self = .organizationMissing(externalId: try container.decode(String.self, forKey: .external))
        case "organization-update-sent":
            self = .organizationUpdateSent(id: try container.decode(String.self, forKey: .organization))
        case "organization-updated":
            self = .organizationUpdated(id: try container.decode(String.self, forKey: .organization))
        case "organization":
            self = .organizationCreated(
                id: try container.decode(String.self, forKey: .organization),
                externalId: try container.decode(String.self, forKey: .external))
        case let type where AuthorizationEntry.Kind(rawValue: type) != nil:
            let kind = AuthorizationEntry.Kind(rawValue: type)!
            self = .authorization(
                AuthorizationEntry(
                    kind: kind,
                    slug: try container.decode(String.self, forKey: kind.isPermission ? .permission : .role),
                    organizationId: try container.decodeIfPresent(String.self, forKey: .organization),
                    id: try container.decodeIfPresent(String.self, forKey: .id)))
        case "sso-sent":
            self = .ssoSent(
                organizationId: try container.decode(String.self, forKey: .organization),
                externalId: try container.decode(String.self, forKey: .external))
        case "sso":
            self = .ssoConnection(
                id: try container.decode(String.self, forKey: .connection),
                organizationId: try container.decode(String.self, forKey: .organization),
                externalId: try container.decode(String.self, forKey: .external),
                created: try container.decode(Bool.self, forKey: .created))
        case "checkpoint":
            self = .checkpoint(try container.decode(OutputCheckpoint.self, forKey: .outputs))
        case "resume":
            self = .resume(at: try container.decode(Date.self, forKey: .at))
        case "end":
            self = .end(
                at: try container.decode(Date.self, forKey: .at),
                complete: try container.decode(Bool.self, forKey: .complete),
                counts: try container.decodeIfPresent(Counts.self, forKey: .counts))
        default:
            self = .unknown(type)
        }
    }

    /// Writes a line with its `type` key.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .header(let header, let version):
            try container.encode("header", forKey: .type)
            try container.encode(version, forKey: .version)
            try container.encode(header.runId, forKey: .runId)
            try container.encode(header.startedAt, forKey: .startedAt)
            try container.encode(header.csv, forKey: .csv)
            try container.encode(header.settings, forKey: .settings)
            try container.encodeIfPresent(header.environment, forKey: .environment)
        case .row(let entry):
            try container.encode("row", forKey: .type)
            try container.encode(entry.record, forKey: .record)
            try container.encode(entry.outcome, forKey: .outcome)
            try container.encodeIfPresent(entry.userId, forKey: .user)
            try container.encode(entry.membership, forKey: .membership)
            try container.encodeIfPresent(entry.organizationId, forKey: .organization)
            try container.encodeIfPresent(entry.membershipId, forKey: .membershipId)
            if entry.factor != .none { try container.encode(entry.factor, forKey: .factor) }
            try container.encodeIfPresent(entry.factorId, forKey: .factorId)
            try container.encodeIfPresent(entry.outputs, forKey: .outputs)
            try container.encodeIfPresent(entry.line, forKey: .line)
            try container.encodeIfPresent(entry.reason, forKey: .reason)
            if entry.userCreated { try container.encode(true, forKey: .userCreated) }
        case .sent(let record):
            try container.encode("sent", forKey: .type)
            try container.encode(record, forKey: .record)
        case .stepSent(let record, let step):
            try container.encode("sent", forKey: .type)
            try container.encode(record, forKey: .record)
            try container.encode(step, forKey: .step)
        case .organizationSent(let externalId):
            try container.encode("organization-sent", forKey: .type)
            try container.encode(externalId, forKey: .external)
        case .organizationMissing(let externalId):
            try container.encode("organization-missing", forKey: .type)
            try container.encode(externalId, forKey: .external)
        case .organizationUpdateSent(let id):
            try container.encode("organization-update-sent", forKey: .type)
            try container.encode(id, forKey: .organization)
        case .organizationUpdated(let id):
            try container.encode("organization-updated", forKey: .type)
            try container.encode(id, forKey: .organization)
        case .organizationCreated(let id, let externalId):
            try container.encode("organization", forKey: .type)
            try container.encode(id, forKey: .organization)
            try container.encode(externalId, forKey: .external)
        case .authorization(let entry):
            try container.encode(entry.kind.rawValue, forKey: .type)
            try container.encode(entry.slug, forKey: entry.kind.isPermission ? .permission : .role)
            try container.encodeIfPresent(entry.organizationId, forKey: .organization)
            try container.encodeIfPresent(entry.id, forKey: .id)
        case .ssoSent(let organizationId, let externalId):
            try container.encode("sso-sent", forKey: .type)
            try container.encode(organizationId, forKey: .organization)
            try container.encode(externalId, forKey: .external)
        case .ssoConnection(let id, let organizationId, let externalId, let created):
            try container.encode("sso", forKey: .type)
            try container.encode(id, forKey: .connection)
            try container.encode(organizationId, forKey: .organization)
            try container.encode(externalId, forKey: .external)
            try container.encode(created, forKey: .created)
        case .checkpoint(let outputs):
            try container.encode("checkpoint", forKey: .type)
            try container.encode(outputs, forKey: .outputs)
        case .resume(let at):
            try container.encode("resume", forKey: .type)
            try container.encode(at, forKey: .at)
        case .end(let at, let complete, let counts):
            try container.encode("end", forKey: .type)
            try container.encode(at, forKey: .at)
            try container.encode(complete, forKey: .complete)
            try container.encodeIfPresent(counts, forKey: .counts)
        case .unknown(let type):
            try container.encode(type, forKey: .type)
        }
    }
}
