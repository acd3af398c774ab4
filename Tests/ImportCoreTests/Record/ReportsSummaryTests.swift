import Foundation
import ImportCore
import Testing

@Suite("Reports: summary")
struct ReportsSummaryTests {
    @Test(
        "The status follows the counts; already existed counts as a success",
        arguments: [
            (ImportSummary(total: 3, imported: 3), ImportSummary.Status.success),
            (ImportSummary(total: 3, existing: 3), .success),
            (ImportSummary(total: 3, imported: 1, failed: 2), .completedWithErrors),
            (ImportSummary(total: 3, existing: 1, failed: 2), .completedWithErrors),
            (ImportSummary(total: 3, failed: 3), .failed),
            (ImportSummary(total: 0), .failed),
            (ImportSummary(total: 4, imported: 2, notAttempted: 2, interrupted: true), .success),
        ])
    func status(summary: ImportSummary, expected: ImportSummary.Status) {
        #expect(summary.status == expected)
    }

    @Test(
        "Counts add up only when every row is accounted for once",
        arguments: [
            (ImportSummary(total: 10, imported: 4, existing: 3, failed: 2, notAttempted: 1), true),
            (ImportSummary(total: 10, imported: 4, existing: 3, failed: 2), false),
            (ImportSummary(total: 0), true),
        ])
    func countsAddUp(summary: ImportSummary, addsUp: Bool) {
        #expect(summary.countsAddUp == addsUp)
    }

    @Test("The summary box shows every count: rows succeeded, users created, already existed and updated apart")
    func box() {
        var summary = ImportSummary(
            total: 12_340, imported: 12_000, existing: 200, failed: 40, membershipsCreated: 12_250,
            warnings: 5, durationSeconds: 62.4)
        summary.counts.updated = 100
        summary.files = [WrittenFile(label: "Error file", path: "errors.csv")]
        let box = SummaryFormatter.box(summary)
        let lines = box.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("┌") == true)
        #expect(lines.last?.hasPrefix("└") == true)
        #expect(Set(lines.map(\.count)).count == 1)  // every line the same width
        #expect(box.contains("Status               Completed with errors"))
        #expect(box.contains("Rows succeeded       12,300 / 12,340"))
        #expect(box.contains("Users created        12,000"))
        #expect(box.contains("Already existed      200"))
        #expect(box.contains("Updated              100"))
        #expect(box.contains("Error file           errors.csv"))
        #expect(box.contains("Memberships created  12,250"))
        #expect(box.contains("Errors               40"))
        #expect(box.contains("Warnings             5"))
        #expect(box.contains("Duration             1m 02s"))
        #expect(!box.contains("Not attempted"))
        #expect(!box.contains("\u{1B}["))
    }

    @Test("An interrupted run shows what was not attempted and how to continue")
    func interrupted() {
        let summary = ImportSummary(
            total: 100, imported: 60, failed: 0, notAttempted: 40, durationSeconds: 3, interrupted: true)
        let box = SummaryFormatter.box(summary)
        #expect(box.contains("Status               Interrupted"))
        #expect(!box.contains("Success"))
        #expect(box.contains("Not attempted        40 (run the same command again to continue)"))
    }

    @Test("Colour appears only when asked for")
    func color() {
        let summary = ImportSummary(total: 1, failed: 1)
        #expect(SummaryFormatter.box(summary, color: true).contains("\u{1B}[31mFailed\u{1B}[0m"))
        #expect(!SummaryFormatter.box(summary, color: false).contains("\u{1B}["))
    }

    @Test("The JSON summary is one line with exactly the published keys")
    func json() throws {
        let summary = ImportSummary(
            total: 10, imported: 5, existing: 2, failed: 1, notAttempted: 2, membershipsCreated: 6,
            warnings: 3, durationSeconds: 1.23456, interrupted: true)
        let text = SummaryFormatter.json(summary)
        #expect(!text.contains("\n"))
        let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "status", "total", "imported", "alreadyExisted", "updated", "failed", "notAttempted",
                "membershipsCreated", "warnings", "stoppedAfterFailures", "ignoredColumns", "failuresByReason",
                "peakRowsInFlight", "requestTimeouts", "durationSeconds", "membershipsUpdated", "organizationsCreated",
                "factorsEnrolled",
            ])
        #expect(object["stoppedAfterFailures"] is NSNull)
        #expect(object["ignoredColumns"] as? [String] == [])
        #expect(object["status"] as? String == "completed_with_errors")
        #expect(object["total"] as? Int == 10)
        #expect(object["imported"] as? Int == 5)
        #expect(object["alreadyExisted"] as? Int == 2)
        #expect(object["failed"] as? Int == 1)
        #expect(object["notAttempted"] as? Int == 2)
        #expect(object["membershipsCreated"] as? Int == 6)
        #expect(object["warnings"] as? Int == 3)
        #expect(object["durationSeconds"] as? Double == 1.235)
        #expect(text.hasPrefix("{\"alreadyExisted\":2,"))  // sorted keys
    }

    @Test(
        "The JSON status uses the published words",
        arguments: [
            (ImportSummary(total: 1, imported: 1), "success"),
            (ImportSummary(total: 2, imported: 1, failed: 1), "completed_with_errors"),
            (ImportSummary(total: 1, failed: 1), "failed"),
        ])
    func jsonStatus(summary: ImportSummary, word: String) {
        #expect(SummaryFormatter.json(summary).contains("\"status\":\"\(word)\""))
    }

    @Test("The dry-run box says what a real import would do")
    func dryRunBox() {
        let summary = DryRunSummary(
            total: 1_000, usersToCreate: 990, membershipsToCreate: 990, organizationToCreate: "Acme", failed: 10,
            warnings: 2, durationSeconds: 0.5)
        let box = SummaryFormatter.box(summary)
        #expect(box.contains("Rows checked                  1,000"))
        #expect(box.contains("Valid rows (users to create)  990"))
        #expect(box.contains("Memberships to create         990"))
        #expect(box.contains("Organization to create        Acme"))
        #expect(box.contains("Invalid rows                  10"))
        #expect(box.contains("Warnings                      2"))
        #expect(box.contains("Duration                      0.50s"))
        #expect(SummaryFormatter.box(DryRunSummary(total: 1)).contains("Organization to create        none"))
    }

    @Test("The dry-run JSON has fixed keys, with null when no organization would be created")
    func dryRunJSON() throws {
        let text = SummaryFormatter.json(DryRunSummary(total: 3, usersToCreate: 2, failed: 1))
        let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "dryRun", "status", "total", "usersToCreate", "repeatedEmails", "membershipsToCreate",
                "organizationToCreate", "failed", "warnings", "ignoredColumns", "failuresByReason", "durationSeconds",
                "organizationsNamed", "factorsToEnroll", "coverage",
            ])
        #expect(object["dryRun"] as? Bool == true)
        #expect(object["organizationToCreate"] is NSNull)
        #expect(object["coverage"] is NSNull, "a summary without a count says so, with the key kept")
        #expect(object["status"] as? String == "completed_with_errors")
    }

    @Test("Ignored columns are named in both boxes and in both JSON summaries, and absent when there are none")
    func ignoredColumns() throws {
        var summary = ImportSummary(total: 2, imported: 2, warnings: 2)
        #expect(!SummaryFormatter.box(summary).contains("Ignored columns"))
        summary.ignoredColumns = ["Phone", ""]
        let box = SummaryFormatter.box(summary)
        #expect(box.contains("Ignored columns      Phone, (blank name)"))
        #expect(Set(box.split(separator: "\n").map(\.count)).count == 1)
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(SummaryFormatter.json(summary).utf8)) as? [String: Any])
        #expect(object["ignoredColumns"] as? [String] == ["Phone", ""])

        var dryRun = DryRunSummary(total: 1, usersToCreate: 1, warnings: 7)
        dryRun.ignoredColumns = (1...7).map { "col\($0)" }
        #expect(SummaryFormatter.box(dryRun).contains("col1, col2, col3, col4, col5 and 2 more"))
        let dryObject = try #require(
            JSONSerialization.jsonObject(with: Data(SummaryFormatter.json(dryRun).utf8)) as? [String: Any])
        #expect(dryObject["ignoredColumns"] as? [String] == dryRun.ignoredColumns)
    }
}
