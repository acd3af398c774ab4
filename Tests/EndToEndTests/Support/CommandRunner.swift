import Foundation
import ImportCoreTestSupport
import Testing

/// What one run of the real `workos-import` binary did.
struct CommandResult {
    var exitCode: Int32
    var stdout: String
    var stderr: String

    /// Both streams, for assertions that a secret appears nowhere.
    var allOutput: String { stdout + stderr }
}

/// Runs the built `workos-import` executable as a subprocess, the way a user would.
enum CommandRunner {
    /// The executable, built next to the test bundle by `swift build --build-tests`.
    static let executable: URL = {
        // Linux names the running test binary in /proc; elsewhere the bundle (or argv[0]) does.
        let testBinary =
            FileManager.default.fileExists(atPath: "/proc/self/exe")
            ? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            : (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // The Linux test runner lives at <products>/<name>.xctest; on other layouts walk up a level.
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("workos-import")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return testBinary.deletingLastPathComponent().appendingPathComponent("workos-import")
    }()

    /// Starts the command and returns the running process with the files that collect its output.
    static func start(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:]
    ) throws -> RunningCommand {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "WORKOS_SECRET_KEY")
        env.removeValue(forKey: "WORKOS_BASE_URL")
        env["NO_COLOR"] = "1"
        for (name, value) in environment { env[name] = value }
        return try RunningCommand.start(executable.path, arguments, in: directory, environment: env)
    }

    /// Runs the command to completion.
    static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:]
    ) async throws -> CommandResult {
        try await start(arguments, in: directory, environment: environment).wait()
    }
}

/// A process a test started (`workos-import` or another program) that may still be running.
struct RunningCommand: Sendable {
    let process: ChildProcess
    let stdoutURL: URL
    let stderrURL: URL

    /// Starts `executable` in `directory` with exactly `environment`, its streams going to two fresh files there.
    static func start(
        _ executable: String, _ arguments: [String], in directory: URL, environment: [String: String]
    ) throws -> RunningCommand {
        let id = UUID().uuidString
        let stdoutURL = directory.appendingPathComponent(".stdout-\(id)")
        let stderrURL = directory.appendingPathComponent(".stderr-\(id)")
        let process = try ChildProcess.spawn(
            executable, arguments, in: directory.path, environment: environment,
            standardOutput: stdoutURL.path, standardError: stderrURL.path)
        return RunningCommand(process: process, stdoutURL: stdoutURL, stderrURL: stderrURL)
    }

    /// Waits for the process to exit without blocking a thread of the cooperative pool.
    ///
    /// Bounded: a command still running after `timeout` is killed and the test fails saying so, so a hung
    /// child can never hang the suite.
    func wait(timeout: Duration = .seconds(300)) async throws -> CommandResult {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                process.signal(SIGKILL)
                Issue.record("\(process.command) was still running after \(timeout); killed it")
                throw WaitTimeout(what: "\(process.command.first ?? "the command") to exit")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return CommandResult(
            exitCode: process.terminationStatus ?? -1,
            stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "")
    }

    /// Sends a signal (SIGINT for Ctrl-C, SIGKILL for a crash).
    func signal(_ number: Int32) {
        process.signal(number)
    }

    /// The stdout written so far.
    var stdoutSoFar: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }

    /// The stderr written so far.
    var stderrSoFar: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }
}

/// A fresh temporary folder per test, removed afterwards.
struct Workspace: ~Copyable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("workos-import-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes a file in the workspace and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The path of a file in the workspace.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// The text of a file in the workspace.
    func read(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    /// The permission bits of a file in the workspace.
    func permissions(_ name: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path(name))
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}
