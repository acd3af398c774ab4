#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What `workos-import plan` predicts the import would do, counted as the import's summary counts.
public struct PlanSummary: Sendable, Equatable {
    public var total = 0
    public var usersToCreate = 0
    /// Users found in place and left as they are (rows repeating an earlier row's email included).
    public var usersExisting = 0
    public var usersToUpdate = 0
    public var organizationsToCreate = 0
    /// Memberships to create or reactivate.
    public var membershipsToCreate = 0
    public var membershipsExisting = 0
    public var membershipsToUpdate = 0
    public var factorsToEnroll = 0
    public var failed = 0
    public var failuresByReason = FailureTally()
    public var warnings = 0
    public var durationSeconds = 0.0
    /// What the survey read, for the box.
    public var survey = EnvironmentSurvey.Report()
    public var files: [WrittenFile] = []
    /// Rows not planned because a stop (Ctrl-C, SIGTERM, SIGHUP) came first.
    public var notAttempted = 0
    /// A stop was asked for: the plan covers only the rows read before it (exit 130).
    public var interrupted = false
    /// The fields of the rows that pass the file's checks (whether or not the plan expects WorkOS to take
    /// them), shown under the box and as `coverage` in `--json`; `nil` when not counted.
    public var coverage: FieldCoverage?

    public init() {}

    /// Every valid row succeeds: exit 0.
    public var allSucceed: Bool { failed == 0 }
}

extension SummaryFormatter {
    /// The plan's box: what the import would do, with the reasons rows would fail under it.
    public static func box(_ s: PlanSummary, color: Bool = false) -> String {
        var rows = [
            BoxRow("Rows", ReportText.grouped(s.total)),
            BoxRow("Users to create", ReportText.grouped(s.usersToCreate)),
            BoxRow("Users already there", ReportText.grouped(s.usersExisting)),
            BoxRow("Users to update", ReportText.grouped(s.usersToUpdate)),
        ]
        if s.organizationsToCreate > 0 {
            rows.append(BoxRow("Organizations to create", ReportText.grouped(s.organizationsToCreate)))
        }
        if s.membershipsToCreate + s.membershipsExisting + s.membershipsToUpdate > 0 {
            rows += [
                BoxRow("Memberships to create", ReportText.grouped(s.membershipsToCreate)),
                BoxRow("Memberships already there", ReportText.grouped(s.membershipsExisting)),
                BoxRow("Memberships to update", ReportText.grouped(s.membershipsToUpdate)),
            ]
        }
        if s.factorsToEnroll > 0 {
            rows.append(BoxRow("TOTP factors to enroll", ReportText.grouped(s.factorsToEnroll)))
        }
        rows.append(BoxRow("Rows that would fail", ReportText.grouped(s.failed), style: s.failed > 0 ? .red : nil))
        if s.warnings > 0 { rows.append(BoxRow("Warnings", ReportText.grouped(s.warnings), style: .yellow)) }
        if s.interrupted {
            rows.insert(
                BoxRow("Status", "Interrupted: the counts cover the rows read before the stop", style: .yellow), at: 0)
            rows.append(
                BoxRow(
                    "Not planned", "\(ReportText.grouped(s.notAttempted)) (run the same command again for all rows)",
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

    enum CodingKeys: String, CodingKey {
        case total, usersToCreate, usersExisting, usersToUpdate, organizationsToCreate, membershipsToCreate
        case membershipsExisting, membershipsToUpdate, factorsToEnroll, failed, failuresByReason, warnings
        case pagesRead, durationSeconds, interrupted, notAttempted, coverage
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(s.total, forKey: .total)
        try container.encode(s.usersToCreate, forKey: .usersToCreate)
        try container.encode(s.usersExisting, forKey: .usersExisting)
        try container.encode(s.usersToUpdate, forKey: .usersToUpdate)
        try container.encode(s.organizationsToCreate, forKey: .organizationsToCreate)
        try container.encode(s.membershipsToCreate, forKey: .membershipsToCreate)
        try container.encode(s.membershipsExisting, forKey: .membershipsExisting)
        try container.encode(s.membershipsToUpdate, forKey: .membershipsToUpdate)
        try container.encode(s.factorsToEnroll, forKey: .factorsToEnroll)
        try container.encode(s.failed, forKey: .failed)
        try container.encode(s.failuresByReason.sorted.map(FailureReasonJSON.init), forKey: .failuresByReason)
        try container.encode(s.warnings, forKey: .warnings)
        try container.encode(s.survey.pages, forKey: .pagesRead)
        try container.encode((s.durationSeconds * 1000).rounded() / 1000, forKey: .durationSeconds)
        try container.encode(s.interrupted, forKey: .interrupted)
        try container.encode(s.notAttempted, forKey: .notAttempted)
        try container.encode(s.coverage.map(CoverageJSON.init), forKey: .coverage)
    }
}
