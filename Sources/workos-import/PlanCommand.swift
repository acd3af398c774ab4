import ArgumentParser
import ImportCore
import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `workos-import plan`: what the import of a file would do in the live environment, with nothing written.
///
/// Only wiring lives here: the work is ``ImportRun/plan(out:)``.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what an import would do in WorkOS, row by row, writing nothing there.",
        discussion: """
            Takes the import's file and flags. Reads what the environment holds (paging through its users \
            and the organizations' memberships when the file is large, one look-up per row when it is small) \
            and runs the import's own rules against it, with every write answered instead of sent.

            Examples:
              workos-import plan --csv users.csv --org-external-id acme
              workos-import plan --csv users.csv --if-exists update --out plan.csv --json

            Exit codes: 0 every row would succeed; 1 some row would fail; 2 usage or configuration error; \
            130 interrupted (Ctrl-C, SIGTERM or SIGHUP: the rows in flight finish, the summary covers the \
            rows read before the stop).
            """
    )

    @OptionGroup var options: ReadOnlyOptions
    @OptionGroup var organizationFile: OrganizationFileOptions
    @OptionGroup var roleFile: RoleFileOptions
    @OptionGroup var sso: SSOInputOptions

    @Option(
        help:
            "Write each row's prediction here (CSV: line, email, user, organization, membership, factor, changes, reason)."
    )
    var out: String?

    @Flag(help: "Print only one JSON summary object on stdout.")
    var json = false

    @OptionGroup var report: ReportOption

    func validate() throws {
        try options.validate(command: "plan", out: out)
        try report.validate(input: options.input.csvPath, outputs: out.map { [("--out", $0)] } ?? [])
        try organizationFile.validate(input: options.input)
        try roleFile.validate(input: options.input)
        try sso.validate(input: options.input)
    }

    func run() async throws {
        let stdout = StandardOutput()
        let stderr = StandardError()
        let (summary, target) = try await options.withRun(
            stdout: stdout, stderr: stderr, organizationFile: organizationFile, roleFile: roleFile, sso: sso
        ) { run in
            await captureFatal { () throws(ImportError) in try await run.plan(out: out) }
        }
        stdout.write(
            json
                ? target.json(SummaryFormatter.json(summary)) + "\n"
                : SummaryFormatter.box(summary, color: TerminalDetection.useColor(for: 1)))
        let written = report.write(
            {
                RunReport(
                    planning: summary, target: target.described, inputFile: options.input.csvPath,
                    coverage: summary.coverage, generatedAt: Date())
            }, stderr: stderr)
        guard written else { throw ExitCode(2) }
        if summary.interrupted { throw ExitCode(130) }
        throw ExitCode(summary.allSucceed ? 0 : 1)
    }
}
