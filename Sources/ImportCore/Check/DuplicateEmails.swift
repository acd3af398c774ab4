/// The checks across rows, found before the first row is sent: rows that share an email address (ignoring
/// case and surrounding spaces) with an earlier row, rows that contradict an earlier row
/// (``CrossRowFinding``), and rows that name an organization an earlier row names another way.
///
/// What each column means across rows is decided once, in ``CrossRowRule/rule(for:)``, for every
/// ``ImportColumn``: a column added later has to say whether rows of one user may differ in it.
///
/// Rows of one email are applied in file order whatever `--concurrency`: the first creates the user, the
/// later ones find it ("already existed, line N of this file") or, with `--if-exists fail`, fail naming that
/// line. Without this, two rows of one address raced: both could report "created", and the user's fields came
/// from whichever row won. Later rows of one email whose user fields (first_name, last_name, password,
/// password_hash, email_verified, external_id, metadata, totp_secret, totp_issuer, totp_user) differ from the
/// first row's fail instead, as do rows whose external_id is an earlier row's with another email, and rows
/// that repeat an earlier row's email and organization (`org_id` or `org_external_id` columns) with another
/// role (`role_slugs` or `role_slug`). A row that names, by `org_id`, an organization an earlier row of its
/// email names by `org_external_id` (or the reverse) cannot be matched without asking WorkOS: the scan keeps
/// those pairs (``sameOrganizationCandidates(for:)``) and the import compares them when it resolves them.
///
/// Rows naming one `org_external_id` share its organization, so they share its name: the first row of the
/// file that gives it an `org_name` names it (``organizationName(forExternalId:)``), later rows with another
/// name get a warning (``organizationNameConflict(for:)``), and rows without a name create it with that name
/// too, so they do not depend on which row reaches WorkOS first.
///
/// Memory stays small: the first pass (``Fingerprints``, taken by the dry run while it checks the rows) keeps
/// 4 bytes per row (40 to 44 bits, ``HashBuckets``) of a hash of its address, one of its external_id and one
/// of its org_external_id (12 MB for a million rows), finds the hashes that occur twice, and frees them. Only
/// when some do, a second pass compares the 128-bit digests of those rows' values, so a hash collision can
/// never join two different users; the hash only lets a few more rows into that comparison, and a file of a
/// million distinct addresses is read again about once in 35 files. A third pass, only when the second found an
/// organization name to share or a pair of organizations to compare, reads those few values as they are.
/// What is kept afterwards is one entry per row that repeats an address or contradicts an earlier row, and
/// one per organization whose name is shared. Secrets (passwords, hashes, TOTP secrets) are compared by the
/// digest of their SHA-256, never kept as they are.
public struct DuplicateEmails: Sendable {
    /// For each row that repeats an earlier row's address: the record number of the first row with it.
    private var firstRecordOf: [Int: Int] = [:]
    /// For each first row of a repeated address: its line, to name it in messages.
    private var lineOf: [Int: Int] = [:]
    /// For each row that repeats an address: its own line.
    private var repeatLineOf: [Int: Int] = [:]
    /// Rows that contradict an earlier row, by record number.
    private var findings: [Int: CrossRowFinding] = [:]
    /// Rows that repeat an address in an organization no earlier row of it named: another membership of the
    /// same user, the usual shape of a multi-organization export, not a repeat to warn about.
    private var newOrganization = RecordSet()
    /// For each `org_external_id` (by digest) that a row needs the file's name of: the external id and the
    /// name the first row naming it gives.
    private var organizationNames: [Digest: (externalId: String, name: String)] = [:]
    /// Rows whose `org_name` is not the one the first row of their organization gives.
    private var nameConflicts: [Int: OrganizationNameConflict] = [:]
    /// Rows that name their organization one way while an earlier row of their email names an organization
    /// the other way with another role: if both are one organization, the later row contradicts the earlier.
    private var organizationCandidates: [Int: [OrganizationCandidate]] = [:]

    /// No duplicates at all.
    public init() {}

    /// Rows that repeat an earlier row's address.
    public var repeatedRows: Int { firstRecordOf.count }

    /// Every row that repeats an earlier row's address, in file order, with its line and that earlier line.
    public var repeatedRecords: [(record: Int, line: Int, earlierLine: Int)] {
        firstRecordOf.keys.sorted().map { record in
            (record, repeatLineOf[record] ?? 0, firstRecordOf[record].flatMap { lineOf[$0] } ?? 0)
        }
    }

    /// Every row that contradicts an earlier row, in file order.
    public var contradictingRecords: [(record: Int, finding: CrossRowFinding)] {
        findings.keys.sorted().map { ($0, findings[$0]!) }
    }

    /// Every row whose `org_name` differs from the first one its organization is given, in file order.
    public var nameConflictRecords: [(record: Int, conflict: OrganizationNameConflict)] {
        nameConflicts.keys.sorted().map { ($0, nameConflicts[$0]!) }
    }

    /// Every row whose organization may be an earlier row's named another way, in file order.
    public var sameOrganizationCandidateRecords: [(record: Int, candidates: [OrganizationCandidate])] {
        organizationCandidates.keys.sorted().map { ($0, organizationCandidates[$0]!) }
    }

    /// The line of a row that repeats an earlier row's address.
    public func repeatLine(of record: Int) -> Int? {
        repeatLineOf[record]
    }

    /// Whether the row repeats an earlier row's address in an organization none of those rows named.
    public func addsOrganization(_ record: Int) -> Bool {
        newOrganization.contains(record)
    }

    /// Why the row must fail, when it contradicts an earlier row.
    public func finding(for record: Int) -> CrossRowFinding? {
        findings[record]
    }

    /// The name a new organization with this external id is created with: the first `org_name` the file gives
    /// it. `nil` when every row of it gives that name or none does (the row's own name is then the file's).
    public func organizationName(forExternalId externalId: String) -> String? {
        organizationNames[Digest(Array(externalId.utf8))]?.name
    }

    /// The row's `org_name`, when it is not the name the first row of its organization gives.
    public func organizationNameConflict(for record: Int) -> OrganizationNameConflict? {
        nameConflicts[record]
    }

    /// The earlier rows of the row's email whose organization, named the other way (`org_id` against
    /// `org_external_id`), may be the row's own, in file order; `nil` when there are none, or when every such
    /// row gives the same role.
    public func sameOrganizationCandidates(for record: Int) -> [OrganizationCandidate]? {
        organizationCandidates[record]
    }

    /// The group a row belongs to (the record number of the first row of its address), or `nil` when its
    /// address occurs only once.
    public func group(of record: Int) -> Int? {
        if let first = firstRecordOf[record] { return first }
        return lineOf[record] == nil ? nil : record
    }

    /// For a row that repeats an earlier row's address: that earlier (first) row's record number and line.
    public func earlier(than record: Int) -> (record: Int, line: Int)? {
        guard let first = firstRecordOf[record], let line = lineOf[first] else { return nil }
        return (first, line)
    }

    /// The hash the first pass keeps: FNV-1a over the bytes, its bits then mixed (MurmurHash3's finaliser)
    /// so that the top bits and the bottom 32, which the buckets keep, are all spread evenly.
    public static func defaultHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        value ^= value >> 33
        value = value &* 0xff51_afd7_ed55_8ccd
        value ^= value >> 33
        value = value &* 0xc4ce_b9fe_1a85_ec53
        return value ^ (value >> 33)
    }

    /// Reads the file and finds the repeated addresses, the contradicting rows and the organizations whose
    /// name rows share.
    ///
    /// The fingerprints are taken one column at a time (addresses, then external_ids, then organization
    /// ids when rows may name them), and each column's are reduced to its few repeated hashes before the
    /// next is taken. A pass holds at most `budget` hashes: a larger file is read again for the buckets
    /// the pass had to give up (``HashBuckets``), so the memory held before the first row does not grow
    /// with the file (2 MB of hashes by default: one pass a column up to about 520,000 rows, two at a
    /// million). A further reading (``resolve(_:hash:open:)``) compares the rows whose fingerprints
    /// repeat. The dry run, which must read a file once, takes all of them in its checking pass instead.
    ///
    /// - Parameters:
    ///   - hash: the first pass's hash (injectable, so tests can force collisions); the second pass
    ///     compares real values, so any hash gives the same result, only more slowly.
    ///   - budget: the most hashes a pass holds at once.
    ///   - open: opens a fresh reader over the file, with the validator that knows where each column is.
    public static func scan<Failure: Error>(
        hash: (UnsafeBufferPointer<UInt8>) -> UInt64 = defaultHash, budget: Int = Fingerprints.hashesPerPass,
        open: () throws(Failure) -> (CSVReader, RowValidator)
    ) throws(Failure) -> DuplicateEmails {
        let first = try open()
        let taken = Fingerprints.Column.allCases.filter(Columns(validator: first.1).has)
        var repeated: [Fingerprints.Column: RepeatedHashes] = [:]
        var passes = 0
        for column in taken {
            // Each pass covers the buckets from `start` to where its budget let it reach.
            var start: Int? = 0
            while let from = start {
                let (reader, validator) = try passes == 0 ? first : open()
                passes += 1
                var fingerprints = Fingerprints(
                    validator: validator, fileSize: reader.fileSize, only: column, start: from, budget: budget)
                reader.forEachRow { _, _, cells in fingerprints.add(cells, hash: hash) }
                let pass = fingerprints.takeRepeated(column)
                repeated[column, default: RepeatedHashes(shift: pass.found.shift)].formUnion(pass.found)
                start = pass.nextStart
            }
        }
        return try resolve(
            emailCandidates: repeated[.email], externalIdCandidates: repeated[.externalId],
            organizationHashes: repeated[.organization], hash: hash, open: open)
    }

    /// Finds the repeated addresses, the contradicting rows and the shared organization names from the
    /// fingerprints a pass over the file took (the dry run takes them while it checks the rows): the file is
    /// read again only when some fingerprints occur twice, and then only those rows' values are compared.
    ///
    /// - Parameters:
    ///   - fingerprints: every well-formed row's fingerprints, in one pass over the file.
    ///   - hash: the hash the fingerprints were taken with.
    ///   - open: opens a fresh reader over the file, with the validator that knows where each column is.
    public static func resolve<Failure: Error>(
        _ fingerprints: consuming Fingerprints, hash: (UnsafeBufferPointer<UInt8>) -> UInt64 = defaultHash,
        open: () throws(Failure) -> (CSVReader, RowValidator)
    ) throws(Failure) -> DuplicateEmails {
        try resolve(
            emailCandidates: fingerprints.emailBuckets.takeRepeated(),
            externalIdCandidates: fingerprints.externalIdBuckets.takeRepeated(),
            organizationHashes: fingerprints.organizationBuckets.takeRepeated(), hash: hash, open: open)
    }

    /// ``resolve(_:hash:open:)`` from each column's repeated hashes; a column without any (`nil`) was not
    /// fingerprinted at all, as when the file has no such column.
    private static func resolve<Failure: Error>(
        emailCandidates: RepeatedHashes?, externalIdCandidates: RepeatedHashes?, organizationHashes: RepeatedHashes?,
        hash: (UnsafeBufferPointer<UInt8>) -> UInt64, open: () throws(Failure) -> (CSVReader, RowValidator)
    ) throws(Failure) -> DuplicateEmails {
        let none = RepeatedHashes(shift: 0)
        let emailCandidates = emailCandidates ?? none
        let externalIdCandidates = externalIdCandidates ?? none
        let organizationHashes = organizationHashes ?? none
        guard !emailCandidates.isEmpty || !externalIdCandidates.isEmpty || !organizationHashes.isEmpty else {
            return DuplicateEmails()
        }

        var result = DuplicateEmails()
        // Keyed by 128-bit digests, so a repeated address costs no heap copy of its bytes (a file where every
        // user is on several rows repeats every address).
        var firstByEmail: [Digest: FirstRow] = [:]
        var firstByExternalId: [Digest: (email: Digest, line: Int)] = [:]
        var organizations: [Digest: OrganizationEntry] = [:]
        // Rows whose values the third pass reads: first rows naming an organization whose name later rows
        // need, and earlier rows whose organization a later row's may be.
        var namesNeeded: [Digest: Int] = [:]
        var pendingCandidates: [Int: [(record: Int, line: Int, rolesDiffer: Bool)]] = [:]
        var pendingConflicts: [Int: (line: Int, earlierLine: Int, organization: Digest)] = [:]
        let (reader, validator) = try open()
        let columns = Columns(validator: validator)
        reader.forEachRow { recordNumber, line, cells in
            var email: Digest?
            cells.withCell(columns.email) { cell in
                normalised(cell) { bytes in
                    if !bytes.isEmpty, emailCandidates.contains(hash(bytes)) { email = Digest(bytes) }
                }
            }
            var finding: CrossRowFinding?
            if let email {
                let profile = Profile(cells, columns)
                if let first = firstByEmail[email] {
                    result.firstRecordOf[recordNumber] = first.record
                    result.repeatLineOf[recordNumber] = line
                    let differing = first.profile.differences(from: profile)
                    if !differing.isEmpty {
                        finding = CrossRowFinding(
                            kind: .userFieldsDiffer(differing), line: line, earlierLine: first.line)
                    } else if let organization = profile.organization {
                        // The rows of this email that named an organization before this row's spelling of it.
                        var before = first.roles[...]
                        if let index = first.roles.firstIndex(where: { $0.organization == organization }) {
                            let earlier = first.roles[index]
                            if earlier.role != profile.role {
                                finding = CrossRowFinding(kind: .roleDiffers, line: line, earlierLine: earlier.line)
                            }
                            before = first.roles[..<index]
                        } else {
                            firstByEmail[email]?.roles.append(
                                OrganizationRole(
                                    organization: organization, form: profile.organizationForm,
                                    role: profile.role, line: line, record: recordNumber))
                            if profile.hasOwnOrganization { result.newOrganization.insert(recordNumber) }
                        }
                        let otherForm = before.filter {
                            $0.form != .run && profile.organizationForm != .run && $0.form != profile.organizationForm
                        }
                        if finding == nil, otherForm.contains(where: { $0.role != profile.role }) {
                            pendingCandidates[recordNumber] = otherForm.map {
                                ($0.record, $0.line, $0.role != profile.role)
                            }
                        }
                    }
                } else {
                    var first = FirstRow(record: recordNumber, line: line, profile: profile)
                    if let organization = profile.organization {
                        first.roles.append(
                            OrganizationRole(
                                organization: organization, form: profile.organizationForm, role: profile.role,
                                line: line, record: recordNumber))
                    }
                    firstByEmail[email] = first
                }
            }
            if columns.externalId >= 0 {
                let externalId: Digest? = cells.withCell(columns.externalId) { cell in
                    let trimmed = trim(cell)
                    return !trimmed.isEmpty && externalIdCandidates.contains(hash(trimmed))
                        ? Digest(trimmed) : nil
                }
                if let externalId {
                    // Compared whether or not the address repeats, so it is read again when it was not kept.
                    var address = email ?? Digest(empty: ())
                    if email == nil {
                        cells.withCell(columns.email) { cell in
                            normalised(cell) { bytes in if !bytes.isEmpty { address = Digest(bytes) } }
                        }
                    }
                    let email = address
                    if let earlier = firstByExternalId[externalId] {
                        if earlier.email != email, finding == nil {
                            finding = CrossRowFinding(
                                kind: .externalIdOnAnotherEmail, line: line, earlierLine: earlier.line)
                        }
                    } else {
                        firstByExternalId[externalId] = (email, line)
                    }
                }
            }
            if columns.orgExternalId >= 0, columns.orgName >= 0,
                cells.withCell(columns.orgId, { trim($0).isEmpty })
            {
                let organization: Digest? = cells.withCell(columns.orgExternalId) { cell in
                    let trimmed = trim(cell)
                    return !trimmed.isEmpty && organizationHashes.contains(hash(trimmed)) ? Digest(trimmed) : nil
                }
                if let organization {
                    let name: Digest? = cells.withCell(columns.orgName) { cell in
                        let trimmed = trim(cell)
                        return trimmed.isEmpty ? nil : Digest(trimmed)
                    }
                    if var entry = organizations[organization] {
                        if let named = entry.named {
                            // A later row: without a name, or with another, it needs the first row's name.
                            if name != named.name { namesNeeded[organization] = named.record }
                            if let name, name != named.name {
                                pendingConflicts[recordNumber] = (line, named.line, organization)
                            }
                        } else if let name {
                            entry.named = (name, line, recordNumber)
                            // Rows before it had no name: they need this one.
                            namesNeeded[organization] = recordNumber
                            organizations[organization] = entry
                        }
                    } else {
                        organizations[organization] = OrganizationEntry(named: name.map { ($0, line, recordNumber) })
                    }
                }
            }
            if let finding { result.findings[recordNumber] = finding }
        }
        // Keep lines only for addresses that really repeat.
        let repeatedFirsts = Set(result.firstRecordOf.values)
        for first in firstByEmail.values where repeatedFirsts.contains(first.record) {
            result.lineOf[first.record] = first.line
        }
        firstByEmail = [:]
        organizations = [:]
        guard !namesNeeded.isEmpty || !pendingCandidates.isEmpty else { return result }

        // The third pass: the few values kept as they are.
        let nameRecords = Set(namesNeeded.values)
        let organizationRecords = Set(pendingCandidates.values.joined().map(\.record))
        var organizationOf: [Int: RowOrganization] = [:]
        let (thirdReader, thirdValidator) = try open()
        let third = Columns(validator: thirdValidator)
        func text(_ cells: RowCells, _ index: Int) -> String {
            cells.withCell(index) { String(decoding: trim($0), as: UTF8.self) }
        }
        thirdReader.forEachRow { recordNumber, _, cells in
            if nameRecords.contains(recordNumber) {
                let externalId = text(cells, third.orgExternalId)
                result.organizationNames[Digest(Array(externalId.utf8))] = (externalId, text(cells, third.orgName))
            }
            if organizationRecords.contains(recordNumber) {
                let id = text(cells, third.orgId)
                organizationOf[recordNumber] =
                    id.isEmpty ? .externalId(text(cells, third.orgExternalId), name: nil) : .id(id)
            }
        }
        for (record, pending) in pendingConflicts {
            guard let named = result.organizationNames[pending.organization] else { continue }
            result.nameConflicts[record] = OrganizationNameConflict(
                line: pending.line, earlierLine: pending.earlierLine, externalId: named.externalId, name: named.name)
        }
        for (record, candidates) in pendingCandidates {
            result.organizationCandidates[record] = candidates.compactMap { candidate in
                organizationOf[candidate.record].map {
                    OrganizationCandidate(line: candidate.line, organization: $0, rolesDiffer: candidate.rolesDiffer)
                }
            }
        }
        return result
    }

    /// The address as WorkOS compares it, the way the validator reads it: surrounding spaces, tabs and line
    /// breaks trimmed, then lowercased (ASCII in place; other text through `String.lowercased()`).
    static func normalised(_ cell: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let trimmed = trim(cell)
        if trimmed.allSatisfy({ $0 < 0x80 }) {
            if !trimmed.contains(where: { (0x41...0x5A).contains($0) }) {
                body(trimmed)
                return
            }
            let lowered = trimmed.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
            lowered.withUnsafeBufferPointer(body)
            return
        }
        var text = String(decoding: trimmed, as: UTF8.self).lowercased()
        text.withUTF8(body)
    }

    /// The cell without surrounding blanks (``CellText/trim(_:)-(UnsafeBufferPointer<UInt8>)``).
    static func trim(_ cell: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        CellText.trim(cell)
    }
}

extension DuplicateEmails {
    /// The first pass's findings: a hash of each well-formed row's address, external_id and (when rows may
    /// name it) org_external_id, in ``HashBuckets`` (12 MB for a million rows at most). Any pass over the file
    /// can take them: ``scan(hash:open:)`` reads the file for them, the dry run takes them from the rows it
    /// checks, so it reads a file without repeats only once.
    public struct Fingerprints: Sendable, Equatable {
        let columns: Columns
        /// The one column these fingerprints take, or `nil` for every column the file has.
        let only: Column?
        var emailBuckets: HashBuckets
        var externalIdBuckets: HashBuckets
        var organizationBuckets: HashBuckets

        /// The columns fingerprinted.
        enum Column: CaseIterable {
            case email, externalId, organization
        }

        /// Empty fingerprints for rows read with `validator`'s columns, from a file of `fileSize` bytes (which
        /// sets how many bits of each hash are kept).
        public init(validator: RowValidator, fileSize: Int = 0) {
            self.init(validator: validator, fileSize: fileSize, only: nil)
        }

        /// The most hashes a pass of ``DuplicateEmails/scan(hash:budget:open:)`` holds: 2 MB of them.
        /// Measured on a million rows: half as many kept the peak about half a megabyte lower, but read the
        /// file five times a column, so the first row went out 7.0 s after the start instead of 3.5 s (2.5 s
        /// with no budget).
        public static let hashesPerPass = 1 << 19

        /// Empty fingerprints of one column (`only`), or of all of them (`nil`), taking the hashes of the
        /// buckets from `start` on and holding at most `budget` of each column (``HashBuckets``).
        init(validator: RowValidator, fileSize: Int, only: Column?, start: Int = 0, budget: Int = .max) {
            self.columns = Columns(validator: validator)
            self.only = only
            let bits = HashBuckets.bucketBits(forFileSize: fileSize)
            emailBuckets = HashBuckets(bucketBits: bits, start: start, budget: budget)
            externalIdBuckets = HashBuckets(bucketBits: bits, start: start, budget: budget)
            organizationBuckets = HashBuckets(bucketBits: bits, start: start, budget: budget)
        }

        /// Whether these fingerprints take the column: it is theirs to take, and the file has it.
        func takes(_ column: Column) -> Bool {
            (only == nil || only == column) && columns.has(column)
        }

        /// The repeated hashes of one column, leaving its buckets empty, and the bucket the next pass
        /// starts at (`nil` when these covered the rest, ``HashBuckets/nextStart``).
        mutating func takeRepeated(_ column: Column) -> (found: RepeatedHashes, nextStart: Int?) {
            func take(_ buckets: inout HashBuckets) -> (RepeatedHashes, Int?) {
                (buckets.takeRepeated(), buckets.nextStart)
            }
            return switch column {
            case .email: take(&emailBuckets)
            case .externalId: take(&externalIdBuckets)
            case .organization: take(&organizationBuckets)
            }
        }

        /// Takes one well-formed row's fingerprints, hashed with `hash`.
        mutating func add(_ cells: RowCells, hash: (UnsafeBufferPointer<UInt8>) -> UInt64 = defaultHash) {
            if takes(.email) {
                cells.withCell(columns.email) { cell in
                    normalised(cell) { email in
                        guard !email.isEmpty else { return }
                        let value = hash(email)
                        emailBuckets.insert(value)
                    }
                }
            }
            if takes(.externalId) {
                cells.withCell(columns.externalId) { cell in
                    let trimmed = trim(cell)
                    guard !trimmed.isEmpty else { return }
                    let value = hash(trimmed)
                    externalIdBuckets.insert(value)
                }
            }
            if takes(.organization) {
                cells.withCell(columns.orgExternalId) { cell in
                    let trimmed = trim(cell)
                    guard !trimmed.isEmpty else { return }
                    let value = hash(trimmed)
                    organizationBuckets.insert(value)
                }
            }
        }
    }

    /// Where the columns the checks read are in each record (-1 when absent), as the validator found them
    /// (so `--map` and `role_slug` count).
    struct Columns: Sendable, Equatable {
        var email: Int
        var firstName: Int
        var lastName: Int
        var emailVerified: Int
        var externalId: Int
        var metadata: Int
        var password: Int
        var passwordHash: Int
        var passwordHashType: Int
        var passwordSaltPosition: Int
        var orgId: Int
        var orgExternalId: Int
        var orgName: Int
        var roles: Int
        var totpSecret: Int
        var totpIssuer: Int
        var totpUser: Int

        init(validator: RowValidator) {
            func at(_ column: ImportColumn) -> Int { validator.positions[column] }
            email = at(.email)
            firstName = at(.firstName)
            lastName = at(.lastName)
            emailVerified = at(.emailVerified)
            externalId = at(.externalId)
            metadata = at(.metadata)
            password = at(.password)
            passwordHash = at(.passwordHash)
            passwordHashType = at(.passwordHashType)
            passwordSaltPosition = at(.passwordSaltPosition)
            orgId = at(.orgId)
            orgExternalId = at(.orgExternalId)
            orgName = at(.orgName)
            roles = at(.roleSlugs)
            totpSecret = at(.totpSecret)
            totpIssuer = at(.totpIssuer)
            totpUser = at(.totpUser)
        }

        /// Whether rows give this column's fingerprints: the file has the column (organization ids only
        /// where rows may name an organization by them, with a name).
        func has(_ column: Fingerprints.Column) -> Bool {
            switch column {
            case .email: email >= 0
            case .externalId: externalId >= 0
            case .organization: orgExternalId >= 0 && orgName >= 0
            }
        }
    }

    /// A 128-bit digest of a value: two independent 64-bit hashes, so two different values share one with a
    /// chance of about 2^-128, which no file comes near. Kept instead of the value, so the second pass holds
    /// no copy of any cell.
    struct Digest: Hashable {
        var first: UInt64
        var second: UInt64

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            var a: UInt64 = 0xcbf2_9ce4_8422_2325
            var b: UInt64 = 0x8422_2325_cbf2_9ce4
            for byte in bytes {
                a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
                b = (b &+ UInt64(byte)) &* 0x9E37_79B9_7F4A_7C15
                b ^= b >> 29
            }
            first = a ^ (a >> 31)
            second = b ^ UInt64(bytes.count)
        }

        init(_ bytes: [UInt8]) {
            self = bytes.withUnsafeBufferPointer { Digest($0) }
        }

        /// The digest of an empty value (a row without an email).
        init(empty: Void) {
            first = 0
            second = 0
        }
    }

    /// How a row names its organization.
    enum OrganizationForm: Equatable {
        /// Only a role column: the run's organization.
        case run
        /// `org_id`.
        case id
        /// `org_external_id`.
        case externalId
    }

    /// One organization an address's rows name, as the first of them names it.
    struct OrganizationRole {
        var organization: Digest
        var form: OrganizationForm
        var role: Digest
        var line: Int
        var record: Int
    }

    /// The first row of a repeated address: what later rows of it are compared with.
    struct FirstRow {
        var record: Int
        var line: Int
        var profile: Profile
        /// The role of each organization of this address, with the first row that named it (in file order);
        /// a short list, since a user is in a few organizations.
        var roles: [OrganizationRole] = []
    }

    /// An `org_external_id` named on several rows: the first row that gives it a name.
    struct OrganizationEntry {
        var named: (name: Digest, line: Int, record: Int)?
    }

    /// A row's user fields, normalised so that spellings WorkOS treats alike compare equal: names,
    /// external_id, totp_issuer and totp_user trimmed, email_verified as a yes or no, metadata as its sorted
    /// keys and values (as written when it is not valid JSON), the password, the hash (with its type and salt
    /// position) and the TOTP secret (as the validator normalises it) as SHA-256.
    ///
    /// Each field is kept as its ``Digest``, so a profile holds no heap storage.
    struct Profile: Equatable {
        var firstName: Digest
        var lastName: Digest
        var emailVerified: Digest
        var externalId: Digest
        var metadata: Digest
        var password: Digest
        var passwordHash: Digest
        var totpSecret: Digest
        var totpIssuer: Digest
        var totpUser: Digest
        /// `id:<org_id>` or `external:<org_external_id>`, `""` for the run's organization when only a role
        /// column is present, `nil` without either.
        var organization: Digest?
        /// How the row names it.
        var organizationForm: OrganizationForm
        /// Whether the row names an organization of its own (not the run's).
        var hasOwnOrganization: Bool
        /// The role slugs, lowercased, sorted and joined by commas.
        var role: Digest

        init(_ cells: RowCells, _ columns: Columns) {
            let fields = Fields(cells, columns)
            firstName = Digest(fields.firstName)
            lastName = Digest(fields.lastName)
            emailVerified = Digest(fields.emailVerified)
            externalId = Digest(fields.externalId)
            metadata = Digest(fields.metadata)
            password = Digest(fields.password)
            passwordHash = Digest(fields.passwordHash)
            totpSecret = Digest(fields.totpSecret)
            totpIssuer = Digest(fields.totpIssuer)
            totpUser = Digest(fields.totpUser)
            organization = fields.organization.map(Digest.init)
            organizationForm = fields.organizationForm
            hasOwnOrganization = fields.organization.map { !$0.isEmpty } ?? false
            role = Digest(fields.role)
        }

        /// The digest of a ``CrossRowRule/userField`` column; `nil` for any other column.
        func digest(of column: ImportColumn) -> Digest? {
            switch column {
            case .firstName: firstName
            case .lastName: lastName
            case .emailVerified: emailVerified
            case .externalId: externalId
            case .metadata: metadata
            case .password: password
            case .passwordHash: passwordHash
            case .totpSecret: totpSecret
            case .totpIssuer: totpIssuer
            case .totpUser: totpUser
            default: nil
            }
        }

        /// The user fields (by column name, in ``ImportColumn``'s order) whose values differ from `other`'s.
        func differences(from other: Profile) -> [String] {
            CrossRowRule.userFields.compactMap { column in
                digest(of: column) == other.digest(of: column) ? nil : column.rawValue
            }
        }
    }

    /// A row's user fields, normalised as ``Profile`` compares them, as bytes.
    struct Fields {
        var firstName: [UInt8]
        var lastName: [UInt8]
        var emailVerified: [UInt8]
        var externalId: [UInt8]
        var metadata: [UInt8]
        var password: [UInt8]
        var passwordHash: [UInt8]
        var totpSecret: [UInt8]
        var totpIssuer: [UInt8]
        var totpUser: [UInt8]
        var organization: [UInt8]?
        var organizationForm: OrganizationForm
        var role: [UInt8]

        init(_ cells: RowCells, _ columns: Columns) {
            func trimmed(_ index: Int) -> [UInt8] { cells.withCell(index) { Array(DuplicateEmails.trim($0)) } }
            func lowered(_ index: Int) -> [UInt8] { trimmed(index).map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 } }
            firstName = trimmed(columns.firstName)
            lastName = trimmed(columns.lastName)
            externalId = trimmed(columns.externalId)
            let verified = String(decoding: trimmed(columns.emailVerified), as: UTF8.self)
            switch verified.isEmpty ? nil : RowValidator.parseBool(verified) {
            case true?: emailVerified = [1]
            case false?: emailVerified = [0]
            case nil: emailVerified = Array(verified.utf8)
            }
            let metadataText = String(decoding: trimmed(columns.metadata), as: UTF8.self)
            if metadataText.isEmpty {
                metadata = []
            } else if let parsed = try? MetadataParser.parse(metadataText) {
                metadata = [0x7B]
                for (key, value) in parsed.values.sorted(by: { $0.key < $1.key }) {
                    metadata += Array(key.utf8) + [0] + Array(value.utf8) + [0]
                }
            } else {
                metadata = Array(metadataText.utf8)
            }
            let secret = cells.withCell(columns.password) { Array($0) }
            password = secret.isEmpty ? [] : SHA256.digest(secret)
            let hash = trimmed(columns.passwordHash)
            let hashType = lowered(columns.passwordHashType)
            let salt = lowered(columns.passwordSaltPosition)
            passwordHash =
                hash.isEmpty && hashType.isEmpty && salt.isEmpty
                ? [] : SHA256.digest(hash + [0] + hashType + [0] + salt)
            // Spellings of one secret (lower case, spaces, padding) are one secret, as the validator reads it.
            let totpText = trimmed(columns.totpSecret)
            let totpBytes = TOTPSecret.normalized(String(decoding: totpText, as: UTF8.self)).map { Array($0.utf8) }
            totpSecret = totpText.isEmpty ? [] : SHA256.digest(totpBytes ?? totpText)
            totpIssuer = trimmed(columns.totpIssuer)
            totpUser = trimmed(columns.totpUser)
            let orgId = trimmed(columns.orgId)
            let orgExternalId = trimmed(columns.orgExternalId)
            if !orgId.isEmpty {
                organization = Array("id:".utf8) + orgId
                organizationForm = .id
            } else if !orgExternalId.isEmpty {
                organization = Array("external:".utf8) + orgExternalId
                organizationForm = .externalId
            } else {
                organization = columns.roles >= 0 ? [] : nil
                organizationForm = .run
            }
            let roles = lowered(columns.roles).split { $0 == 0x2C || $0 == 0x20 || $0 == 0x09 }.map(Array.init)
            role = Array(Set(roles)).sorted { $0.lexicographicallyPrecedes($1) }.joined(separator: [0x2C]).map { $0 }
        }
    }
}
