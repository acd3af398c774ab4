#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Renders the end-of-run summary: a box for people on stdout, or one JSON object for `--json`.
///
/// The box has no colour unless asked for, so it reads the same in a log file. The JSON is one line
/// with sorted keys and a fixed key set, so scripts can depend on it.
public enum SummaryFormatter {
    /// The summary box of a real import (or of a dry run reported as an ``ImportSummary``).
    ///
    /// Not attempted appears only when rows were left over, with the hint to run the command again.
    public static func box(_ s: ImportSummary, dryRun: Bool = false, color: Bool = false) -> String {
        // A stop that left rows unread is what the run is about, whatever the rows read did.
        let c = s.counts
        var status = s.interrupted && c.notAttempted > 0 ? "Interrupted" : statusText(s.status)
        if s.interrupted && c.notAttempted == 0 { status += " (interrupted)" }
        if let failed = s.stoppedAfterFailures { status += " (stopped after \(ReportText.grouped(failed)) failures)" }
        if let reason = s.reason { status += " (\(reason))" }
        var rows: [BoxRow] = [
            BoxRow(
                "Status", status, style: s.interrupted && c.notAttempted > 0 ? .yellow : statusStyle(s.status)),
            BoxRow("Rows succeeded", "\(ReportText.grouped(c.succeeded)) / \(ReportText.grouped(c.total))"),
            BoxRow("Users created", ReportText.grouped(c.created)),
            BoxRow("Already existed", ReportText.grouped(c.existing)),
            BoxRow("Updated", ReportText.grouped(c.updated)),
            BoxRow("Memberships created", ReportText.grouped(c.membershipsCreated)),
        ]
        // Shown when they happened, so a plain import's box stays as short as it was.
        if c.membershipsUpdated > 0 {
            rows.append(BoxRow("Memberships updated", ReportText.grouped(c.membershipsUpdated)))
        }
        if c.organizationsCreated > 0 {
            rows.append(BoxRow("Organizations created", ReportText.grouped(c.organizationsCreated)))
        }
        if c.factorsEnrolled > 0 { rows.append(BoxRow("TOTP factors enrolled", ReportText.grouped(c.factorsEnrolled))) }
        rows += organizationFileRows(s.organizationFile, planned: dryRun)
        rows += roleFileRows(s.roleFile, planned: dryRun)
        rows += ssoConnectionRows(s.ssoConnections)
        rows += [
            BoxRow("Errors", ReportText.grouped(c.failed), style: c.failed > 0 ? .red : nil),
            BoxRow("Warnings", ReportText.grouped(s.warnings), style: s.warnings > 0 ? .yellow : nil),
        ]
        if let ignored = ignoredColumnsRow(s.ignoredColumns) { rows.append(ignored) }
        if c.notAttempted > 0 {
            rows.append(
                BoxRow(
                    "Not attempted",
                    "\(ReportText.grouped(c.notAttempted)) (run the same command again to continue)",
                    style: .yellow))
        }
        rows.append(BoxRow("Duration", ReportText.duration(s.durationSeconds)))
        rows += s.files.map { BoxRow($0.label, ReportText.singleLine($0.path)) }
        let title = dryRun ? "Dry run summary (nothing was sent to WorkOS)" : "Import summary"
        return render(title: title, rows: rows, color: color) + reasons(s.failuresByReason)
    }

    /// The summary box of a `--dry-run`: what a real import would do.
    public static func box(_ s: DryRunSummary, color: Bool = false) -> String {
        let c = s.counts
        var status = statusText(s.status)
        if c.total == 0 { status += " (the file has no data rows)" }
        var rows = [
            BoxRow("Status", status, style: statusStyle(s.status)),
            BoxRow("Rows checked", ReportText.grouped(c.total)),
            BoxRow("Valid rows (users to create)", ReportText.grouped(c.created)),
            BoxRow("Rows repeating an email", ReportText.grouped(c.existing)),
            BoxRow("Memberships to create", ReportText.grouped(c.membershipsCreated)),
            BoxRow("Organization to create", s.organizationToCreate.map(ReportText.singleLine) ?? "none"),
        ]
        if s.organizationsNamed > 0 {
            rows.append(BoxRow("Organizations named by rows", ReportText.grouped(s.organizationsNamed)))
        }
        if c.factorsEnrolled > 0 {
            rows.append(BoxRow("TOTP factors to enroll", ReportText.grouped(c.factorsEnrolled)))
        }
        rows += checkedOrganizationFileRows(s.organizationFile)
        rows += checkedRoleFileRows(s.roleFile)
        rows += ssoConnectionRows(s.ssoConnections, checked: true)
        rows += [
            BoxRow("Invalid rows", ReportText.grouped(c.failed), style: c.failed > 0 ? .red : nil),
            BoxRow("Warnings", ReportText.grouped(s.warnings), style: s.warnings > 0 ? .yellow : nil),
        ]
        if let ignored = ignoredColumnsRow(s.ignoredColumns) { rows.append(ignored) }
        rows.append(BoxRow("Duration", ReportText.duration(s.durationSeconds)))
        rows += s.files.map { BoxRow($0.label, ReportText.singleLine($0.path)) }
        return render(title: "Dry run (no API call made)", rows: rows, color: color) + reasons(s.failuresByReason)
            + (s.coverage?.table ?? "")
    }

    /// Reasons listed under the box before the rest are only counted.
    static let reasonsShown = 10

    /// The failures by reason, under the box: most rows first, at most ``reasonsShown`` of them, e.g.
    /// `  412 rows: metadata is invalid JSON, first at line 17`; empty when nothing failed. A reason whose
    /// numbers were taken out to group it shows the first row's: `  3 rows: expected N fields, found N, first
    /// at line 12 (expected 5 fields, found 4)`, or for one row `  1 row: expected 5 fields, found 4, at line 12`.
    static func reasons(_ tally: FailureTally) -> String {
        let groups = tally.sorted
        guard !groups.isEmpty else { return "" }
        var out = "Failures by reason:\n"
        for group in groups.prefix(reasonsShown) {
            let rows = group.count == 1 ? "1 row" : "\(ReportText.grouped(group.count)) rows"
            var first = group.firstLine.map { group.count == 1 ? ", at line \($0)" : ", first at line \($0)" } ?? ""
            var reason = group.reason
            if let example = group.example {
                if group.count == 1 { reason = example } else { first += " (\(ReportText.singleLine(example)))" }
            }
            out += "  \(rows): \(ReportText.singleLine(reason))\(first)\n"
        }
        if groups.count > reasonsShown {
            let more = groups.count - reasonsShown
            out += "  and \(more) more \(more == 1 ? "reason" : "reasons") (all rows are in --errors-out)\n"
        }
        return out
    }

    /// The `--json` summary: one line, sorted keys, no trailing newline.
    ///
    /// Keys: status, total, imported, alreadyExisted (updated ones included), updated, failed, notAttempted,
    /// membershipsCreated, membershipsUpdated, organizationsCreated, factorsEnrolled, warnings,
    /// stoppedAfterFailures (or null), ignoredColumns (the header columns not
    /// read, `[]` when none), failuresByReason (`[{"count":…,"firstLine":…,"reason":…}]`, most rows first,
    /// then by first line; every reason, `[]` when nothing failed), durationSeconds (rounded to milliseconds).
    public static func json(_ s: ImportSummary) -> String {
        encode(ImportSummaryJSON(s))
    }

    /// The `--json` summary of a dry run: dryRun, status, total, usersToCreate, repeatedEmails,
    /// membershipsToCreate, organizationToCreate (or null), organizationsNamed, factorsToEnroll, failed,
    /// warnings, ignoredColumns,
    /// failuresByReason (as for an import), durationSeconds, coverage (the valid rows' fields, as `convert`
    /// gives them, or null).
    public static func json(_ s: DryRunSummary) -> String {
        encode(DryRunSummaryJSON(s))
    }

    /// The box row naming the columns that were not read, so a misspelt column cannot hide behind a
    /// Success; `nil` when every column was read. Long lists are cut to keep the box narrow.
    private static func ignoredColumnsRow(_ columns: [String]) -> BoxRow? {
        guard !columns.isEmpty else { return nil }
        let names = columns.prefix(5).map { $0.isEmpty ? "(blank name)" : ReportText.singleLine($0) }
        var text = names.joined(separator: ", ")
        if columns.count > 5 { text += " and \(columns.count - 5) more" }
        if text.count > 60 { text = String(text.prefix(59)) + "…" }
        return BoxRow("Ignored columns", text, style: .yellow)
    }

    /// The words shown for a status in the box.
    public static func statusText(_ status: ImportSummary.Status) -> String {
        switch status {
        case .success: return "Success"
        case .completedWithErrors: return "Completed with errors"
        case .failed: return "Failed"
        }
    }

    private static func statusStyle(_ status: ImportSummary.Status) -> AnsiStyle {
        switch status {
        case .success: return .green
        case .completedWithErrors: return .yellow
        case .failed: return .red
        }
    }

    static func encode(_ value: some Encodable) -> String {
        // Plain numbers and strings always encode; the fallback keeps stdout valid JSON regardless.
        DeterministicJSON.string(value)
    }

    struct BoxRow {
        var label: String
        var value: String
        var style: AnsiStyle?

        init(_ label: String, _ value: String, style: AnsiStyle? = nil) {
            self.label = label
            self.value = value
            self.style = style
        }
    }

    static func render(title: String, rows: [BoxRow], color: Bool) -> String {
        let labelWidth = TextColumns.width(of: rows.map(\.label))
        let contentWidth = max(title.count, rows.map { labelWidth + 2 + $0.value.count }.max() ?? 0)
        let rule = String(repeating: "─", count: contentWidth + 2)
        var out = "┌\(rule)┐\n"
        out += "│ \(TextColumns.left(title, width: contentWidth)) │\n"
        out += "├\(rule)┤\n"
        for row in rows {
            // The colour codes take no room: the value is padded by its plain width.
            let value = row.style.map { $0.apply(row.value, enabled: color) } ?? row.value
            let trailing = TextColumns.spaces(contentWidth - labelWidth - 2 - row.value.count)
            out += "│ \(TextColumns.left(row.label, width: labelWidth))  \(value)\(trailing) │\n"
        }
        out += "└\(rule)┘\n"
        return out
    }
}

// The JSON shapes behind `SummaryFormatter.json`, kept private to the formatter.

/// The `--json` summary of an import: the counts in the words of what happened, then the run's own facts.
private struct ImportSummaryJSON: Encodable {
    let s: ImportSummary

    init(_ s: ImportSummary) { self.s = s }

    /// Writes `stoppedAfterFailures` as `null` when the run was not stopped, so the key set is fixed.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try container.encode(s.status, forKey: JSONKey("status"))
        try s.counts.encode(.happened, into: &container)
        try container.encodeIfPresent(s.organizationFile, forKey: JSONKey("organizations"))
        try container.encodeIfPresent(s.roleFile, forKey: JSONKey("roles"))
        try container.encodeIfPresent(s.ssoConnections, forKey: JSONKey("ssoConnections"))
        try container.encode(s.warnings, forKey: JSONKey("warnings"))
        try container.encode(s.stoppedAfterFailures, forKey: JSONKey("stoppedAfterFailures"))
        try container.encode(s.ignoredColumns, forKey: JSONKey("ignoredColumns"))
        try container.encode(s.peakRowsInFlight, forKey: JSONKey("peakRowsInFlight"))
        try container.encode(s.requestTimeouts, forKey: JSONKey("requestTimeouts"))
        try container.encode(s.failuresByReason.sorted.map(FailureReasonJSON.init), forKey: JSONKey("failuresByReason"))
        try container.encode(roundedToMilliseconds(s.durationSeconds), forKey: JSONKey("durationSeconds"))
    }
}

/// One entry of `failuresByReason`; `firstLine` is `null` when the journal of an earlier run did not record
/// the lines of that reason; `example` is the reason as it read on `firstLine` when numbers were taken out
/// of it to group it (`expected 5 fields, found 4`), else `null`.
struct FailureReasonJSON: Encodable {
    let reason: String
    let count: Int
    let firstLine: Int?
    let example: String?

    enum CodingKeys: String, CodingKey {
        case reason, count, firstLine, example
    }

    init(_ group: FailureTally.Group) {
        reason = group.reason
        count = group.count
        firstLine = group.firstLine
        example = group.example
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(reason, forKey: .reason)
        try container.encode(count, forKey: .count)
        try container.encode(firstLine, forKey: .firstLine)
        try container.encode(example, forKey: .example)
    }
}

/// The `--json` summary of a dry run; `dryRun: true` tells it apart from a real import's summary.
private struct DryRunSummaryJSON: Encodable {
    let s: DryRunSummary

    init(_ s: DryRunSummary) { self.s = s }

    /// Writes `organizationToCreate` and `coverage` as `null` when there is none, so the key set is fixed.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try container.encode(true, forKey: JSONKey("dryRun"))
        try container.encode(s.status, forKey: JSONKey("status"))
        try s.counts.encode(.checked, into: &container)
        try container.encodeIfPresent(s.organizationFile, forKey: JSONKey("organizations"))
        try container.encodeIfPresent(s.roleFile, forKey: JSONKey("roles"))
        try container.encodeIfPresent(s.ssoConnections, forKey: JSONKey("ssoConnections"))
        try container.encode(s.organizationToCreate, forKey: JSONKey("organizationToCreate"))
        try container.encode(s.organizationsNamed, forKey: JSONKey("organizationsNamed"))
        try container.encode(s.warnings, forKey: JSONKey("warnings"))
        try container.encode(s.ignoredColumns, forKey: JSONKey("ignoredColumns"))
        try container.encode(s.failuresByReason.sorted.map(FailureReasonJSON.init), forKey: JSONKey("failuresByReason"))
        try container.encode(roundedToMilliseconds(s.durationSeconds), forKey: JSONKey("durationSeconds"))
        try container.encode(s.coverage.map(CoverageJSON.init), forKey: JSONKey("coverage"))
    }
}

/// Keeps durations readable in JSON (`1.234`, not `1.2340000000000002`).
private func roundedToMilliseconds(_ seconds: Double) -> Double {
    guard seconds.isFinite else { return 0 }
    return (seconds * 1000).rounded() / 1000
}
