#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Turns a ``RunReport`` into one self-contained HTML page: inline CSS, the chart as inline SVG, no script,
/// no font, no image and no link to fetch, so it opens the same from a mail attachment on a machine offline.
/// A content security policy that allows nothing but the inline style says so to the browser too.
///
/// Every text that comes from the run (file name, address, reasons, field names) passes ``HTMLText/escape(_:)``.
public enum ReportPage {
    /// The page.
    public static func render(_ report: RunReport) -> String {
        let title = "\(report.command) of \(report.inputFile)"
        var body = "<h1>\(HTMLText.escape(title))</h1>\n"
        body += verdict(report)
        body += facts(report)
        body += section("counts", "Counts", table(["", ""], report.counts.map { [$0.label, $0.value] }, numeric: [1]))
        body += failures(report)
        if let coverage = report.coverage { body += section("coverage", "Field coverage", self.coverage(coverage)) }
        if let load = report.load { body += section("load", "Writes and rows in flight", ReportChart.svg(load)) }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>workos-import: \(HTMLText.escape(title))</title>
            <style>\(style)</style>
            </head>
            <body>
            <main>
            \(body)<footer>Written by workos-import on \(Timestamp.format(report.generatedAt)).</footer>
            </main>
            </body>
            </html>

            """
    }

    private static let style = """
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f6f7f9;\
        margin:0}main{max-width:1080px;margin:0 auto;padding:24px}h1{font-size:24px;margin:0 0 12px}\
        h2{font-size:18px;margin:28px 0 8px}section{background:#fff;border:1px solid #dde1e8;border-radius:8px;\
        padding:4px 18px 14px;margin-top:16px}table{border-collapse:collapse;width:100%}\
        th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceef2;vertical-align:top}\
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.verdict{font-size:20px;font-weight:600;\
        padding:10px 14px;border-radius:8px}.good{background:#e3f5e8;color:#17612f}.warning{background:#fff4d6;\
        color:#7a5400}.bad{background:#fde4e4;color:#8f1d1d}.thin{color:#8f1d1d}dl{display:grid;\
        grid-template-columns:max-content 1fr;gap:4px 16px;margin:12px 0}dt{color:#5a6272}dd{margin:0}\
        footer{color:#5a6272;font-size:13px;margin-top:24px}svg{width:100%;height:auto}
        """

    private static func verdict(_ report: RunReport) -> String {
        var text = report.verdict
        if report.interrupted, report.verdict != "Interrupted" { text += " (interrupted)" }
        var html = "<p class=\"verdict \(report.tone.rawValue)\" id=\"verdict\">\(HTMLText.escape(text))</p>\n"
        if report.interrupted {
            html +=
                "<p id=\"interrupted\">The run was interrupted: the counts cover the rows before the stop. "
                + "Running the same command again continues.</p>\n"
        }
        return html
    }

    /// The target and the file, as a list of terms.
    private static func facts(_ report: RunReport) -> String {
        var items: [(String, String)] = []
        if let target = report.target {
            var line = target.line
            if line.hasPrefix("Target: ") { line.removeFirst("Target: ".count) }
            if line.hasSuffix("\n") { line.removeLast() }
            items.append(("Target", line))
        } else {
            items.append(("Target", "none: nothing was sent"))
        }
        items.append(("File", report.inputFile))
        let list = items.map { "<dt>\(HTMLText.escape($0.0))</dt><dd>\(HTMLText.escape($0.1))</dd>" }
        return "<dl id=\"facts\">\n" + list.joined(separator: "\n") + "\n</dl>\n"
    }

    private static func failures(_ report: RunReport) -> String {
        guard !report.failures.isEmpty else {
            return section("failures", report.failuresTitle, "<p>None.</p>\n")
        }
        let rows = report.failures.map { group in
            [
                ReportText.grouped(group.count), group.reason,
                group.firstLine.map { String($0) } ?? "", group.example ?? "",
            ]
        }
        return section(
            "failures", report.failuresTitle,
            table(["Rows", "Reason", "First line", "As it read there"], rows, numeric: [0, 2]))
    }

    private static func coverage(_ coverage: FieldCoverage) -> String {
        guard coverage.users > 0 else { return "<p>No \(HTMLText.escape(coverage.noun))s counted.</p>\n" }
        let rows = coverage.rows.map { field, count in
            [
                field.name, ReportText.grouped(count), "\(count * 100 / coverage.users)%",
                coverage.isThin(count) ? "most \(coverage.noun)s lack it" : "",
            ]
        }
        let counted = ReportText.counted(coverage.users, coverage.noun, coverage.noun + "s")
        return "<p>Of \(HTMLText.escape(counted)).</p>\n"
            + table(["Field", "Count", "Share", ""], rows, numeric: [1, 2])
    }

    /// A section with its heading.
    static func section(_ id: String, _ title: String, _ content: String) -> String {
        "<section id=\"\(id)\">\n<h2>\(HTMLText.escape(title))</h2>\n\(content)</section>\n"
    }

    /// A table; every cell is escaped, and the cells of the `numeric` columns are right-aligned.
    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int>) -> String {
        var html = "<table>\n"
        if header.contains(where: { !$0.isEmpty }) {
            html += "<tr>"
            for (column, title) in header.enumerated() {
                html += numeric.contains(column) ? "<th class=\"n\">" : "<th>"
                html += HTMLText.escape(title) + "</th>"
            }
            html += "</tr>\n"
        }
        for row in rows {
            html += "<tr>"
            for (column, cell) in row.enumerated() {
                html += numeric.contains(column) ? "<td class=\"n\">" : "<td>"
                html += HTMLText.escape(cell) + "</td>"
            }
            html += "</tr>\n"
        }
        return html + "</table>\n"
    }
}
