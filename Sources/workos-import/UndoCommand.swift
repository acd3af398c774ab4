import ArgumentParser
import Foundation
import ImportCore
import WorkOSClient

/// `workos-import undo --journal <path>`: deletes what the import recorded in that journal created.
///
/// Only wiring lives here: the plan is ``UndoPlan``, the deletions ``UndoRun``, the record ``UndoJournal``.
struct UndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Delete what an import created, as its journal records it.",
        discussion: """
            Deletes the users the import created (with their memberships and factors), the memberships and \
            TOTP factors it added to users that already existed, and the organizations it created when they \
            hold no other members. Users that existed, or that the import only updated, are never touched; a \
            created user someone changed since the import is left and listed.

            Examples:
              workos-import undo --journal users.csv.journal
              workos-import undo --journal users.csv.journal --yes --json

            It shows what it will delete and asks on a terminal; without one it needs --yes. Its own \
            journal (<journal>.undo) records every deletion, so an interrupted undo continues where it \
            stopped and a second one deletes nothing.

            Exit codes: 0 everything the import created is gone; 1 something was left (listed with the \
            reason) or the answer was no; 2 usage or configuration error.
            """
    )

    @Option(help: "The journal the import wrote (by default <csv path>.journal).")
    var journal: String

    @Option(help: "Where this undo records its deletions. Default: <journal>.undo")
    var undoJournal: String?

    @Flag(help: "Delete without asking (needed when there is no terminal to ask on).")
    var yes = false

    @Flag(help: "Print the result as one JSON object on stdout.")
    var json = false

    @Option(help: "Deletions in flight at once (1-64). Organizations are deleted one at a time.")
    var concurrency = 8

    @Option(help: "The WorkOS API address (default https://api.workos.com, or WORKOS_BASE_URL).")
    var baseURL: String?

    @Option(help: "Retries per request after a 429, a 5xx or a network failure (2-20).")
    var maxRetries = 5

    func validate() throws {
        if let baseURL, let problem = BaseURLRule.problem(baseURL, source: "--base-url") {
            throw ValidationError(problem)
        }
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 64.") }
        guard (RetryPolicy.minimumRetries...20).contains(maxRetries) else {
            throw ValidationError("--max-retries must be between \(RetryPolicy.minimumRetries) and 20.")
        }
    }

    func run() async throws {
        let stdout = StandardOutput()
        let stderr = StandardError()
        let plan = try fatal { () throws(UndoError) in try UndoPlan.load(path: journal) }
        // An import still at work would go on creating what this undo deletes.
        if JournalWriter.isInUse(path: journal) { throw Fatal(UndoError.importRunning(path: journal).description) }
        let key = try Target.secretKey()
        let baseURL = try Target.baseURL(flag: self.baseURL)
        let journalPath = undoJournal ?? journal + ".undo"
        let undoJournal = try fatal { () throws(UndoError) in
            try UndoJournal.open(path: journalPath, runId: plan.runId, now: Date())
        }
        let preview = UndoPreview(plan: plan, done: undoJournal.done)
        if !preview.isEmpty {
            stderr.write(preview.text)
            if !yes {
                guard TerminalDetection.isTerminal(0), TerminalDetection.isTerminal(2) else {
                    throw Fatal(UndoError.confirmationNeeded.description)
                }
                stderr.write("Delete these? [y/N] ")
                let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
                guard answer == "y" || answer == "yes" else {
                    stderr.write("Nothing was deleted.\n")
                    throw ExitCode(1)
                }
            }
        }
        let client = WorkOSHTTPClient(baseURL: baseURL, apiKey: key, maxConnections: concurrency)
        let runner = RequestRunner(
            pacer: RequestPacer(rates: .default), policy: RetryPolicy(maxRetries: maxRetries))
        let report = await UndoRun(
            plan: plan, journal: undoJournal, api: client, runner: runner, concurrency: concurrency
        ).run()
        undoJournal.close()
        await client.shutdown()
        stdout.write(json ? report.json + "\n" : report.text)
        throw ExitCode(report.isComplete ? 0 : 1)
    }
}

private func fatal<T>(_ body: () throws(UndoError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw Fatal(error.description)
    }
}
