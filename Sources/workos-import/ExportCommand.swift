import ArgumentParser
import ImportCore
import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `workos-import export --out users.csv`: writes an environment's users, with their memberships and roles,
/// as a CSV file the import reads as it is.
///
/// Only wiring lives here: the work is ``ExportRun``.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every user of a WorkOS environment to a CSV file the import reads as it is.",
        discussion: """
            One row per user and organization (active memberships, with their roles and the organization's \
            external id and name), and one row for each user without a membership, in the importer's own \
            columns. Passwords, password hashes and TOTP secrets cannot be read from WorkOS, so the file has \
            none. With --organization, only the members of those organizations.

            Examples:
              workos-import export --out backup.csv
              workos-import export --out acme.csv --organization acme --organization org_01H...
              WORKOS_SECRET_KEY=sk_live_... workos-import --csv staging.csv --create-org-if-missing

            The file (mode 0600) replaces --out only when it is complete: an interrupted or failed export \
            leaves the previous file as it was, and running the same command again starts over.

            Exit codes: 0 written; 2 usage or configuration error, or a read that failed after every retry; \
            130 interrupted (Ctrl-C, SIGTERM or SIGHUP; nothing written).
            """
    )

    @Option(help: "Where to write the CSV file.")
    var out: String

    @Option(
        name: .customLong("organization"),
        help: "Only the members of this organization (its org_… id or external id); repeat for several.")
    var organizations: [String] = []

    @Flag(help: "Print the result as one JSON object on stdout.")
    var json = false

    @Option(help: "The WorkOS API address (default https://api.workos.com, or WORKOS_BASE_URL).")
    var baseURL: String?

    @Option(help: "Retries per request after a 429, a 5xx or a network failure (2-20).")
    var maxRetries = 5

    func validate() throws {
        if let baseURL, let problem = BaseURLRule.problem(baseURL, source: "--base-url") {
            throw ValidationError(problem)
        }
        guard (RetryPolicy.minimumRetries...20).contains(maxRetries) else {
            throw ValidationError("--max-retries must be between \(RetryPolicy.minimumRetries) and 20.")
        }
        if out.isEmpty { throw ValidationError("--out needs a file path, e.g. --out users.csv.") }
        if organizations.contains(where: \.isEmpty) {
            throw ValidationError("--organization needs an org_… id or an external id.")
        }
    }

    func run() async throws {
        let stdout = StandardOutput()
        let stderr = StandardError()
        let stop = StopSignal()
        InterruptHandler(stop: stop, stderr: stderr, wording: .export).install()
        let baseURL = try Target.baseURL(flag: self.baseURL)
        let (key, target) = try Target.secretKey(baseURL: baseURL)
        stderr.write(target.line)
        let client = WorkOSHTTPClient(baseURL: baseURL, apiKey: key, maxConnections: 4)
        let runner = RequestRunner(pacer: RequestPacer(rates: .default), policy: RetryPolicy(maxRetries: maxRetries))
        // A revoked key or a wrong address stops here with the import's own sentence.
        let checked = await captureFatal { () throws(ImportError) in
            try await Preflight(api: client, runner: runner, baseURL: baseURL).check()
        }
        if case .failure = checked { await client.shutdown() }
        try fatalOnError { () throws(ImportError) in try checked.get() }
        stderr.write(ExportSummary.notExported)
        let result: Result<ExportSummary, ExportError>
        do {
            result = .success(
                try await ExportRun(
                    settings: ExportRun.Settings(outputPath: out, organizations: organizations), api: client,
                    runner: runner, stop: stop
                ).run())
        } catch {
            result = .failure(error)
        }
        await client.shutdown()
        switch result {
        case .success(let summary):
            stdout.write(
                json ? JSONObjectText.inserting([("target", target.json)], into: summary.json) + "\n" : summary.text)
        case .failure(.stopped):
            stderr.write(ExportError.stopped.description + "\n")
            if json {
                var stopped = ExportSummary(path: out)
                stopped.interrupted = true
                stdout.write(JSONObjectText.inserting([("target", target.json)], into: stopped.json) + "\n")
            }
            throw ExitCode(130)
        case .failure(let error):
            throw Fatal(error.description)
        }
    }
}
