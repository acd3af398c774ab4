/// The counts that describe a finished (or interrupted) import.
///
/// The counts always add up: `total == imported + alreadyExisted + failed + notAttempted`.
/// A resumed run's summary counts the whole file, including rows settled by earlier runs.
public struct ImportSummary: Sendable, Equatable {
    /// The overall verdict shown in the summary box and the JSON summary.
    public enum Status: String, Sendable, Codable {
        /// No row failed and at least one succeeded.
        case success
        /// Some rows failed and some succeeded.
        case completedWithErrors = "completed_with_errors"
        /// Rows failed and none succeeded, or there was nothing to import.
        case failed
    }

    /// Data rows in the file.
    public var total: Int
    /// Users this import created.
    public var imported: Int
    /// Users that were already in WorkOS (counted as successes), updated ones included.
    public var alreadyExisted: Int
    /// Of ``alreadyExisted``, the users `--if-exists update` updated from their row.
    public var updated: Int = 0
    /// Set when `--max-failures` stopped the run: how many rows of this run had failed by then.
    public var stoppedAfterFailures: Int?
    /// The files this run wrote, to name them in the summary.
    public var files: [WrittenFile] = []
    /// Rows that failed for any reason.
    public var failed: Int
    /// Rows never attempted because the import was interrupted.
    public var notAttempted: Int
    /// Organization memberships this import created (reactivated ones included).
    public var membershipsCreated: Int
    /// Existing memberships whose roles `--if-exists update` set to the row's.
    public var membershipsUpdated = 0
    /// Organizations this import created (`--create-org-if-missing`).
    public var organizationsCreated = 0
    /// TOTP factors this import enrolled.
    public var factorsEnrolled = 0
    /// Warnings raised while reading and checking rows.
    public var warnings: Int
    /// Wall-clock duration of this run, in seconds.
    public var durationSeconds: Double
    /// Whether the run was stopped early (Ctrl-C).
    public var interrupted: Bool
    /// Header columns the importer did not read, as written in the file; each is one of ``warnings``.
    public var ignoredColumns: [String] = []
    /// The most rows that were in flight at once in this run.
    public var peakRowsInFlight = 0
    /// Requests of this run that timed out or lost their connection before an answer (each was retried).
    public var requestTimeouts = 0
    /// The failed rows by reason, rows settled by earlier runs of the same journal included.
    public var failuresByReason = FailureTally()

    /// Creates a summary; every count defaults to zero.
    public init(
        total: Int = 0, imported: Int = 0, alreadyExisted: Int = 0, failed: Int = 0, notAttempted: Int = 0,
        membershipsCreated: Int = 0, warnings: Int = 0, durationSeconds: Double = 0, interrupted: Bool = false
    ) {
        self.total = total
        self.imported = imported
        self.alreadyExisted = alreadyExisted
        self.failed = failed
        self.notAttempted = notAttempted
        self.membershipsCreated = membershipsCreated
        self.warnings = warnings
        self.durationSeconds = durationSeconds
        self.interrupted = interrupted
    }

    /// Whether every row is accounted for exactly once: `total` is the sum of the four outcomes.
    public var countsAddUp: Bool {
        total == imported + alreadyExisted + failed + notAttempted
    }

    /// Rows that ended well: created or already there.
    public var succeeded: Int { imported + alreadyExisted }

    /// Why the status is what it is, when the counts alone do not say: a file with no data rows.
    public var reason: String? {
        total == 0 && notAttempted == 0 ? "the file has no data rows" : nil
    }

    /// Success when nothing failed and something succeeded; completed with errors when both;
    /// failed otherwise.
    public var status: Status {
        if failed == 0 && succeeded > 0 { return .success }
        if failed > 0 && succeeded > 0 { return .completedWithErrors }
        return .failed
    }
}

/// What a `--dry-run` found: what a real import would do, with no API call made.
public struct DryRunSummary: Sendable, Equatable {
    /// Data rows in the file.
    public var total: Int
    /// Rows that pass every rule: users a real import would try to create.
    public var usersToCreate: Int
    /// Valid rows that repeat an earlier row's email: a real import finds the user that row creates.
    public var repeatedEmails: Int = 0
    /// Memberships a real import would create (one per valid row in an organization mode).
    public var membershipsToCreate: Int
    /// The organization a real import would create (`--create-org-if-missing`), if any.
    public var organizationToCreate: String?
    /// Organizations the rows name in `org_id` or `org_external_id` columns.
    public var organizationsNamed = 0
    /// TOTP factors a real import would enroll (one per user with a secret, unless one is there already).
    public var factorsToEnroll = 0
    /// Rows that break a rule.
    public var failed: Int
    /// Warnings raised while reading and checking rows.
    public var warnings: Int
    /// Wall-clock duration of the check, in seconds.
    public var durationSeconds: Double
    /// The files this dry run wrote (error and rejects files), to name them in the summary.
    public var files: [WrittenFile] = []
    /// Header columns a real import would not read, as written in the file; each is one of ``warnings``.
    public var ignoredColumns: [String] = []
    /// The rows that break a rule, by reason.
    public var failuresByReason = FailureTally()
    /// The fields the valid rows carry (rows repeating an email included; failed rows are not counted), shown
    /// under the box and as `coverage` in `--json`; `nil` when not counted.
    public var coverage: FieldCoverage?

    /// Creates a dry-run summary; every count defaults to zero.
    public init(
        total: Int = 0, usersToCreate: Int = 0, membershipsToCreate: Int = 0, organizationToCreate: String? = nil,
        failed: Int = 0, warnings: Int = 0, durationSeconds: Double = 0
    ) {
        self.total = total
        self.usersToCreate = usersToCreate
        self.membershipsToCreate = membershipsToCreate
        self.organizationToCreate = organizationToCreate
        self.failed = failed
        self.warnings = warnings
        self.durationSeconds = durationSeconds
    }

    /// The verdict a real import would likely get, by the same rule as ``ImportSummary/status`` with
    /// valid rows counted as successes.
    public var status: ImportSummary.Status {
        let succeeding = usersToCreate + repeatedEmails
        if failed == 0 && succeeding > 0 { return .success }
        if failed > 0 && succeeding > 0 { return .completedWithErrors }
        return .failed
    }
}

/// A file a run wrote, named in the summary so the user knows where to look.
public struct WrittenFile: Sendable, Equatable {
    /// What the file is, e.g. `Error file`.
    public var label: String
    /// The path as the user gave it.
    public var path: String

    /// Names a written file.
    public init(label: String, path: String) {
        self.label = label
        self.path = path
    }
}
