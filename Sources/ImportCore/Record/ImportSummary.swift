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

        /// The verdict for rows that ended well and rows that failed.
        init(succeeded: Int, failed: Int) {
            switch (succeeded > 0, failed > 0) {
            case (true, false): self = .success
            case (true, true): self = .completedWithErrors
            case (false, _): self = .failed
            }
        }
    }

    /// What the run did: users, memberships, organizations, factors, failed and unattempted rows. A resumed
    /// run's counts include the rows settled by earlier runs of the journal.
    public var counts = Counts()
    /// Set when `--max-failures` stopped the run: how many rows of this run had failed by then.
    public var stoppedAfterFailures: Int?
    /// The files this run wrote, to name them in the summary.
    public var files: [WrittenFile] = []
    /// What became of the organizations file's rows (`--organizations`); nil without one.
    public var organizationFile: OrganizationFileCounts?
    /// What became of the roles file's rows and permissions (`--roles`); nil without one.
    public var roleFile: RoleFileCounts?
    /// What became of the SSO connection rows (`--sso-connections`); nil without them.
    public var ssoConnections: SSOConnectionCounts?
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
    /// This run's writes per second and rows in flight over time, for the report page's chart.
    public var load: LoadSeries?

    /// Creates a summary; every count defaults to zero. `existing` counts users left as they were.
    public init(
        total: Int = 0, imported: Int = 0, existing: Int = 0, failed: Int = 0, notAttempted: Int = 0,
        membershipsCreated: Int = 0, warnings: Int = 0, durationSeconds: Double = 0, interrupted: Bool = false
    ) {
        counts.total = total
        counts.created = imported
        counts.existing = existing
        counts.failed = failed
        counts.notAttempted = notAttempted
        counts.membershipsCreated = membershipsCreated
        self.warnings = warnings
        self.durationSeconds = durationSeconds
        self.interrupted = interrupted
    }

    /// Whether every row is accounted for exactly once: `total` is the sum of the outcomes.
    public var countsAddUp: Bool { counts.addUp }

    /// Why the status is what it is, when the counts alone do not say: a file with no data rows.
    public var reason: String? {
        counts.total == 0 && counts.notAttempted == 0 ? "the file has no data rows" : nil
    }

    /// Success when nothing failed and something succeeded; completed with errors when both;
    /// failed otherwise.
    public var status: Status { Status(succeeded: counts.succeeded, failed: counts.failed) }
}

/// What a `--dry-run` found: what a real import would do, with no API call made.
public struct DryRunSummary: Sendable, Equatable {
    /// What a real import would do as far as the file alone tells: `created` counts the valid rows (users
    /// to create), `existing` the valid rows that repeat an earlier row's email (a real import finds the
    /// user that row creates), `membershipsCreated` one per valid row in an organization mode,
    /// `factorsEnrolled` one per user with a TOTP secret.
    public var counts = Counts()
    /// The organization a real import would create (`--create-org-if-missing`), if any.
    public var organizationToCreate: String?
    /// Organizations the rows name in `org_id` or `org_external_id` columns.
    public var organizationsNamed = 0
    /// The organizations file's rows and those that break a rule (`--organizations`); nil without one.
    public var organizationFile: OrganizationFileCounts?
    /// The roles file's rows and those that break a rule (`--roles`); nil without one.
    public var roleFile: RoleFileCounts?
    /// The SSO connection rows and those that break a rule (`--sso-connections`); nil without them.
    public var ssoConnections: SSOConnectionCounts?
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
        counts.total = total
        counts.created = usersToCreate
        counts.membershipsCreated = membershipsToCreate
        self.organizationToCreate = organizationToCreate
        counts.failed = failed
        self.warnings = warnings
        self.durationSeconds = durationSeconds
    }

    /// The verdict a real import would likely get, by the same rule as ``ImportSummary/status`` with
    /// valid rows counted as successes.
    public var status: ImportSummary.Status {
        ImportSummary.Status(succeeded: counts.succeeded, failed: counts.failed)
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
