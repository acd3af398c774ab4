import ImportCore
import Testing

@Suite("Reports: per-row lines")
struct ReportsRowLineTests {
    @Test(
        "Each row gets one line saying what happened",
        arguments: [
            (
                RowReport(line: 12, recordNumber: 11, email: "alice@example.com", kind: .imported, userId: "user_01H"),
                "✓ line 12  alice@example.com  created user_01H\n"
            ),
            (
                RowReport(
                    line: 3, recordNumber: 2, email: "a@b.co", kind: .imported, userId: "user_1", membership: .created),
                "✓ line 3  a@b.co  created user_1, membership created\n"
            ),
            (
                RowReport(
                    line: 4, recordNumber: 3, email: "c@d.co", kind: .existed, userId: "user_2",
                    membership: .existing),
                "✓ line 4  c@d.co  already existed user_2, already a member\n"
            ),
            (
                RowReport(line: 5, recordNumber: 4, email: "e@f.co", kind: .updated, userId: "user_3"),
                "✓ line 5  e@f.co  updated user_3\n"
            ),
            (
                RowReport(
                    line: 13, recordNumber: 12, email: "bob@", kind: .failed,
                    message: "line 13: email is not valid"),
                "✗ line 13  bob@  line 13: email is not valid\n"
            ),
            (
                RowReport(
                    line: 15, recordNumber: 14, email: "g@h.co", kind: .failed, userId: "user_9",
                    message: "organization membership failed: 404 not found"),
                "✗ line 15  g@h.co  organization membership failed: 404 not found (user user_9)\n"
            ),
            (
                RowReport(
                    line: 16, recordNumber: 15, email: "i@j.co", kind: .failed, userId: "user_7",
                    message: "the user (user_7) is in WorkOS but the membership failed: HTTP 503"),
                "✗ line 16  i@j.co  the user (user_7) is in WorkOS but the membership failed: HTTP 503\n"
            ),
            (
                RowReport(
                    line: 17, recordNumber: 16, email: "k@l.co", kind: .existed, userId: "user_8",
                    message: "line 2 of this file"),
                "✓ line 17  k@l.co  already existed user_8 (line 2 of this file)\n"
            ),
            (
                RowReport(line: 14, recordNumber: 13, email: "", kind: .failed, message: "email is required"),
                "✗ line 14  (no email)  email is required\n"
            ),
        ])
    func lines(report: RowReport, expected: String) {
        #expect(RowLineFormatter.line(for: report) == expected)
    }

    @Test("Text from the file cannot break the line or drive the terminal")
    func sanitized() {
        let report = RowReport(
            line: 2, recordNumber: 1, email: "x@y.z\n\u{1B}[2Jevil", kind: .failed, message: "bad\r\nvalue")
        let line = RowLineFormatter.line(for: report)
        #expect(line == "✗ line 2  x@y.z ?[2Jevil  bad  value\n")
    }

    @Test("A failure's line matches its error-file message")
    func fromFailure() {
        let failure = reportsFailure(email: "bob@", message: "line 2: email is not valid")
        #expect(
            RowLineFormatter.line(for: RowReport(failure: failure)) == "✗ line 2  bob@  line 2: email is not valid\n")
    }

    @Test("Marks are coloured only when asked for")
    func color() {
        let report = RowReport(line: 2, recordNumber: 1, email: "a@b.co", kind: .imported, userId: "u")
        #expect(RowLineFormatter.line(for: report, color: true).hasPrefix("\u{1B}[32m✓\u{1B}[0m"))
    }

    @Test("Warnings get their own line for stderr")
    func warningLine() {
        let warning = RowWarning(
            kind: .metadataCoerced, line: 7, message: "metadata value 42 sent as the string \"42\"\n")
        #expect(RowLineFormatter.line(for: warning) == "! line 7  metadata value 42 sent as the string \"42\" \n")
    }
}
