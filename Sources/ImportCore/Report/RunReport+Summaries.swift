#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension RunReport {
    /// The tone of an import's (or a dry run's, or a plan's) status.
    static func tone(_ status: ImportSummary.Status) -> Tone {
        switch status {
        case .success: .good
        case .completedWithErrors: .warning
        case .failed: .bad
        }
    }

    /// The counts in the words of `tense`, as the page lists them.
    static func counts(_ counts: Counts, _ tense: Counts.Tense) -> [Count] {
        counts.labelled(tense).map { Count($0.label, ReportText.grouped($0.value)) }
    }

    /// An import's page: its counts, failures and load over time.
    public init(
        importing s: ImportSummary, target: TargetDescription?, inputFile: String, coverage: FieldCoverage?,
        generatedAt: Date
    ) {
        let stopped = s.interrupted && s.counts.notAttempted > 0
        self.init(
            command: "Import", target: target, inputFile: inputFile,
            verdict: stopped ? "Interrupted" : SummaryFormatter.statusText(s.status),
            tone: stopped ? .warning : Self.tone(s.status), generatedAt: generatedAt)
        interrupted = s.interrupted
        let rows = "\(ReportText.grouped(s.counts.succeeded)) / \(ReportText.grouped(s.counts.total))"
        counts =
            [Count("Rows succeeded", rows)] + Self.counts(s.counts, .happened) + [
                Count("Warnings", ReportText.grouped(s.warnings)),
                Count("Most rows in flight", ReportText.grouped(s.peakRowsInFlight)),
                Count("Requests timed out (retried)", ReportText.grouped(s.requestTimeouts)),
                Count("Duration", ReportText.duration(s.durationSeconds)),
            ]
        failures = s.failuresByReason.sorted
        self.coverage = coverage
        load = s.load
    }

    /// A dry run's page: what a real import would do, with no target (it calls nothing).
    public init(dryRun s: DryRunSummary, inputFile: String, coverage: FieldCoverage?, generatedAt: Date) {
        self.init(
            command: "Dry run", target: nil, inputFile: inputFile, verdict: SummaryFormatter.statusText(s.status),
            tone: Self.tone(s.status), generatedAt: generatedAt)
        counts =
            [Count("Rows checked", ReportText.grouped(s.counts.total))] + Self.counts(s.counts, .checked) + [
                Count("Warnings", ReportText.grouped(s.warnings)),
                Count("Duration", ReportText.duration(s.durationSeconds)),
            ]
        failures = s.failuresByReason.sorted
        self.coverage = coverage
    }

    /// A plan's page: what the import would do in the target, nothing written there.
    public init(
        planning s: PlanSummary, target: TargetDescription?, inputFile: String, coverage: FieldCoverage?,
        generatedAt: Date
    ) {
        self.init(
            command: "Plan", target: target, inputFile: inputFile,
            verdict: s.interrupted ? "Interrupted" : s.allSucceed ? "Every row would succeed" : "Some rows would fail",
            tone: s.interrupted || !s.allSucceed ? .warning : .good, generatedAt: generatedAt)
        interrupted = s.interrupted
        counts =
            [Count("Rows", ReportText.grouped(s.counts.total))] + Self.counts(s.counts, .planned) + [
                Count("Warnings", ReportText.grouped(s.warnings)),
                Count("Pages read first", ReportText.grouped(s.survey.pages)),
                Count("Duration", ReportText.duration(s.durationSeconds)),
            ]
        failuresTitle = "Rows that would fail, by reason"
        failures = s.failuresByReason.sorted
        self.coverage = coverage
    }

    /// A verify's page: whether WorkOS holds the file, and the differences by kind.
    public init(
        verifying s: VerifySummary, target: TargetDescription?, inputFile: String, coverage: FieldCoverage?,
        generatedAt: Date
    ) {
        self.init(
            command: "Verify", target: target, inputFile: inputFile,
            verdict: s.interrupted
                ? "Interrupted" : s.drifted == 0 ? "WorkOS holds every row" : "WorkOS differs from the file",
            tone: s.interrupted ? .warning : s.drifted == 0 ? .good : .bad, generatedAt: generatedAt)
        interrupted = s.interrupted
        counts = [
            Count("Rows", ReportText.grouped(s.total)),
            Count("Matching", ReportText.grouped(s.matching)),
            Count("Drifted", ReportText.grouped(s.drifted)),
            Count("Pages read first", ReportText.grouped(s.survey.pages)),
            Count("Duration", ReportText.duration(s.durationSeconds)),
        ]
        failuresTitle = "Differences by kind"
        failures = s.byKind.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map {
            FailureTally.Group(reason: $0.key, count: $0.value, firstLine: nil)
        }
        self.coverage = coverage
    }
}
