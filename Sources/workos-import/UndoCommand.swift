import ArgumentParser
import ImportCore
import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

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
            hold no other members. A membership the import reactivated (it was inactive before) is made \
            inactive again, not deleted. Users that existed, or that the import only updated, are never touched; a \
            created user someone changed since the import is left and listed, and so is one who signed in since \
            (its preview counts them; --include-signed-in deletes them too).

            Examples:
              workos-import undo --csv users.csv            # the journal users.csv.journal
              workos-import undo --journal users.csv.journal --yes --json
              workos-import undo --csv users.csv --run 1    # the run kept as users.csv.journal.1

            It goes only to the WorkOS environment the import wrote to: the journal records the API address \
            and a fingerprint of the key, and another address or key is refused before any request. The key \
            is then checked with one read, as the import does. It shows what it will delete and asks on a \
            terminal; without one it needs --yes. Its own journal (<journal>.undo) records every deletion, \
            so an interrupted undo (Ctrl-C, SIGTERM, SIGHUP: the deletions in flight finish, exit 130) \
            continues where it stopped and a second one deletes nothing.

            Running an import again after it finished keeps the finished journal as <journal>.1 (then .2, \
            ...); --run N undoes that run.

            Exit codes: 0 everything the import created is gone; 1 something was left (listed with the \
            reason) or the answer was no; 2 usage or configuration error; 130 interrupted (run the same \
            command again to continue).
            """
    )

    @Option(help: "The journal the import wrote. Default: <csv path>.journal, with --csv.")
    var journal: String?

    @Option(help: "The import's CSV file, to find its journal (<csv path>.journal) when --journal is not given.")
    var csv: String?

    @Option(
        name: .customLong("run"),
        help:
            "Undo an earlier run of the same import: the journal it kept as <journal>.N when the import was run again."
    )
    var runNumber: Int?

    @Option(help: "Where this undo records its deletions. Default: <journal>.undo")
    var undoJournal: String?

    @Flag(help: "Delete without asking (needed when there is no terminal to ask on).")
    var yes = false

    @Flag(
        help:
            "Delete created users who signed in since the import too (by default they are kept and listed)."
    )
    var includeSignedIn = false

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
        if journal == nil && csv == nil {
            throw ValidationError(
                "Name the import to undo: --journal <path> (the journal it wrote), or --csv <path> for the journal "
                    + "beside the file (<csv path>.journal).")
        }
        if journal != nil && csv != nil {
            throw ValidationError("--journal and --csv both name the journal: give one of them.")
        }
        if let runNumber, runNumber < 1 {
            throw ValidationError("--run must be 1 or more: the number N of a kept journal <journal>.N.")
        }
    }

    /// The import journal this undo reads: `--journal` or `<csv>.journal`, or its kept run with `--run`.
    var journalPath: String {
        let base = journal ?? ImportRunOptions.defaultJournalPath(for: csv ?? "")
        return runNumber.map { JournalRotation.keptPath(of: base, run: $0) } ?? base
    }

    func run() async throws {
        let stdout = StandardOutput()
        let stderr = StandardError()
        let stop = StopSignal()
        let interrupts = InterruptHandler(stop: stop, stderr: stderr, wording: .undo)
        interrupts.install()
        let journal = journalPath
        let plan = try fatal { () throws(UndoError) in try UndoPlan.load(path: journal) }
        // An import still at work would go on creating what this undo deletes.
        if JournalWriter.isInUse(path: journal) { throw Fatal(UndoError.importRunning(path: journal).description) }
        let baseURL = try Target.baseURL(flag: self.baseURL)
        let (key, target) = try Target.secretKey(baseURL: baseURL)
        stderr.write(target.line)
        // Anywhere but the import's environment every read answers 404, which would pass for "deleted" and be
        // journaled as such: the environment is checked as a resume checks it, before any request.
        let environment = JournalEnvironment(baseURL: baseURL, apiKey: key)
        try fatal { () throws(UndoError) in
            try UndoPlan.checkEnvironment(plan.environment, against: environment, journalPath: journal)
        }
        let client = WorkOSHTTPClient(baseURL: baseURL, apiKey: key, maxConnections: concurrency)
        let connection = WorkOSConnection(
            api: client, baseURL: environment.baseURL, rates: .default, maxRetries: maxRetries,
            rows: .fixed(concurrency))
        // The key and address are tried with the import's own first read, so a revoked key or a wrong address
        // stops here with the import's sentence, before anything is shown or deleted.
        let checked = await captureFatal { () throws(ImportError) in
            try await connection.preflight()
        }
        if case .failure = checked { await client.shutdown() }
        try fatalOnError { () throws(ImportError) in try checked.get() }
        if stop.isRequested {
            await client.shutdown()
            stderr.write("Stopped before anything was deleted.\n")
            throw ExitCode(130)
        }
        let undoPath = self.undoJournal ?? journal + ".undo"
        let undoJournal: UndoJournal
        do {
            undoJournal = try fatal { () throws(UndoError) in
                try UndoJournal.open(path: undoPath, runId: plan.runId, now: Date())
            }
        } catch {
            await client.shutdown()
            throw error
        }
        var preview = UndoPreview(plan: plan, done: undoJournal.done)
        preview.includeSignedIn = includeSignedIn
        if !preview.users.isEmpty {
            preview.signedIn = await UndoSignInCheck(
                plan: plan, api: client, runner: connection.runner, concurrency: concurrency, stop: stop
            ).signedIn(among: preview.users)
            if stop.isRequested {
                undoJournal.close()
                await client.shutdown()
                stderr.write("Stopped before anything was deleted.\n")
                throw ExitCode(130)
            }
        }
        if !preview.isEmpty {
            stderr.write(preview.text)
            if !yes {
                guard TerminalDetection.isTerminal(0), TerminalDetection.isTerminal(2) else {
                    undoJournal.close()
                    await client.shutdown()
                    throw Fatal(UndoError.confirmationNeeded.description)
                }
                stderr.write("Delete these? [y/N] ")
                let answer = interrupts.waitingOnPerson("Stopped; nothing was deleted.") {
                    readLine()?.trimmingSpaces().lowercased()
                }
                guard answer == "y" || answer == "yes" else {
                    undoJournal.close()
                    await client.shutdown()
                    stderr.write("Nothing was deleted.\n")
                    throw ExitCode(1)
                }
            }
        }
        let report = await UndoRun(
            plan: plan, journal: undoJournal, api: client, runner: connection.runner, concurrency: concurrency,
            stop: stop, includeSignedIn: includeSignedIn
        ).run()
        undoJournal.close()
        await client.shutdown()
        stdout.write(json ? JSONObjectText.inserting([("target", target.json)], into: report.json) + "\n" : report.text)
        if report.interrupted { throw ExitCode(130) }
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
