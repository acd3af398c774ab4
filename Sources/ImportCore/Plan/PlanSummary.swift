#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What `workos-import plan` predicts the import would do, counted as the import's summary counts.
public struct PlanSummary: Sendable, Equatable {
    /// What the import would do, counted as an import counts what it did; `existing` includes rows repeating
    /// an earlier row's email, `notAttempted` the rows a stop left unplanned.
    public var counts = Counts()
    /// What the import would do with the organizations file's rows (`--organizations`); nil without one.
    public var organizationFile: OrganizationFileCounts?
    /// What the import would do with the roles file's rows and permissions (`--roles`); nil without one.
    public var roleFile: RoleFileCounts?
    /// What the import would do with the SSO connection rows (`--sso-connections`); nil without them.
    public var ssoConnections: SSOConnectionCounts?
    public var failuresByReason = FailureTally()
    public var warnings = 0
    public var durationSeconds = 0.0
    /// What the survey read, for the box.
    public var survey = EnvironmentSurvey.Report()
    public var files: [WrittenFile] = []
    /// A stop was asked for: the plan covers only the rows read before it (exit 130).
    public var interrupted = false
    /// The fields of the rows that pass the file's checks (whether or not the plan expects WorkOS to take
    /// them), shown under the box and as `coverage` in `--json`; `nil` when not counted.
    public var coverage: FieldCoverage?

    public init() {}

    /// Every valid row succeeds: exit 0.
    public var allSucceed: Bool {
        counts.failed == 0 && (organizationFile?.failed ?? 0) == 0 && (roleFile?.failed ?? 0) == 0
            && (ssoConnections?.failed ?? 0) == 0
    }
}

extension SummaryFormatter {
    /// The plan's box: what the import would do, with the reasons rows would fail under it.
    public static func box(_ s: PlanSummary, color: Bool = false) -> String {
        let c = s.counts
        var rows = [
            BoxRow("Rows", ReportText.grouped(c.total)),
            BoxRow("Users to create", ReportText.grouped(c.created)),
            BoxRow("Users already there", ReportText.grouped(c.existing)),
            BoxRow("Users to update", ReportText.grouped(c.updated)),
        ]
        if c.organizationsCreated > 0 {
            rows.append(BoxRow("Organizations to create", ReportText.grouped(c.organizationsCreated)))
        }
        rows += organizationFileRows(s.organizationFile, planned: true)
        rows += roleFileRows(s.roleFile, planned: true)
        rows += ssoConnectionRows(s.ssoConnections, planned: true)
        if c.membershipsCreated + c.membershipsExisting + c.membershipsUpdated > 0 {
            rows += [
                BoxRow("Memberships to create", ReportText.grouped(c.membershipsCreated)),
                BoxRow("Memberships already there", ReportText.grouped(c.membershipsExisting)),
                BoxRow("Memberships to update", ReportText.grouped(c.membershipsUpdated)),
            ]
        }
        if c.factorsEnrolled > 0 {
            rows.append(BoxRow("TOTP factors to enroll", ReportText.grouped(c.factorsEnrolled)))
        }
        rows.append(BoxRow("Rows that would fail", ReportText.grouped(c.failed), style: c.failed > 0 ? .red : nil))
        if s.warnings > 0 { rows.append(BoxRow("Warnings", ReportText.grouped(s.warnings), style: .yellow)) }
        if s.interrupted {
            rows.insert(
                BoxRow("Status", "Interrupted: the counts cover the rows read before the stop", style: .yellow), at: 0)
            rows.append(
                BoxRow(
                    "Not planned",
                    "\(ReportText.grouped(s.counts.notAttempted)) (run the same command again for all rows)",
                    style: .yellow))
        }
        rows.append(BoxRow("Pages read first", ReportText.grouped(s.survey.pages)))
        rows.append(BoxRow("Duration", ReportText.duration(s.durationSeconds)))
        rows += s.files.map { BoxRow($0.label, ReportText.singleLine($0.path)) }
        return render(title: "Plan (nothing was written to WorkOS)", rows: rows, color: color)
            + reasons(s.failuresByReason) + (s.coverage?.table ?? "")
    }

    /// The plan's `--json`: total, usersToCreate, usersExisting, usersToUpdate, organizationsToCreate,
    /// membershipsToCreate, membershipsExisting, membershipsToUpdate, factorsToEnroll, failed,
    /// failuresByReason (as for an import), warnings, pagesRead, durationSeconds, interrupted (a stop came
    /// first), notAttempted (rows it left unplanned) and coverage (the valid rows' fields, as `convert` gives
    /// them, or null).
    public static func json(_ s: PlanSummary) -> String {
        encode(PlanSummaryJSON(s))
    }
}

private struct PlanSummaryJSON: Encodable {
    let s: PlanSummary

    init(_ s: PlanSummary) { self.s = s }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try s.counts.encode(.planned, into: &container)
        try container.encodeIfPresent(s.organizationFile, forKey: JSONKey("organizations"))
        try container.encodeIfPresent(s.roleFile, forKey: JSONKey("roles"))
        try container.encodeIfPresent(s.ssoConnections, forKey: JSONKey("ssoConnections"))
        try container.encode(s.failuresByReason.sorted.map(FailureReasonJSON.init), forKey: JSONKey("failuresByReason"))
        try container.encode(s.warnings, forKey: JSONKey("warnings"))
        try container.encode(s.survey.pages, forKey: JSONKey("pagesRead"))
        try container.encode((s.durationSeconds * 1000).rounded() / 1000, forKey: JSONKey("durationSeconds"))
        try container.encode(s.interrupted, forKey: JSONKey("interrupted"))
        try container.encode(s.coverage.map(CoverageJSON.init), forKey: JSONKey("coverage"))
    }
}
