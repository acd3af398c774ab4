/// What a journal says about an import, rebuilt by replaying its lines: a pure value.
///
/// Counts follow the last line written for each record, so a row recorded twice (the pipeline settled it
/// again after a resume) is counted once, with its latest outcome.
public struct JournalState: Sendable {
    /// The header of the journal.
    public var header: JournalHeader
    /// Every record with a row line: these rows are not sent again on resume.
    public var settled = RecordSet()
    /// What the settled rows did: users, memberships and factors, failed rows. Organizations are counted
    /// by ``organizationsCreated``.
    public var counts = Counts()
    /// External ids of the organizations this import created. One per organization, not per row: a file
    /// names far fewer organizations than users.
    public var organizationsCreated = Set<String>()
    /// External ids of the organizations whose create was sent; one found later, made after the import
    /// started, was created by it.
    public var organizationsSent = Set<String>()
    /// Ids of the organizations whose update (an organizations file's row) was sent.
    public var organizationUpdatesSent = Set<String>()
    /// Ids of the organizations this import updated.
    public var organizationsUpdated = Set<String>()
    /// What the roles file's lines say (`--roles`): permissions and roles sent, created and updated.
    public var authorization = AuthorizationJournalState()
    /// Ids of the SSO connections this import created (`sso` lines with `created`), which undo deletes.
    public var ssoConnectionsCreated = Set<String>()
    /// Whether a run processed every row (an `end` line with `complete: true` is the last word).
    public var isComplete = false
    /// How many runs continued this journal (resume lines).
    public var resumeCount = 0
    /// Records whose create was sent (a `sent` line); those not settled may have taken effect.
    public var sent = RecordSet()
    /// Records whose membership create was sent.
    public var membershipsSent = RecordSet()
    /// Records whose factor enrollment was sent.
    public var factorsSent = RecordSet()
    /// The error and rejects files' sizes after the last failure recorded: a resume cuts them back to this.
    public var outputs: OutputCheckpoint?
    /// The failed rows by reason; rows of a journal that did not record reasons count under
    /// ``JournalState/unrecordedReason``.
    public var failureReasons = FailureTally()

    /// The reason of failed rows whose journal line has none (written before reasons were recorded).
    public static let unrecordedReason = "failed in an earlier run (the journal does not say why)"

    /// Whether the row's create may have reached WorkOS in an earlier run without the row being settled.
    public func mayHaveBeenSent(_ record: Int) -> Bool {
        sent.contains(record) && !settled.contains(record)
    }

    /// The latest outcome and membership of each settled record, one byte each, so a repeated record can be
    /// taken out of the counts before it is counted again. Indexed by record number.
    private var codes: [UInt8] = []
    /// For each settled record that failed: its group in ``failureReasons`` plus one (0 for none), so a
    /// repeated record can be taken out of its group. Indexed by record number, grown only by failed rows.
    private var reasonCodes: [UInt8] = []

    /// Starts from a header with nothing settled.
    public init(header: JournalHeader) {
        self.header = header
    }

    /// Rows settled by earlier runs, whatever their outcome.
    public var settledCount: Int { settled.count }

    /// Adds a settled row; a record seen before is replaced (last wins), never counted twice.
    public mutating func apply(_ entry: JournalEntry) {
        precondition(entry.record >= 0, "record numbers are never negative")
        if entry.record >= codes.count {
            codes.append(contentsOf: repeatElement(0, count: entry.record - codes.count + 1))
        }
        if settled.contains(entry.record) {
            count(code: codes[entry.record], sign: -1)
            if entry.record < reasonCodes.count, reasonCodes[entry.record] > 0 {
                failureReasons.remove(from: Int(reasonCodes[entry.record]) - 1)
                reasonCodes[entry.record] = 0
            }
        }
        if entry.outcome == .failed {
            let group = failureReasons.add(reason: entry.reason ?? Self.unrecordedReason, line: entry.line)
            if entry.record >= reasonCodes.count {
                reasonCodes.append(contentsOf: repeatElement(0, count: entry.record - reasonCodes.count + 1))
            }
            reasonCodes[entry.record] = UInt8(group + 1)
        }
        settled.insert(entry.record)
        let code = Self.code(entry)
        codes[entry.record] = code
        count(code: code, sign: 1)
        if let outputs = entry.outputs { self.outputs = outputs }
        // A row settled after an end line means a newer run is at work: the journal is no longer complete.
        isComplete = false
    }

    /// Adds or removes one row's contribution to the counts.
    private mutating func count(code: UInt8, sign: Int) {
        counts.count(UserOutcome.allCases[Int(code >> 5)], sign: sign)
        counts.count(MembershipOutcome.allCases[Int(code >> 2 & 7)], sign: sign)
        counts.count(FactorOutcome.allCases[Int(code & 3)], sign: sign)
    }

    /// Packs the user, membership and factor outcomes into one byte (bits 5-6, 2-4 and 0-1).
    private static func code(_ entry: JournalEntry) -> UInt8 {
        let outcome = UserOutcome.allCases.firstIndex(of: entry.outcome)!
        let membership = MembershipOutcome.allCases.firstIndex(of: entry.membership)!
        let factor = FactorOutcome.allCases.firstIndex(of: entry.factor)!
        return UInt8(outcome << 5 | membership << 2 | factor)
    }
}
