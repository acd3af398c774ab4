import Foundation
import Testing

@testable import ImportCore

/// The report page (`--report`): every run text escaped, the sections it promises, and the chart's series.
@Suite("The report page")
struct ReportPageTests {
    @Test(
        "HTML escaping",
        arguments: [
            ("plain text", "plain text"), ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
            ("a & b", "a &amp; b"), ("\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;"),
            ("bell\u{07}nul\u{00}c1\u{85}", "bell?nul?c1?"), ("tab\tline\n", "tab\tline\n"), ("café ✓", "café ✓"),
        ])
    func escaping(text: String, expected: String) {
        #expect(HTMLText.escape(text) == expected)
    }

    static let key = "sk_test_secret_0123456789"

    static func importReport() -> RunReport {
        var summary = ImportSummary(total: 5, imported: 3, failed: 2, durationSeconds: 4.2)
        summary.failuresByReason.add(reason: "metadata is invalid JSON", line: 4)
        summary.failuresByReason.add(reason: "metadata is invalid JSON", line: 9)
        summary.failuresByReason.add(reason: "<b>bold</b> reason", line: 6)
        var load = LoadSeries(origin: LoadSeriesTests.origin, writeRateLimit: 50)
        for second in 0..<4 {
            load.record(writes: 5, rowsInFlight: second + 1, at: LoadSeriesTests.at(Double(second) + 0.5))
        }
        summary.load = load
        var coverage = FieldCoverage(noun: "row")
        for index in 0..<4 {
            coverage.add(
                emailVerified: true, password: false, passwordHash: nil, firstName: index == 0, lastName: true,
                externalId: false, metadata: false, organization: false, roles: false, totpSecret: false)
        }
        let target = TargetDescription(baseURL: "http://127.0.0.1:8080", apiKey: key, keySource: .environment)
        return RunReport(
            importing: summary, target: target, inputFile: "users <&> \"q\".csv", coverage: coverage,
            generatedAt: Date(timeIntervalSince1970: 1_765_000_000))
    }

    @Test("an import's page has the target's fingerprint, the escaped file name, counts, failures and coverage")
    func importPage() {
        let report = Self.importReport()
        let page = ReportPage.render(report)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("fingerprint \(report.target?.keyFingerprint ?? "?")"))
        #expect(!page.contains(Self.key))
        #expect(page.contains("Import of users &lt;&amp;&gt; &quot;q&quot;.csv"))
        #expect(!page.contains("users <&>"))
        #expect(page.contains("<td>Users created</td><td class=\"n\">3</td>"))
        #expect(page.contains("<td class=\"n\">2</td><td>metadata is invalid JSON</td><td class=\"n\">4</td>"))
        #expect(page.contains("&lt;b&gt;bold&lt;/b&gt; reason"))
        #expect(
            page.contains("<td>first_name</td><td class=\"n\">1</td><td class=\"n\">25%</td><td>most rows lack it</td>")
        )
        #expect(page.contains("class=\"verdict warning\""))
        #expect(!page.contains("id=\"interrupted\""))
    }

    @Test("the page needs nothing from outside: no script, no link, no external address")
    func selfContained() {
        let page = ReportPage.render(Self.importReport())
        #expect(!page.lowercased().contains("<script"))
        #expect(!page.contains("<link"))
        #expect(!page.contains("src="))
        #expect(!page.contains("@import"))
        #expect(page.contains("Content-Security-Policy"))
        let addresses = page.components(separatedBy: "://").dropFirst().map { String($0.prefix(20)) }
        #expect(
            addresses.allSatisfy { $0.hasPrefix("www.w3.org/2000/svg") || $0.hasPrefix("127.0.0.1:8080") },
            "\(addresses)")
    }

    @Test("the chart has both series, the rate limit line, a legend and titles")
    func chart() {
        let page = ReportPage.render(Self.importReport())
        #expect(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(page.contains("<polyline id=\"series-writes\""))
        #expect(page.contains("<polyline id=\"series-rows-in-flight\""))
        #expect(page.contains("<line id=\"rate-limit\""))
        #expect(page.contains("<title>Rate limit: 50.0 writes per second</title>"))
        #expect(page.contains("<g id=\"legend\""))
        #expect(page.contains("<title id=\"chart-title\">Writes per second and rows in flight over 3s"))
        // Four points on the writes line.
        let writes = page.components(separatedBy: "<polyline id=\"series-writes\"")[1]
        let points = writes.components(separatedBy: "points=\"")[1].prefix { $0 != "\"" }
        #expect(points.split(separator: " ").count == 4, "\(points)")
    }

    @Test("a run with one second of load still draws a line; a run without writes says so")
    func shortRuns() {
        var one = LoadSeries(origin: LoadSeriesTests.origin)
        one.record(writes: 3, rowsInFlight: 2, at: LoadSeriesTests.at(0.3))
        #expect(ReportChart.svg(one).contains("points=\"70.0,"))
        #expect(!ReportChart.svg(one).contains("rate-limit"))
        #expect(ReportChart.svg(LoadSeries(origin: LoadSeriesTests.origin)) == "<p>No writes were sent.</p>\n")
    }

    @Test("an interrupted plan says so; verify's differences are listed by kind; no chart without a series")
    func otherCommands() {
        var plan = PlanSummary()
        plan.counts.total = 10
        plan.interrupted = true
        plan.counts.notAttempted = 4
        let planPage = ReportPage.render(
            RunReport(planning: plan, target: nil, inputFile: "u.csv", coverage: nil, generatedAt: Date()))
        #expect(planPage.contains("id=\"interrupted\""))
        #expect(planPage.contains("<td>Not planned</td><td class=\"n\">4</td>"))
        #expect(!planPage.contains("<svg"))
        #expect(!planPage.contains("id=\"coverage\""))
        var verify = VerifySummary()
        verify.total = 3
        verify.drifted = 2
        verify.byKind = ["first_name": 2, "membership-missing": 1]
        let verifyPage = ReportPage.render(
            RunReport(verifying: verify, target: nil, inputFile: "u.csv", coverage: nil, generatedAt: Date()))
        #expect(verifyPage.contains("Differences by kind"))
        #expect(verifyPage.contains("<td class=\"n\">2</td><td>first_name</td>"))
        #expect(verifyPage.contains("class=\"verdict bad\""))
    }

    @Test(
        "tick steps are 1, 2 or 5 times a power of ten",
        arguments: [(0.3, 0.5), (7.0, 10), (12.0, 20), (1.0, 1), (45.0, 50), (0.0, 1)])
    func niceSteps(raw: Double, expected: Double) {
        #expect(abs(ReportChart.niceStep(raw) - expected) < 1e-9)
    }
}
