import Foundation
import ImportCoreTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `convert` never leaves a partial CSV where the output belongs: it writes beside it and renames when
/// complete, so a kill, Ctrl-C or a failing export leaves the previous output exactly as it was.
///
/// The export comes through a named pipe the test writes, so the command is provably in the middle of
/// the export when the signal arrives (blocked on its next read), with no timing involved.
@Suite("convert: the output is replaced only when complete", .tags(.endToEnd))
struct ConvertOutputTests {
    /// `count` Firebase users as JSON array elements, numbered from `first`.
    static func users(_ first: Int, _ count: Int) -> String {
        (first..<(first + count)).map { index in
            #"{"localId":"u\#(index)","email":"user\#(index)@example.com","emailVerified":true,"displayName":"User Number\#(index)"}"#
        }.joined(separator: ",")
    }

    /// The write end of the export pipe, opened once the command has opened it for reading (bounded).
    struct Pipe: Sendable {
        let descriptor: Int32

        /// Writes all of `text`, blocking while the pipe is full; a reader that is gone ends the write
        /// quietly (SIGPIPE is ignored in the tests), since the command may stop reading at any point.
        func write(_ text: String) {
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                bytes = bytes.dropFirst(written)
            }
        }

        func close() { _ = Glibc.close(descriptor) }
    }

    static func openPipe(_ path: String) async throws -> Pipe {
        signal(SIGPIPE, SIG_IGN)
        var descriptor: Int32 = -1
        try await waitUntil("convert to open the export pipe") {
            descriptor = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            return descriptor >= 0
        }
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK)
        return Pipe(descriptor: descriptor)
    }

    /// The temporary files convert left in the workspace.
    static func partialFiles(_ workspace: borrowing Workspace) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).filter { $0.hasSuffix(".partial") }
    }

    /// Starts a conversion reading `export.fifo`, feeds it 20,000 users (several writes of the output
    /// buffer) and waits until the temporary output holds data.
    static func startMidway(_ workspace: borrowing Workspace) async throws -> (RunningCommand, Pipe) {
        try workspace.write("users.csv", "previous output\n")
        try workspace.write("skipped.jsonl", "previous skipped\n")
        guard mkfifo(workspace.path("export.fifo"), 0o600) == 0 else {
            throw WaitTimeout(what: "mkfifo to work")
        }
        let running = try CommandRunner.start(
            ["convert", "firebase", "export.fifo", "--out", "users.csv", "--skipped", "skipped.jsonl"],
            in: workspace.url)
        let pipe = try await openPipe(workspace.path("export.fifo"))
        pipe.write(#"{"users":["#)
        pipe.write(users(0, 20_000))
        let folder = workspace.url.path
        try await waitUntil("the temporary output to hold users") {
            try FileManager.default.contentsOfDirectory(atPath: folder).contains { name in
                guard name.hasPrefix(".users.csv."), name.hasSuffix(".partial") else { return false }
                let size = (try? FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.size]) as? NSNumber
                return (size?.intValue ?? 0) > 0
            }
        }
        return (running, pipe)
    }

    @Test(
        "SIGINT, SIGTERM or SIGHUP mid-export: exit 130, the temporary file removed, the previous output untouched",
        arguments: [SIGINT, SIGTERM, SIGHUP])
    func stopsCleanly(signalNumber: Int32) async throws {
        let workspace = try Workspace()
        let (running, pipe) = try await Self.startMidway(workspace)
        #expect(try workspace.permissions(try #require(Self.partialFiles(workspace).first)) == 0o600)
        running.signal(signalNumber)
        try await waitUntil("the stop to be taken") { running.stderrSoFar.contains("Stopping:") }
        // More users arrive; the run stops before converting them.
        pipe.write("," + Self.users(20_000, 1_000) + "]}")
        pipe.close()
        let result = try await running.wait()
        #expect(result.exitCode == 130, "\(result.allOutput)")
        #expect(result.stderr.contains("users.csv was not written"), "\(result.stderr)")
        #expect(try workspace.read("users.csv") == "previous output\n")
        #expect(try workspace.read("skipped.jsonl") == "previous skipped\n")
        #expect(try Self.partialFiles(workspace).isEmpty)
    }

    /// Whether the command's main thread is inside `read` (syscall 0 on x86-64 Linux), as
    /// `/proc/<pid>/syscall` shows: with the rest of a user still to come, that is the wait on the pipe.
    static func isReading(_ running: RunningCommand) -> Bool {
        let path = "/proc/\(running.process.processIdentifier)/syscall"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
        return text.hasPrefix("0 ")
    }

    @Test("A second Ctrl-C while convert waits on its input quits at once, still removing its temporary files")
    func secondSignal() async throws {
        let workspace = try Workspace()
        let (running, pipe) = try await Self.startMidway(workspace)
        // Half a user: everything before it gets converted, then the command must wait for the rest.
        pipe.write(#",{"localId":"half","em"#)
        try await waitUntil("convert to wait on the pipe for the rest of a user") {
            guard Self.isReading(running) else { return false }
            Thread.sleep(forTimeInterval: 0.2)
            return Self.isReading(running)
        }
        running.signal(SIGINT)
        try await waitUntil("the first Ctrl-C to be taken") { running.stderrSoFar.contains("Stopping:") }
        running.signal(SIGINT)
        let result = try await running.wait()
        pipe.close()
        #expect(result.exitCode == 130, "\(result.allOutput)")
        #expect(result.stderr.contains("Stopped at once"), "\(result.stderr)")
        #expect(try workspace.read("users.csv") == "previous output\n")
        #expect(try workspace.read("skipped.jsonl") == "previous skipped\n")
        #expect(try Self.partialFiles(workspace).isEmpty)
    }

    @Test("A convert killed mid-export (SIGKILL) leaves the previous output, not a truncated CSV")
    func killed() async throws {
        let workspace = try Workspace()
        let (running, pipe) = try await Self.startMidway(workspace)
        running.signal(SIGKILL)
        _ = try await running.wait()
        pipe.close()
        #expect(try workspace.read("users.csv") == "previous output\n")
        #expect(try workspace.read("skipped.jsonl") == "previous skipped\n")
    }

    @Test("An export that fails mid-stream exits 2 and leaves the previous output in place")
    func failingExportKeepsPrevious() async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", "previous output\n")
        try workspace.write("skipped.jsonl", "previous skipped\n")
        try workspace.write("broken.json", #"{"users":["# + Self.users(0, 500) + #",{"localId": oops}]}"#)
        let result = try await CommandRunner.run(
            ["convert", "firebase", "broken.json", "--out", "users.csv", "--skipped", "skipped.jsonl"],
            in: workspace.url)
        #expect(result.exitCode == 2, "\(result.allOutput)")
        #expect(try workspace.read("users.csv") == "previous output\n")
        #expect(try workspace.read("skipped.jsonl") == "previous skipped\n")
        #expect(try Self.partialFiles(workspace).isEmpty)
    }

    @Test("A complete run replaces the previous output, mode 0600, and leaves no temporary file")
    func completeRunReplaces() async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", "previous output\n")
        _ = chmod(workspace.path("users.csv"), 0o644)
        try workspace.write("export.json", #"{"users":["# + Self.users(0, 3) + "]}")
        let result = try await CommandRunner.run(
            ["convert", "firebase", "export.json", "--out", "users.csv"], in: workspace.url)
        #expect(result.exitCode == 0, "\(result.allOutput)")
        #expect(try workspace.read("users.csv").hasPrefix("email,first_name"))
        #expect(try workspace.read("users.csv").split(separator: "\n").count == 4)
        #expect(try workspace.permissions("users.csv") == 0o600)
        #expect(try Self.partialFiles(workspace).isEmpty)
    }

    @Test(
        "An empty export exits 2 with a sentence, whatever the provider",
        arguments: ["firebase", "auth0", "clerk", "cognito", "supabase"])
    func emptyExport(source: String) async throws {
        let workspace = try Workspace()
        try workspace.write("empty", "")
        try workspace.write("blank", "\n  \n")
        for file in ["empty", "blank"] {
            let result = try await CommandRunner.run(["convert", source, file, "--out", "o.csv"], in: workspace.url)
            #expect(result.exitCode == 2, "\(source) \(file): \(result.allOutput)")
            #expect(result.stderr.contains("\(file) is not"), "\(result.stderr)")
            #expect(result.stderr.contains("it is empty"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: workspace.path("o.csv")))
        }
    }

    @Test(
        "Each provider refuses the options it does not read, exit 2 naming them",
        arguments: [
            (["clerk", "--name-split", "none"], "--name-split does not apply to clerk exports"),
            (["clerk", "--include-disabled"], "--include-disabled does not apply to clerk exports"),
            (["clerk", "--metadata", "both"], "--metadata does not apply to clerk exports"),
            (
                ["clerk", "--org-from", "x", "--passwords", "p"],
                "--passwords, --org-from do not apply to clerk exports"
            ),
            (["cognito", "--metadata", "app"], "--metadata does not apply to cognito exports"),
            (["cognito", "--allow-user-metadata-org"], "--allow-user-metadata-org does not apply to cognito"),
            (["supabase", "--hash-config", "h"], "--hash-config does not apply to supabase exports"),
            (["firebase", "--metadata-attribute", "custom:a"], "--metadata-attribute does not apply to firebase"),
            (["auth0", "--rounds", "8"], "--signer-key/--salt-separator/--rounds/--mem-cost does not apply to auth0"),
        ])
    func refusedOptions(arguments: [String], expected: String) async throws {
        let workspace = try Workspace()
        try workspace.write("x", "{}")
        let result = try await CommandRunner.run(
            ["convert", arguments[0], "x", "--out", "o.csv"] + arguments.dropFirst(), in: workspace.url)
        #expect(result.exitCode == 2, "\(result.allOutput)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test("An --org-from that matches no user is a warning on stderr and in --json, and users without one are counted")
    func orgFromMatchedNoUser() async throws {
        let workspace = try Workspace()
        try workspace.write(
            "users.ndjson",
            #"{"user_id":"auth0|1","email":"a@example.com","app_metadata":{"org_id":"acme"}}"# + "\n"
                + #"{"user_id":"auth0|2","email":"b@example.com","app_metadata":{"org_id":"globex"}}"# + "\n")
        let typo = try await CommandRunner.run(
            ["convert", "auth0", "users.ndjson", "--out", "o.csv", "--org-from", "app_metadata.orgid", "--json"],
            in: workspace.url)
        #expect(typo.exitCode == 0, "\(typo.allOutput)")
        #expect(typo.stderr.contains("warning: --org-from app_metadata.orgid matched no user"), "\(typo.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(typo.stdout.utf8)) as? [String: Any])
        #expect(object["withoutOrganization"] as? Int == 2)
        let warnings = try #require(object["warnings"] as? [String])
        #expect(warnings.count == 1 && warnings[0].contains("--org-from app_metadata.orgid matched no user"))

        let right = try await CommandRunner.run(
            ["convert", "auth0", "users.ndjson", "--out", "o.csv", "--org-from", "app_metadata.org_id"],
            in: workspace.url)
        #expect(right.exitCode == 0, "\(right.allOutput)")
        #expect(!right.stderr.contains("matched no user"))
        #expect(right.stdout.contains("without an organization  0"), "\(right.stdout)")
    }
}
