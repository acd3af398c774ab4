import ArgumentParser
import ImportCore
import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `workos-import verify`: checks that WorkOS holds what a file says, writing nothing there.
///
/// Only wiring lives here: the work is ``ImportRun/verify(out:onDrift:)``.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that WorkOS holds what a file says, and list every difference.",
        discussion: """
            Takes the import's file and flags, reads back each row's user, organization, membership and \
            roles, and TOTP factor, and reports what differs: a missing user, membership or factor, a field \
            (first_name, last_name, email_verified, external_id, metadata) or roles that differ. Passwords \
            cannot be read back and are not checked.

            Examples:
              workos-import verify --csv users.csv --org-external-id acme
              workos-import verify --csv users.csv --out drift.csv --json

            Exit codes: 0 WorkOS holds every row; 1 something differs (or a row cannot be read or checked); \
            2 usage or configuration error; 130 interrupted (Ctrl-C, SIGTERM or SIGHUP: the rows in flight \
            are checked, the summary covers the rows checked before the stop).
            """
    )

    @OptionGroup var options: ReadOnlyOptions

    @Option(help: "Write each difference here (CSV: line, email, difference, expected, found).")
    var out: String?

    @Option(
        name: .customLong("sso-checklist"),
        help:
            "Also read back the SSO connections of this cutover checklist (the import's --sso-out): a missing connection, another protocol or another organization is a difference."
    )
    var ssoChecklist: String?

    @Flag(help: "No line per drifted row; only the summary.")
    var quiet = false

    @Flag(help: "Print only one JSON summary object on stdout.")
    var json = false

    @OptionGroup var report: ReportOption
    @OptionGroup var organizationFile: OrganizationFileOptions
    @OptionGroup var roleFile: RoleFileOptions

    func validate() throws {
        try options.validate(command: "verify", out: out)
        try organizationFile.validate(input: options.input)
        try roleFile.validate(input: options.input)
        try report.validate(input: options.input.csvPath, outputs: out.map { [("--out", $0)] } ?? [])
    }

    func run() async throws {
        let stdout = StandardOutput()
        let lines = !quiet && !json
        let stderr = StandardError()
        let counting = report.report != nil
        let (verified, target) = try await options.withRun(
            stdout: stdout, stderr: stderr, organizationFile: organizationFile, roleFile: roleFile,
            ssoChecklist: ssoChecklist
        ) { run in
            await captureFatal { () throws(ImportError) in
                let summary = try await run.verify(out: out) { drift in
                    if lines { stdout.write(SummaryFormatter.line(drift)) }
                }
                return (summary, counting ? run.fileCoverage() : nil)
            }
        }
        let summary = verified.0
        stdout.write(
            json
                ? target.json(SummaryFormatter.json(summary)) + "\n"
                : SummaryFormatter.box(summary, color: TerminalDetection.useColor(for: 1)))
        let written = report.write(
            {
                RunReport(
                    verifying: summary, target: target.described, inputFile: options.input.csvPath,
                    coverage: verified.1, generatedAt: Date())
            }, stderr: stderr)
        guard written else { throw ExitCode(2) }
        if summary.interrupted { throw ExitCode(130) }
        throw ExitCode(summary.drifted == 0 ? 0 : 1)
    }
}
