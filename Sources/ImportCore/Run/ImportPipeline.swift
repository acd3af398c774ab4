import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Runs an import as a pipeline, read top to bottom:
///
/// 1. **read** records from the CSV file, only as fast as workers free up (backpressure);
/// 2. **check** each record against the row rules (``RowValidator``); a bad row fails on the spot, no API call;
/// 3. **execute** valid rows against WorkOS in a bounded task group (``RowExecutor``), as many rows in flight
///    as the run's ``ConcurrencyControl`` allows at the time;
/// 4. **record** each outcome (``OutcomeRecorder``): counts, journal, error and rejects files, lines, progress.
///
/// Nothing is kept per row beyond the rows in flight and one bit per settled row of a resumed journal, so
/// memory stays flat for any file size. A ``StopSignal`` stops step 1; rows in flight still finish.
public struct ImportPipeline {
    let reader: CSVReader
    let validator: RowValidator
    let recorder: OutcomeRecorder
    let stop: StopSignal
    /// Dates the failures.
    let clock: ImportClock

    public init(
        reader: CSVReader, validator: RowValidator, recorder: OutcomeRecorder, stop: StopSignal,
        clock: ImportClock = .system
    ) {
        self.reader = reader
        self.validator = validator
        self.recorder = recorder
        self.stop = stop
        self.clock = clock
    }

    /// Checks every row with the same rules as an import, without any API call.
    ///
    /// Uses the reader's checked path, which settles rows that certainly pass without building them and
    /// hands every other row to the same ``RowValidator`` an import uses. A row that repeats an earlier row's
    /// email is reported as the import would treat it: with `--if-exists fail` it fails, naming that line;
    /// otherwise it gets a warning and is not counted as a user to create. Those findings come after the
    /// pass, which takes every row's fingerprints for them as it reads the row, so a file is read once unless
    /// some fingerprints repeat.
    ///
    /// - Parameters:
    ///   - duplicates: finds, from the pass's fingerprints, the rows that repeat an earlier row's email.
    ///   - failRepeats: `--if-exists fail`: rows that repeat an email fail.
    ///   - reopen: a fresh reader over the file, to copy the cells of rows that fail for repeating an email.
    /// - Returns: the organizations, memberships and TOTP factors the valid rows imply, and the fields they
    ///   carry (counted in the same pass: a clean row from its bytes, another from the row it checks into).
    @discardableResult
    public func dryRun(
        duplicates: (DuplicateEmails.Fingerprints) throws(ImportError) -> DuplicateEmails = { _ in
            DuplicateEmails()
        }, failRepeats: Bool = false,
        reopen: () throws(ImportError) -> CSVReader
    ) throws(ImportError) -> DryRunIdentities {
        var failed = RecordSet()
        var identities = DryRunIdentities()
        // Rows with their own organization, and rows with a TOTP secret, one bit each; the organizations by
        // a hash of what identifies them (a file names far fewer organizations than users).
        var withOrganization = RecordSet()
        var withFactor = RecordSet()
        var organizations = Set<Int>()
        var fingerprints = DuplicateEmails.Fingerprints(validator: validator, fileSize: reader.fileSize)
        while !stop.isRequested,
            let checked = reader.nextChecked(
                by: validator, fingerprints: &fingerprints, coverage: &identities.coverage)
        {
            switch checked {
            case .clean(let recordNumber, _):
                identities.counts.created += 1
                if recordNumber & 0x3FFF == 0 {
                    recorder.progress(bytesFraction: byteFraction, alsoSettled: identities.counts.created)
                }
            case .validated(let record, let validation):
                if let row = try accept(record, validation) {
                    identities.counts.created += 1
                    identities.coverage.add(row)
                    if let organization = row.organization {
                        withOrganization.insert(row.recordNumber)
                        organizations.insert(organization.key.hashValue)
                    }
                    if row.totp != nil { withFactor.insert(row.recordNumber) }
                } else {
                    failed.insert(record.recordNumber)
                }
            case .malformed(let record, let reason):
                failed.insert(record.recordNumber)
                try recorder.record(
                    failure: parseFailure(record, reason: reason), fields: record.fields, bytes: record.byteRange)
            }
        }
        try checkReadError()
        let found = try duplicates(fingerprints)
        identities.organizations = organizations.count
        identities.counts.membershipsCreated = withOrganization.count
        identities.counts.factorsEnrolled = withFactor.count
        var failing = Set<Int>()
        // Rows warned for repeating an email, in file order: the first few are printed with their email, so
        // the file is read again up to the last of those; the others are only counted.
        var warned: [(record: Int, line: Int, earlierLine: Int)] = []
        for repeated in found.repeatedRecords where !failed.contains(repeated.record) {
            guard !stop.isRequested || repeated.record <= reader.recordsRead else { continue }
            // The user's factor is the first row's; a membership only when the row adds an organization.
            if withFactor.contains(repeated.record) { identities.counts.factorsEnrolled -= 1 }
            if found.addsOrganization(repeated.record) {
                // Another membership of the user an earlier row creates: the usual shape of such a file.
                if found.finding(for: repeated.record) != nil {
                    failing.insert(repeated.record)
                } else {
                    identities.countAsRepeat()
                }
                continue
            }
            if withOrganization.contains(repeated.record) { identities.counts.membershipsCreated -= 1 }
            if failRepeats || found.finding(for: repeated.record) != nil {
                failing.insert(repeated.record)
            } else {
                warned.append((repeated.record, repeated.line, repeated.earlierLine))
                identities.countAsRepeat()
            }
        }
        for (record, _) in found.contradictingRecords where !failed.contains(record) {
            guard !stop.isRequested || record <= reader.recordsRead else { continue }
            failing.insert(record)
        }
        // Warnings the import's own checks across rows would give, or could not settle without WorkOS.
        for (record, conflict) in found.nameConflictRecords where !failed.contains(record) && !failing.contains(record)
        {
            guard !stop.isRequested || record <= reader.recordsRead else { continue }
            recorder.record(warnings: [conflict.warning])
        }
        for (record, candidates) in found.sameOrganizationCandidateRecords
        where !failed.contains(record) && !failing.contains(record) {
            guard !stop.isRequested || record <= reader.recordsRead,
                let earlier = candidates.first(where: \.rolesDiffer)
            else { continue }
            recorder.record(warnings: [Self.mayRepeatWarning(record: record, found: found, earlier: earlier)])
        }
        let shownWarnings = warned.prefix(OutcomeRecorder.warningsShownPerKind)
        let printed = Dictionary(uniqueKeysWithValues: shownWarnings.map { ($0.record, $0.earlierLine) })
        guard !failing.isEmpty || !printed.isEmpty else { return identities }
        let last = max(failing.max() ?? 0, shownWarnings.last?.record ?? 0)
        let again = try reopen()
        while let read = again.next(), read.recordNumber <= last {
            guard case .record(let record) = read else { continue }
            if let earlierLine = printed[record.recordNumber] {
                recorder.record(warnings: [
                    Self.repeatWarning(
                        line: record.line, email: validator.email(in: record), earlierLine: earlierLine)
                ])
                continue
            }
            guard failing.contains(record.recordNumber) else { continue }
            let failure: RowFailure
            if let finding = found.finding(for: record.recordNumber) {
                failure = contradictionFailure(
                    record.recordNumber, line: record.line, email: validator.email(in: record), finding)
            } else if let earlier = found.earlier(than: record.recordNumber) {
                failure = repeatFailure(record, earlierLine: earlier.line)
            } else {
                continue
            }
            identities.counts.created -= 1
            if case .valid(let row, _) = validator.validate(record) { identities.coverage.remove(row) }
            if withOrganization.contains(record.recordNumber), found.addsOrganization(record.recordNumber) {
                identities.counts.membershipsCreated -= 1
            }
            try recorder.record(failure: failure, fields: record.fields, bytes: record.byteRange)
        }
        // Counted like the printed ones; past the limit no message is shown.
        for repeated in warned.dropFirst(shownWarnings.count) {
            recorder.record(warnings: [
                RowWarning(
                    kind: .repeatedEmail, line: repeated.line,
                    message: "the email is also on line \(repeated.earlierLine) of this file")
            ])
        }
        return identities
    }

    /// The dry run's warning for a row that repeats an email: the email once, the line once (the row's
    /// line is printed before the message).
    static func repeatWarning(line: Int, email: String, earlierLine: Int) -> RowWarning {
        RowWarning(
            kind: .repeatedEmail, line: line,
            message: "\(DisplayText.quoted(email, limit: 80)) is also on line \(earlierLine) of this file; this row "
                + "will find the user that line creates")
    }

    /// The dry run's warning for a row whose organization may be an earlier row's named the other way.
    private static func mayRepeatWarning(record: Int, found: DuplicateEmails, earlier: OrganizationCandidate)
        -> RowWarning
    {
        let line = found.repeatLine(of: record) ?? 0
        let column = earlier.column == ImportColumn.orgId.rawValue ? "org_external_id" : "org_id"
        return RowWarning(
            kind: .organizationMayRepeat, line: line,
            message: "repeats the email of line \(earlier.line) with a different role, and its \(column) may name "
                + "the organization that line's \(earlier.column) names; if it does, the import fails this row")
    }

    /// What a dry run reports for a valid row that repeats an email under `--if-exists fail`.
    private func repeatFailure(_ record: CSVRecord, earlierLine: Int) -> RowFailure {
        RowFailure(
            recordNumber: record.recordNumber, line: record.line, email: validator.email(in: record), stage: .user,
            message: "the email is also on line \(earlierLine) of this file, and with --if-exists fail only the "
                + "first row of an email is imported", timestamp: clock.wallNow(),
            reason: "repeats an earlier row's email, and --if-exists is fail")
    }

    /// A row that contradicts an earlier row of the file (``CrossRowFinding``): it fails before any request.
    private func contradictionFailure(
        _ recordNumber: Int, line: Int, email: String, _ finding: CrossRowFinding
    ) -> RowFailure {
        RowFailure(
            recordNumber: recordNumber, line: line, email: email, stage: .validation, message: finding.message,
            timestamp: clock.wallNow(), reason: finding.reason)
    }

    /// What a dry run's valid rows imply: the counts of valid rows live here, not in the recorder, which
    /// counts only what it is given to record.
    public struct DryRunIdentities: Sendable, Equatable {
        /// `created`: valid rows that would create their user; `existing`: valid rows that repeat an earlier
        /// row's email, so they would find that row's user; `membershipsCreated`: rows with their own
        /// organization, one per user and organization; `factorsEnrolled`: one per user with a secret.
        public var counts = Counts()
        /// Organizations the rows name (by `org_id` or `org_external_id`).
        public var organizations = 0
        /// The fields the valid rows carry: every row that passes the file's checks, repeats of an email
        /// included, as many as `counts.created` and `counts.existing` together.
        public var coverage = FieldCoverage(noun: "valid row")

        /// Moves a row counted as a user to create to the rows that repeat an earlier row's email.
        mutating func countAsRepeat() {
            counts.created -= 1
            counts.existing += 1
        }
    }

    /// How a run's rows ended, besides what the recorder counted.
    public struct Outcome: Sendable, Equatable {
        /// Rows left unattempted because the run stopped early.
        public var notAttempted: Int
        /// Set when `--max-failures` stopped the run: how many rows had failed.
        public var stoppedAfterFailures: Int?
        /// With `countingCoverage` (a plan's pass), the fields of the rows this run read that passed the file's
        /// checks, whatever WorkOS then answered; empty otherwise: an import's report counts the whole file,
        /// since a resumed run reads only some of its rows.
        public var coverage = FieldCoverage(noun: "valid row")
    }

    /// Imports every row not already settled, as many at a time as `concurrency` allows.
    ///
    /// The limit is read each time a row could start, so an adaptive limit takes effect as it moves; a limit
    /// that shrinks below the rows in flight lets them finish and starts no new row until it is back under.
    /// Which rows start, and when the run stops starting them, is the ``RowScheduler``'s to say: rows that
    /// share an email are applied one at a time, in file order.
    ///
    /// - Parameters:
    ///   - executor: carries one valid row through WorkOS.
    ///   - concurrency: how many rows may be in flight at once; told how many are. Rows waiting for an
    ///     earlier row of their email wait in a list of their own, at most four times that long.
    ///   - settled: record numbers an earlier run of the same journal already settled; they are skipped.
    ///   - duplicates: the rows that repeat an earlier row's email.
    ///   - maxFailures: when failing rows stop the run.
    ///   - around: runs each row's trip through the executor (a plan sets its own task-local in it).
    /// - Returns: the rows left unattempted, and whether failures stopped the run.
    /// - Throws: ``ImportError/unauthorized(_:)`` or ``ImportError/unreachable(_:)`` when rows fail in a way
    ///   every row would; the rows not settled are left for the next run.
    public func run(
        executor: RowExecutor, concurrency: ConcurrencyControl, settled: RecordSet?,
        duplicates: DuplicateEmails = DuplicateEmails(), maxFailures: FailureLimit = .off,
        countingCoverage: Bool = false, around hook: @escaping RowHook = { _, body in await body() }
    ) async throws(ImportError) -> Outcome {
        var scheduler = RowScheduler<Flight.Pending>(maxFailures: maxFailures, rememberedGroups: Self.rememberedGroups)
        var coverage = FieldCoverage(noun: "valid row")
        let failedBefore = recorder.summary.counts.failed
        var failure: ImportError?
        await withTaskGroup(of: Flight.self) { group in
            func start(_ pending: Flight.Pending) {
                group.addTask(
                    operation: trip(
                        pending, executor: executor, duplicates: duplicates,
                        learnt: scheduler.learnt(group: pending.group), hook: hook))
                concurrency.setRowsInFlight(scheduler.inFlight)
            }
            do throws(ImportError) {
                var exhausted = false
                while true {
                    // Rows whose earlier row has settled go first, in file order.
                    let limit = concurrency.limit
                    for pending in scheduler.releaseHeld(limit: limit, stopping: stop.isRequested) { start(pending) }
                    while !exhausted, !stop.isRequested, scheduler.mayRead(limit: limit) {
                        guard let read = reader.next() else {
                            exhausted = true
                            break
                        }
                        if read.recordNumber & 0x3FF == 0 { recorder.progress(bytesFraction: byteFraction) }
                        if settled?.contains(read.recordNumber) == true { continue }
                        guard let row = try check(read, duplicates) else {
                            scheduler.failedBeforeSending(failedSoFar: recorder.summary.counts.failed - failedBefore)
                            continue
                        }
                        if countingCoverage { coverage.add(row) }
                        let groupOfRow = duplicates.group(of: row.recordNumber)
                        let pending = Flight.Pending(row: row, fields: read.fields, group: groupOfRow)
                        if let ready = scheduler.offer(pending, group: groupOfRow) { start(ready) }
                    }
                    guard let flight = await group.next() else { break }
                    let toRecord = scheduler.settled(group: flight.pending.group, result: flight.result)
                    concurrency.setRowsInFlight(scheduler.inFlight)
                    // A row that halts the run is left unsettled: every other row would fail alike.
                    guard toRecord else { continue }
                    try recorder.record(result: flight.result, row: flight.pending.row, fields: flight.pending.fields)
                    recorder.progress(bytesFraction: byteFraction)
                    scheduler.recorded(
                        failed: flight.result.failure != nil, failedSoFar: recorder.summary.counts.failed - failedBefore
                    )
                }
            } catch {
                // The journal or an output file cannot be written: stop, and let the rows in flight end.
                failure = error
                group.cancelAll()
            }
        }
        if let failure { throw failure }
        var outcome = try finish(scheduler, settled: settled)
        outcome.coverage = coverage
        return outcome
    }

    /// One row's trip through WorkOS, as the task that makes it runs it: inside the hook, a row naming an
    /// earlier row's organization the other way, with another role, fails before its requests (the earlier
    /// row has settled, since rows of one email run in file order); any other row goes to the executor.
    private func trip(
        _ pending: Flight.Pending, executor: RowExecutor, duplicates: DuplicateEmails,
        learnt: RowScheduler<Flight.Pending>.Learnt?, hook: @escaping RowHook
    ) -> @Sendable () async -> Flight {
        let earlier = earlierRow(of: pending, duplicates, learnt: learnt)
        let candidates = duplicates.sameOrganizationCandidates(for: pending.row.recordNumber)
        let offered = OfferedRow(row: pending.row, sharesEmail: pending.group != nil)
        return {
            let result = await hook(offered) {
                if let candidates,
                    let conflict = await executor.sameOrganizationConflict(pending.row, candidates: candidates)
                {
                    return conflict
                }
                return await executor.execute(pending.row, earlier: earlier)
            }
            return Flight(pending: pending, result: result)
        }
    }

    /// Counts the rows a stopped run leaves unattempted, and throws the halt that stopped it, if any.
    private func finish(_ scheduler: RowScheduler<Flight.Pending>, settled: RecordSet?) throws(ImportError)
        -> Outcome
    {
        var notAttempted = scheduler.halted + scheduler.heldCount
        try checkReadError()
        if stop.isRequested || scheduler.isStopped {
            while let read = reader.next() {
                if settled?.contains(read.recordNumber) != true { notAttempted += 1 }
            }
        }
        switch scheduler.halt {
        case .unauthorized(let error): throw .unauthorized(error)
        case .unreachable(let error): throw .unreachable(error)
        case .journal(let error): throw .journal(error)
        case nil: return Outcome(notAttempted: notAttempted, stoppedAfterFailures: scheduler.stoppedAfterFailures)
        }
    }

    /// What the pipeline knows about the earlier row of a row's email, when the row repeats one.
    private func earlierRow(
        of pending: Flight.Pending, _ duplicates: DuplicateEmails, learnt: RowScheduler<Flight.Pending>.Learnt?
    ) -> RowExecutor.EarlierRow? {
        let record = pending.row.recordNumber
        return duplicates.earlier(than: record).map { earlier in
            RowExecutor.EarlierRow(
                line: earlier.line, userId: learnt?.userId, createdByThisImport: learnt?.createdByThisImport ?? false,
                factorSettled: learnt?.factorSettled ?? false, addsOrganization: duplicates.addsOrganization(record))
        }
    }

    /// A row as the pipeline offers it to a ``RowHook``.
    public struct OfferedRow: Sendable {
        public var row: ImportRow
        /// The row's email is on another row of the file too.
        public var sharesEmail: Bool
    }

    /// Runs one row's trip through the executor (`body`) and returns its result: the place a mode that is not
    /// an import (a plan) hooks into each row, without the core knowing of it.
    public typealias RowHook = @Sendable (_ row: OfferedRow, _ body: () async -> RowResult) async -> RowResult

    /// How many groups of rows sharing an email are remembered after they settled.
    static let rememberedGroups = 65_536

    /// One row's trip through WorkOS, returned to the collecting task.
    private struct Flight: Sendable {
        /// A valid row on its way: waiting for an earlier row of its email, or about to start.
        struct Pending: Sendable {
            var row: ImportRow
            var fields: [String]
            /// The first record of the row's email when the email is on several rows.
            var group: Int?
        }

        var pending: Pending
        var result: RowResult
    }

    /// Applies the row rules and the checks across rows; records a failure and returns `nil` when the row
    /// cannot be sent.
    private func check(_ read: CSVReadResult, _ duplicates: DuplicateEmails) throws(ImportError) -> ImportRow? {
        switch read {
        case .malformed(let record, let reason):
            try recorder.record(
                failure: parseFailure(record, reason: reason), fields: record.fields, bytes: record.byteRange)
            return nil
        case .record(let record):
            guard var row = try accept(record, validator.validate(record)) else { return nil }
            if let finding = duplicates.finding(for: row.recordNumber) {
                try recorder.record(
                    failure: contradictionFailure(row.recordNumber, line: row.line, email: row.email, finding),
                    fields: record.fields, bytes: record.byteRange)
                return nil
            }
            // An organization has one name, the first the file gives it, whichever row reaches WorkOS first; a
            // row without one can create it too.
            if case .externalId(let externalId, let name)? = row.organization,
                let fileName = duplicates.organizationName(forExternalId: externalId), fileName != name
            {
                row.organization = .externalId(externalId, name: fileName)
            }
            if let conflict = duplicates.organizationNameConflict(for: row.recordNumber) {
                recorder.record(warnings: [conflict.warning])
            }
            return row
        }
    }

    /// Records a checked row's warnings, and its failure when it broke a rule; returns the row when it passed.
    private func accept(_ record: CSVRecord, _ validation: RowValidation) throws(ImportError) -> ImportRow? {
        recorder.record(warnings: validation.warnings)
        switch validation {
        case .valid(let row, _):
            return row
        case .invalid(let problem, _):
            try recorder.record(failure: validationFailure(problem), fields: record.fields, bytes: record.byteRange)
            return nil
        }
    }

    private var byteFraction: Double? {
        reader.fileSize > 0 ? Double(reader.bytesConsumed) / Double(reader.fileSize) : nil
    }

    private func parseFailure(_ record: CSVRecord, reason: String) -> RowFailure {
        let problem = validator.problem(forMalformed: record, reason: reason)
        return RowFailure(
            recordNumber: problem.recordNumber, line: problem.line, email: problem.email, stage: .parse,
            message: problem.message, timestamp: clock.wallNow(), reason: problem.reason)
    }

    /// A read error in the middle of the file (an I/O error, not a bad row) stops the import.
    private func checkReadError() throws(ImportError) {
        if let error = reader.readError { throw .csv(error) }
    }

    private func validationFailure(_ problem: RowProblem) -> RowFailure {
        RowFailure(
            recordNumber: problem.recordNumber, line: problem.line, email: problem.email, stage: .validation,
            message: problem.message, timestamp: clock.wallNow(), reason: problem.reason)
    }
}

extension CSVReadResult {
    /// The record number of the record read, valid or not.
    var recordNumber: Int {
        switch self {
        case .record(let record), .malformed(let record, _): record.recordNumber
        }
    }

    /// The raw fields of the record read.
    var fields: [String] {
        switch self {
        case .record(let record), .malformed(let record, _): record.fields
        }
    }
}
