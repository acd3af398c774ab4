/// Formats the one line per row printed on stdout (unless `--quiet`).
///
/// Examples: `✓ line 12  alice@example.com  created user_01H…, membership created` and
/// `✗ line 13  bob@  line 13: email is not valid`. Text from the file is flattened to one line and
/// stripped of control characters, so a crafted CSV cannot break the output or drive the terminal.
public enum RowLineFormatter {
    /// The line for `outcome`, with a trailing newline; coloured only when `color` is true.
    public static func line(for outcome: RowReport, color: Bool = false) -> String {
        let email = outcome.email.isEmpty ? "(no email)" : ReportText.singleLine(outcome.email)
        let mark: String
        var detail: String
        switch outcome.kind {
        case .imported:
            mark = AnsiStyle.green.apply("✓", enabled: color)
            detail = "created"
        case .existed:
            mark = AnsiStyle.green.apply("✓", enabled: color)
            detail = "already existed"
        case .updated:
            mark = AnsiStyle.green.apply("✓", enabled: color)
            detail = "updated"
        case .failed:
            mark = AnsiStyle.red.apply("✗", enabled: color)
            detail = ReportText.singleLine(outcome.message ?? "failed")
            // A membership failure leaves a real user behind; its id helps the user fix things by hand, unless
            // the message already names it.
            if let userId = outcome.userId, !detail.contains(userId) {
                detail += " (user \(ReportText.singleLine(userId)))"
            }
            if let organization = outcome.organization, !detail.contains(organization) {
                detail += " (organization \(ReportText.singleLine(organization)))"
            }
        }
        if outcome.kind != .failed {
            if let userId = outcome.userId { detail += " " + ReportText.singleLine(userId) }
            let organization = outcome.organization.map { ReportText.singleLine($0) }
            switch outcome.membership {
            case .created: detail += ", membership created" + (organization.map { " in \($0)" } ?? "")
            case .existing: detail += ", already a member" + (organization.map { " of \($0)" } ?? "")
            case .reactivated: detail += ", membership reactivated" + (organization.map { " in \($0)" } ?? "")
            case .rolesUpdated: detail += ", roles updated" + (organization.map { " in \($0)" } ?? "")
            case .none: break
            }
            switch outcome.factor {
            case .enrolled: detail += ", TOTP factor enrolled"
            case .existing: detail += ", TOTP factor already there"
            case .none: break
            }
            if let message = outcome.message, !message.isEmpty {
                detail += " " + AnsiStyle.dim.apply("(\(ReportText.singleLine(message)))", enabled: color)
            }
        }
        if outcome.kind == .failed {
            // Among thousands of successes a failure must stand out: the whole line is red on a terminal.
            return AnsiStyle.red.apply("\(mark) line \(outcome.line)  \(email)  \(detail)", enabled: color) + "\n"
        }
        return "\(mark) line \(outcome.line)  \(email)  \(detail)\n"
    }

    /// The stderr line for a warning, e.g. `! line 7  metadata value 42 sent as the string "42"`.
    public static func line(for warning: RowWarning, color: Bool = false) -> String {
        let mark = AnsiStyle.yellow.apply("!", enabled: color)
        // The line is printed once, before the message, whether or not the message names it too.
        var message = Substring(warning.message)
        if message.hasPrefix("line \(warning.line): ") { message = message.dropFirst("line \(warning.line): ".count) }
        return "\(mark) line \(warning.line)  \(ReportText.singleLine(String(message)))\n"
    }
}
