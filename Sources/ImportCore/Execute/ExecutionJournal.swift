/// What the executor reads from, and writes to, the run's journal: which requests an earlier run of the
/// journal had sent when it stopped, and the lines that say a request is about to go out or an organization
/// was made.
///
/// One value replaces a handful of closures that each defaulted to doing nothing, so a caller that forgets
/// journaling no longer compiles and runs: an import makes one from its journal
/// (``ExecutionJournal/init(writingTo:resuming:)``), a plan or a test says ``ExecutionJournal/none``.
public struct ExecutionJournal: Sendable {
    /// Records whose user create an earlier run had sent when it stopped: their create may have taken effect.
    public var usersSent: RecordSet
    /// Records whose membership create an earlier run had sent.
    public var membershipsSent: RecordSet
    /// Records whose factor enrollment an earlier run had sent.
    public var factorsSent: RecordSet
    /// External ids of organizations whose create an earlier run had sent.
    public var organizationsSent: Set<String>
    /// External ids of organizations an earlier run created.
    public var organizationsCreated: Set<String>
    /// Ids of organizations whose update (an organizations file's row) an earlier run had sent.
    public var organizationUpdatesSent: Set<String> = []
    /// Ids of organizations an earlier run updated.
    public var organizationsUpdated: Set<String> = []
    /// What an earlier run of the journal sent, created and updated of a roles file's permissions and roles.
    public var authorization = AuthorizationJournalState()
    /// Ids of SSO connections an earlier run created.
    public var ssoConnectionsCreated: Set<String> = []

    /// The lines the executor writes, or nothing.
    let writer: Writer

    /// Writes the executor's lines to a journal.
    struct Writer: Sendable {
        var userSent: @Sendable (_ record: Int) throws(JournalError) -> Void
        var stepSent: @Sendable (_ record: Int, _ step: SentStep) throws(JournalError) -> Void
        var organizationSent: @Sendable (_ externalId: String) throws(JournalError) -> Void
        var organizationCreated: @Sendable (_ id: String, _ externalId: String) throws(JournalError) -> Void
        var organizationMissing: @Sendable (_ externalId: String) throws(JournalError) -> Void
        var organizationUpdateSent: @Sendable (_ id: String) throws(JournalError) -> Void = { _ in }
        var organizationUpdated: @Sendable (_ id: String) throws(JournalError) -> Void = { _ in }
        var authorization: @Sendable (AuthorizationEntry) throws(JournalError) -> Void = { _ in }
        var ssoSent: @Sendable (_ organizationId: String, _ externalId: String) throws(JournalError) -> Void = { _, _ in
        }
        var ssoConnection:
            @Sendable (_ id: String, _ organizationId: String, _ externalId: String, _ created: Bool)
                throws(JournalError)
                -> Void = { _, _, _, _ in }

        static let nothing = Writer(
            userSent: { _ in }, stepSent: { _, _ in }, organizationSent: { _ in }, organizationCreated: { _, _ in },
            organizationMissing: { _ in })
    }

    init(
        writer: Writer, usersSent: RecordSet = RecordSet(), membershipsSent: RecordSet = RecordSet(),
        factorsSent: RecordSet = RecordSet(), organizationsSent: Set<String> = [],
        organizationsCreated: Set<String> = []
    ) {
        self.writer = writer
        self.usersSent = usersSent
        self.membershipsSent = membershipsSent
        self.factorsSent = factorsSent
        self.organizationsSent = organizationsSent
        self.organizationsCreated = organizationsCreated
    }

    /// No journal: nothing was sent before, nothing is written. A plan's, whose writes are never sent, and
    /// a test's; set the `…Sent` sets to act out what an earlier run had sent.
    public static let none = ExecutionJournal(writer: .nothing)

    /// Writes the executor's lines to `journal`; when the run resumes an earlier one, what that run had sent
    /// and created comes from its `resumed` state.
    public init(writingTo journal: JournalWriter, resuming resumed: JournalState?) {
        var writer = Writer(
            userSent: { record throws(JournalError) in try journal.recordSent(record) },
            stepSent: { record, step throws(JournalError) in try journal.recordSent(record, step: step) },
            organizationSent: { externalId throws(JournalError) in
                try journal.recordOrganizationSent(externalId: externalId)
            },
            organizationCreated: { id, externalId throws(JournalError) in
                try journal.recordOrganizationCreated(id: id, externalId: externalId)
            },
            organizationMissing: { externalId throws(JournalError) in
                try journal.recordOrganizationMissing(externalId: externalId)
            })
        writer.organizationUpdateSent = { id throws(JournalError) in try journal.recordOrganizationUpdateSent(id: id) }
        writer.organizationUpdated = { id throws(JournalError) in try journal.recordOrganizationUpdated(id: id) }
        writer.authorization = { entry throws(JournalError) in try journal.recordAuthorization(entry) }
        writer.ssoSent = { organizationId, externalId throws(JournalError) in
            try journal.recordSSOSent(organizationId: organizationId, externalId: externalId)
        }
        writer.ssoConnection = { id, organizationId, externalId, created throws(JournalError) in
            try journal.recordSSOConnection(
                id: id, organizationId: organizationId, externalId: externalId, created: created)
        }
        self.init(
            writer: writer,
            usersSent: resumed?.sent ?? RecordSet(), membershipsSent: resumed?.membershipsSent ?? RecordSet(),
            factorsSent: resumed?.factorsSent ?? RecordSet(), organizationsSent: resumed?.organizationsSent ?? [],
            organizationsCreated: resumed?.organizationsCreated ?? [])
        organizationUpdatesSent = resumed?.organizationUpdatesSent ?? []
        organizationsUpdated = resumed?.organizationsUpdated ?? []
        authorization = resumed?.authorization ?? AuthorizationJournalState()
        ssoConnectionsCreated = resumed?.ssoConnectionsCreated ?? []
    }

    /// Records a roles file's permission or role about to be sent, or landed.
    func record(_ entry: AuthorizationEntry) throws(JournalError) { try writer.authorization(entry) }

    /// Records that an organization's update is about to be sent.
    func markOrganizationUpdateSent(_ id: String) throws(JournalError) { try writer.organizationUpdateSent(id) }

    /// Records that an organization's update landed.
    func recordOrganizationUpdated(_ id: String) throws(JournalError) { try writer.organizationUpdated(id) }

    /// Records that a row's user create is about to be sent.
    func markUserSent(_ record: Int) throws(JournalError) { try writer.userSent(record) }

    /// Records that a row's membership create or factor enrollment is about to be sent.
    func markSent(_ record: Int, step: SentStep) throws(JournalError) { try writer.stepSent(record, step) }

    /// What the organization directory reads and writes.
    var organizations: OrganizationDirectory.Journal {
        OrganizationDirectory.Journal(
            previouslySent: organizationsSent, previouslyCreated: organizationsCreated,
            markSent: writer.organizationSent, recordCreated: writer.organizationCreated,
            recordMissing: writer.organizationMissing)
    }
}
