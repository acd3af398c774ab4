/// One domain an organization row gives, with the state it is to have in WorkOS.
public struct OrganizationDomain: Sendable, Hashable {
    /// The domain name, lower case.
    public var domain: String
    /// Whether it is to be verified (it then routes sign-ins); pending otherwise.
    public var verified: Bool

    public init(domain: String, verified: Bool) {
        self.domain = domain
        self.verified = verified
    }

    /// `verified` or `pending`, as `domain_data` says it.
    public var state: String { verified ? "verified" : "pending" }
}

/// The mail providers whose domains belong to no single organization. A verified domain routes every
/// sign-in of its addresses to one organization, so marking one of these verified would hand an
/// organization every user of a public mail service; a row that asks for it fails before anything is sent.
/// WorkOS publishes no list; this one is shown in docs/organizations.md.
public enum PublicEmailDomains {
    /// The domains, lower case.
    public static let names: [String] = [
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com",
        "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me",
        "gmx.com", "gmx.de", "gmx.net", "mail.com", "yandex.com", "yandex.ru", "zoho.com", "qq.com", "163.com",
        "126.com", "web.de", "fastmail.com", "hey.com", "tutanota.com",
    ]

    private static let set = Set(names)

    /// Whether `domain` (any case) is a public mail provider's.
    public static func contains(_ domain: String) -> Bool { set.contains(domain.lowercased()) }
}

/// The `domains` cell of an organization row: domains separated by commas (WorkOS's toolkit writes them so)
/// or semicolons (WorkOS's connection template), each `example.com`, `example.com:verified` or
/// `example.com:pending`. A domain without a state is pending, or verified with `--verify-domains`.
public enum DomainCell {
    /// Why the cell cannot be read; `message` names the entry, `reason` does not.
    public struct Failure: Error, Sendable, Equatable {
        public var message: String
        public var reason: String
    }

    /// The cell's domains in order, each once (a domain given twice is verified if either says so).
    ///
    /// - Parameter verifyAll: `--verify-domains`: every domain is verified, whatever its entry says.
    public static func parse(_ text: String, verifyAll: Bool = false) throws(Failure) -> [OrganizationDomain] {
        var domains: [OrganizationDomain] = []
        for piece in text.split(whereSeparator: { $0 == "," || $0 == ";" }) {
            let entry = CellText.trim(String(piece))
            if entry.isEmpty { continue }
            var name = entry
            var verified = verifyAll
            if let colon = entry.lastIndex(of: ":") {
                name = CellText.trim(String(entry[..<colon]))
                switch CellText.trim(String(entry[entry.index(after: colon)...])).lowercased() {
                case "verified": verified = true
                case "pending": break
                default:
                    throw Failure(
                        message: "domain entry \(DisplayText.quoted(entry, limit: 60)) has an unknown state; write "
                            + "example.com, example.com:verified or example.com:pending",
                        reason: "a domain has an unknown state")
                }
            }
            name = name.lowercased()
            guard isDomainName(name) else {
                throw Failure(
                    message: "\(DisplayText.quoted(name, limit: 60)) is not a domain name (like example.com)",
                    reason: "a domain is not a domain name")
            }
            if let index = domains.firstIndex(where: { $0.domain == name }) {
                domains[index].verified = domains[index].verified || verified
            } else {
                domains.append(OrganizationDomain(domain: name, verified: verified))
            }
        }
        return domains
    }

    /// A host name with at least one dot: labels of letters, digits and hyphens, none empty or starting or
    /// ending with a hyphen, at most 253 characters.
    static func isDomainName(_ name: String) -> Bool {
        guard name.utf8.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy {
                    $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-"
                }
        }
    }
}

/// One organization row of an organizations file (WorkOS's toolkit's `organizations.csv`:
/// `org_id,org_external_id,org_name,domains,metadata`), checked.
public struct OrganizationDefinition: Sendable, Equatable {
    /// 1-based physical line the row starts on.
    public var line: Int
    /// `org_id`: a WorkOS organization id, when the row names one; it must exist.
    public var id: String?
    /// `org_external_id`: how the organization is found, and the external id it is created with.
    public var externalId: String?
    /// `org_name`: the name a missing organization is created with.
    public var name: String?
    /// The domains it is to have; empty when the row gives none (its domains are then left as they are).
    public var domains: [OrganizationDomain]
    /// The metadata it is to have; nil when the row gives none (its metadata is then left as it is).
    public var metadata: [String: String]?

    public init(
        line: Int, id: String? = nil, externalId: String? = nil, name: String? = nil,
        domains: [OrganizationDomain] = [], metadata: [String: String]? = nil
    ) {
        self.line = line
        self.id = id
        self.externalId = externalId
        self.name = name
        self.domains = domains
        self.metadata = metadata
    }

    /// The row's content in one text that does not depend on dictionary order, for the file's fingerprint.
    var canonicalText: String {
        let domainText = domains.map { $0.domain + ":" + $0.state }.joined(separator: ",")
        let metadataText = (metadata ?? [:]).sorted { $0.key < $1.key }.map { $0.key + "=" + $0.value }
        return [String(line), id ?? "", externalId ?? "", name ?? "", domainText]
            .joined(separator: "\u{1F}") + "\u{1F}" + metadataText.joined(separator: "\u{1F}")
    }

    /// The organization as a users row would name it: by `org_id` when given, else by external id.
    public var organization: RowOrganization {
        if let id { return .id(id) }
        return .externalId(externalId ?? "", name: name)
    }
}

/// A row of the organizations file that cannot be imported, found before anything is sent.
public struct OrganizationRowProblem: Sendable, Equatable {
    public var line: Int
    /// What is wrong, without the line (the report puts it in front).
    public var message: String
    /// The kind of problem without the row's values.
    public var reason: String
    /// The organization the row names, unless another row of the file names it first: users rows naming
    /// it fail rather than create it without the row's domains and metadata.
    public var organization: RowOrganization?
}

/// An organizations file, read and checked whole before the first request: a file names far fewer
/// organizations than users, and every organization must be settled before the first user joins one.
public struct OrganizationFile: Sendable {
    /// The columns of WorkOS's toolkit's `organizations.csv`, in its order.
    public static let columns = ["org_id", "org_external_id", "org_name", "domains", "metadata"]

    /// The path it was read from, for messages.
    public var path: String
    /// The rows that may be imported, in file order.
    public var definitions: [OrganizationDefinition] = []
    /// The rows that cannot.
    public var problems: [OrganizationRowProblem] = []
    /// Remarks about rows that are still imported (metadata values sent as strings).
    public var warnings: [RowWarning] = []
    /// The SHA-256 of the file's bytes, recorded in the journal so a resume reads the same file.
    public var fingerprint: String = ""

    /// Reads and checks the file at `path`.
    ///
    /// - Parameters:
    ///   - limits: the metadata and external_id limits (`--limits`), as for the users' rows.
    ///   - verifyDomains: `--verify-domains`: every domain is marked verified.
    /// - Throws: ``ImportError`` when the file cannot be read or its header lacks the identifying columns.
    public static func read(path: String, limits: FieldLimits, verifyDomains: Bool) throws(ImportError)
        -> OrganizationFile
    {
        let table = try NamedColumnFile(path: path)
        guard table.positions["org_external_id"] != nil || table.positions["org_id"] != nil else {
            throw .usage(
                "\(path) has no org_external_id or org_id column: an organizations file's header is "
                    + Self.columns.joined(separator: ",") + " (WorkOS's toolkit writes it so)")
        }
        var file = OrganizationFile(path: path)
        var firstLine: [String: Int] = [:]
        var verifiedOn: [String: Int] = [:]
        while let result = table.reader.next() {
            let record = result.record
            if case .malformed(_, let reason) = result {
                file.problems.append(OrganizationRowProblem(line: record.line, message: reason, reason: reason))
                continue
            }
            func cell(_ column: String) -> String? { table.cell(column, in: record.fields) }
            var row = Row(line: record.line, limits: limits, verifyDomains: verifyDomains)
            var named =
                cell("org_id").map(RowOrganization.id)
                ?? cell("org_external_id").map { RowOrganization.externalId($0, name: nil) }
            if let key = named?.key, firstLine[key] != nil { named = nil }
            if let definition = row.check(
                id: cell("org_id"), externalId: cell("org_external_id"), name: cell("org_name"),
                domains: cell("domains"), metadata: cell("metadata"))
            {
                let key = definition.organization.key
                // A domain routes sign-ins to one organization: the first row to verify it keeps it.
                let taken = definition.domains.filter { $0.verified && verifiedOn[$0.domain] != nil }
                if let earlier = firstLine[key] {
                    row.problems.append(
                        "names the organization \(DisplayText.quoted(definition.organization.label)) that line "
                            + "\(earlier) names too; give each organization one row",
                        reason: "names an organization an earlier row names")
                } else if let domain = taken.first {
                    row.problems.append(
                        "marks \(domain.domain) verified, which line \(verifiedOn[domain.domain] ?? 0) marks verified "
                            + "for another organization; a domain is verified by one organization only",
                        reason: "marks verified a domain an earlier row verifies")
                } else {
                    for domain in definition.domains where domain.verified { verifiedOn[domain.domain] = record.line }
                    firstLine[key] = record.line
                    file.definitions.append(definition)
                }
            }
            file.warnings += row.warnings
            for (message, reason) in zip(row.problems.messages, row.problems.reasons) {
                file.problems.append(
                    OrganizationRowProblem(line: record.line, message: message, reason: reason, organization: named))
            }
        }
        if let error = table.reader.readError { throw .csv(error) }
        file.fingerprint = SHA256.hex(
            file.definitions.map(\.canonicalText).joined(separator: "\n") + "\n"
                + file.problems.map { "\($0.line)" }.joined(separator: ","))
        return file
    }

    /// The checks of one row.
    private struct Row {
        let line: Int
        let limits: FieldLimits
        let verifyDomains: Bool
        var problems = ProblemList()
        var warnings: [RowWarning] = []

        init(line: Int, limits: FieldLimits, verifyDomains: Bool) {
            self.line = line
            self.limits = limits
            self.verifyDomains = verifyDomains
        }

        /// The row's definition, or nil with its problems.
        mutating func check(
            id: String?, externalId: String?, name: String?, domains: String?, metadata: String?
        ) -> OrganizationDefinition? {
            if id == nil && externalId == nil {
                problems.append(
                    "has neither org_external_id nor org_id, so the organization can be neither found nor created "
                        + "exactly once", reason: "the row has neither org_external_id nor org_id")
            }
            if let externalId,
                !externalId.utf8.allSatisfy({ $0 < 0x80 }) || externalId.utf8.count > limits.maximumExternalIdLength
            {
                problems.append(
                    "org_external_id must be ASCII and at most \(limits.maximumExternalIdLength) characters",
                    reason: "org_external_id is not ASCII or too long")
            }
            var parsed: [OrganizationDomain] = []
            do {
                parsed = try DomainCell.parse(domains ?? "", verifyAll: verifyDomains)
            } catch {
                problems.append(error.message, reason: error.reason)
            }
            let publicVerified = parsed.filter { $0.verified && PublicEmailDomains.contains($0.domain) }
            if !publicVerified.isEmpty {
                problems.append(
                    "marks \(DisplayText.list(publicVerified.map(\.domain))) verified, a public email provider's "
                        + "domain: a verified domain sends every sign-in of its addresses to this organization; "
                        + "remove it from the row (or its :verified)",
                    reason: "marks a public email provider's domain verified")
            }
            var values: [String: String]?
            if let metadata {
                values = RowValidator.checkMetadata(
                    metadata, limits: limits, line: line, problems: &problems, warnings: &warnings)
            }
            guard problems.messages.isEmpty else { return nil }
            return OrganizationDefinition(
                line: line, id: id, externalId: externalId, name: name, domains: parsed,
                metadata: values.flatMap { $0.isEmpty ? nil : $0 })
        }
    }
}
