import Foundation
import ImportCoreTestSupport
import Testing

/// A command example of the documentation that runs in the test suite.
///
/// A fenced block runs when the line just before its opening fence is a marker comment, which a rendered
/// page does not show:
///
///     <!-- doc-test exit=1 expect="Rows succeeded 0 / 29" -->
///     ```sh
///     workos-import --csv examples/bad-rows.csv --errors-out errors.csv
///     ```
///
/// - `exit=N`: the exit code the block must end with (default 0).
/// - `expect="text"` (repeatable): text stdout or stderr must contain (quote it with `'` when it holds
///   `"`). Runs of spaces count as one on both sides, so a summary box's column alignment is not part of
///   the claim.
/// - `file=NAME`: the block is not run but written to NAME in the page's folder, for the blocks after it
///   (a seed file shown on the page).
/// - `stop-after="text"`: for a command that serves until stopped (`emulate`): once its output contains
///   the text it gets SIGINT, and then must end with `exit`.
/// - `creates=NAME` (repeatable): a file the block must leave behind.
///
/// Any other key, or a marker with no fence after it, fails the page, so a mistyped marker cannot quietly
/// turn a claim into prose.
struct DocExample: Equatable, CustomStringConvertible {
    /// The page and the line of the opening fence, for failure messages.
    var page: String
    var line: Int
    var code: String
    var exitCode: Int32 = 0
    var expected: [String] = []
    var writesFile: String?
    var stopAfter: String?
    var creates: [String] = []

    var description: String { "\(page):\(line)" }

    /// A marker the page gets wrong.
    struct MarkerError: Error, Equatable, CustomStringConvertible {
        var page: String
        var line: Int
        var problem: String
        var description: String { "\(page):\(line): \(problem)" }
    }

    static let markerStart = "<!-- doc-test"

    /// Every marked block of a page, in page order.
    static func parse(_ markdown: String, page: String) throws(MarkerError) -> [DocExample] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var examples: [DocExample] = []
        var index = 0
        while index < lines.count {
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(markerStart) else {
                index += 1
                continue
            }
            let markerLine = index + 1
            guard trimmed.hasSuffix("-->") else {
                throw MarkerError(page: page, line: markerLine, problem: "the marker must end with --> on its line")
            }
            let body = trimmed.dropFirst(markerStart.count).dropLast(3)
            var example = DocExample(page: page, line: markerLine + 1, code: "")
            for (key, value) in try options(String(body), page: page, line: markerLine) {
                switch key {
                case "exit":
                    guard let code = Int32(value) else {
                        throw MarkerError(page: page, line: markerLine, problem: "exit=\(value) is not a number")
                    }
                    example.exitCode = code
                case "expect": example.expected.append(value)
                case "file": example.writesFile = value
                case "stop-after": example.stopAfter = value
                case "creates": example.creates.append(value)
                default:
                    throw MarkerError(
                        page: page, line: markerLine,
                        problem: "unknown key \(key) (keys: exit, expect, file, stop-after, creates)")
                }
            }
            let fence = index + 1 < lines.count ? lines[index + 1].trimmingCharacters(in: .whitespaces) : ""
            guard fence.hasPrefix("```") else {
                throw MarkerError(
                    page: page, line: markerLine, problem: "a doc-test marker must be followed by a ``` block")
            }
            var code: [String] = []
            var end = index + 2
            while end < lines.count, lines[end].trimmingCharacters(in: .whitespaces) != "```" {
                code.append(lines[end])
                end += 1
            }
            guard end < lines.count else {
                throw MarkerError(page: page, line: markerLine + 1, problem: "the block is never closed")
            }
            example.code = code.joined(separator: "\n") + "\n"
            examples.append(example)
            index = end + 1
        }
        return examples
    }

    /// The `key=value` and `key="quoted value"` pairs of a marker, in order.
    private static func options(_ text: String, page: String, line: Int) throws(MarkerError) -> [(String, String)] {
        var pairs: [(String, String)] = []
        var rest = Substring(text)
        while true {
            rest = rest.drop(while: { $0 == " " })
            guard !rest.isEmpty else { return pairs }
            guard let equals = rest.firstIndex(of: "=") else {
                throw MarkerError(page: page, line: line, problem: "\"\(rest)\" is not key=value")
            }
            let key = String(rest[..<equals])
            rest = rest[rest.index(after: equals)...]
            if let quote = rest.first, quote == "\"" || quote == "'" {
                rest = rest.dropFirst()
                guard let close = rest.firstIndex(of: quote) else {
                    throw MarkerError(page: page, line: line, problem: "the value of \(key) has no closing quote")
                }
                pairs.append((key, String(rest[..<close])))
                rest = rest[rest.index(after: close)...]
            } else {
                let end = rest.firstIndex(of: " ") ?? rest.endIndex
                pairs.append((key, String(rest[..<end])))
                rest = rest[end...]
            }
        }
    }

    /// Text with every run of spaces and tabs made one space, so alignment does not count.
    static func squeezed(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }
            .joined(separator: "\n")
    }
}

@Suite("Doc-test markers are read as the docs write them")
struct DocExampleMarkerTests {
    @Test(
        "A marker's keys set what the block must do",
        arguments: [
            (
                "<!-- doc-test -->\n```sh\nworkos-import --help\n```\n",
                DocExample(page: "p.md", line: 2, code: "workos-import --help\n")
            ),
            (
                "text\n<!-- doc-test exit=1 expect=\"Status  Failed\" expect=x expect='\"a\":1' -->\n```sh\na\nb\n```\n",
                DocExample(
                    page: "p.md", line: 3, code: "a\nb\n", exitCode: 1, expected: ["Status  Failed", "x", "\"a\":1"])
            ),
            (
                "<!-- doc-test file=seed.json -->\n```json\n{}\n```\n",
                DocExample(page: "p.md", line: 2, code: "{}\n", writesFile: "seed.json")
            ),
            (
                "<!-- doc-test stop-after=\"http://\" creates=state.json -->\n```sh\nworkos-import emulate\n```\n",
                DocExample(
                    page: "p.md", line: 2, code: "workos-import emulate\n", stopAfter: "http://",
                    creates: ["state.json"])
            ),
        ])
    func keys(markdown: String, example: DocExample) throws {
        #expect(try DocExample.parse(markdown, page: "p.md") == [example])
    }

    @Test(
        "A marker the page gets wrong fails instead of turning a claim into prose",
        arguments: [
            ("<!-- doc-test exits=1 -->\n```sh\nx\n```\n", "unknown key exits"),
            ("<!-- doc-test -->\n\n```sh\nx\n```\n", "must be followed by a ``` block"),
            ("<!-- doc-test exit=one -->\n```sh\nx\n```\n", "exit=one is not a number"),
            ("<!-- doc-test expect=\"open -->\n```sh\nx\n```\n", "no closing quote"),
            ("<!-- doc-test -->\n```sh\nx\n", "never closed"),
        ])
    func mistakes(markdown: String, problem: String) {
        let error = #expect(throws: DocExample.MarkerError.self) {
            try DocExample.parse(markdown, page: "p.md")
        }
        #expect(error?.problem.contains(problem) == true, "\(String(describing: error))")
    }

    @Test("Blocks without a marker are prose, and blocks are found in page order")
    func unmarked() throws {
        let page =
            "```sh\nnot run\n```\n<!-- doc-test -->\n```sh\nfirst\n```\n<!-- doc-test exit=2 -->\n```sh\nsecond\n```\n"
        let examples = try DocExample.parse(page, page: "p.md")
        #expect(examples.map(\.code) == ["first\n", "second\n"])
        #expect(examples.map(\.exitCode) == [0, 2])
    }

    @Test("Alignment in output does not count, line breaks do")
    func squeezing() {
        #expect(DocExample.squeezed("│ Status     Success │\n  a\tb") == "│ Status Success │\na b")
    }
}

/// Every command example of the README and of docs/ that carries a marker runs with the real binary against
/// a strict in-process emulator, so a renamed flag or a changed message fails here, not for a reader.
@Suite("The docs' examples run as written", .tags(.endToEnd))
struct DocExampleTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Pages that need no example of their own: the reference is generated from the parser, and the
    /// installer is tested end to end by its own suite.
    static let exempt: Set<String> = ["docs/cli-reference.md", "docs/install.md"]

    /// README.md and every page under docs/, relative to the repository root.
    static let pages: [String] = {
        var found = ["README.md"]
        let docs = repositoryRoot.appendingPathComponent("docs")
        let walker = FileManager.default.enumerator(at: docs, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard url.pathExtension == "md" else { continue }
            found.append("docs/" + url.path.dropFirst(docs.path.count + 1))
        }
        return found.sorted()
    }()

    @Test("Every page of the docs has at least one example that runs")
    func everyPageHasAnExample() throws {
        #expect(Self.pages.contains("docs/troubleshooting.md"), "docs/ was not found beside the tests")
        for page in Self.pages where !Self.exempt.contains(page) {
            let text = try String(contentsOf: Self.repositoryRoot.appendingPathComponent(page), encoding: .utf8)
            let examples = try DocExample.parse(text, page: page)
            #expect(
                examples.contains { $0.writesFile == nil },
                "\(page) has no example that runs: put <!-- doc-test --> before one of its ```sh blocks")
        }
    }

    @Test("The README stays one page for the admin, and starts with the two commands it always started with")
    func readmeStaysShort() throws {
        let readme = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count <= 151, "README.md has \(lines.count - 1) lines; move detail into docs/ to keep it at 150")
        let firstBlock = readme.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```")
            .first
        let commands = (firstBlock ?? "").split(separator: "\n").map {
            $0.components(separatedBy: "#")[0].trimmingCharacters(in: .whitespaces)
        }
        #expect(
            commands == ["swift run workos-import --csv examples/example-input.csv --emulator", "swift test"],
            "README.md's first commands are \(commands)")
    }

    @Test("A page's examples run in order and do what the page says", arguments: pages)
    func pageExamplesRun(page: String) async throws {
        let text = try String(contentsOf: Self.repositoryRoot.appendingPathComponent(page), encoding: .utf8)
        let examples = try DocExample.parse(text, page: page)
        guard !examples.isEmpty else { return }
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try FileManager.default.copyItem(
                at: Self.repositoryRoot.appendingPathComponent("examples"),
                to: workspace.url.appendingPathComponent("examples"))
            for example in examples {
                try await Self.run(example, in: workspace, environment: emulator.environment)
            }
        }
    }

    /// Runs one block with `sh -e` in the page's folder, with `workos-import` on the PATH and the emulator's
    /// address and key in the environment, and checks what the marker claims.
    static func run(_ example: DocExample, in workspace: borrowing Workspace, environment: [String: String])
        async throws
    {
        if let name = example.writesFile {
            try workspace.write(name, example.code)
            return
        }
        var script = "set -e\n" + example.code
        if example.stopAfter != nil {
            // The command replaces the shell, so the signal reaches it, not sh.
            let commands = example.code.split(separator: "\n").filter {
                !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#")
            }
            try #require(commands.count == 1, "\(example): a stop-after block holds one command")
            script = "exec " + commands[0] + "\n"
        }
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = CommandRunner.executable.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["NO_COLOR"] = "1"
        env["TMPDIR"] = workspace.url.path
        for (name, value) in environment { env[name] = value }
        let running = try RunningCommand.start("/bin/sh", ["-c", script], in: workspace.url, environment: env)
        defer { running.signal(SIGKILL) }
        if let text = example.stopAfter {
            try await waitUntil("\(example) to print \"\(text)\"", timeout: .seconds(60)) {
                running.stdoutSoFar.contains(text) || running.stderrSoFar.contains(text) || !running.process.isRunning
            }
            running.signal(SIGINT)
        }
        let result = try await running.wait(timeout: .seconds(120))
        let shown = "\(example):\n\(example.code)--- stdout\n\(result.stdout)--- stderr\n\(result.stderr)"
        #expect(result.exitCode == example.exitCode, "exit code \(result.exitCode), not \(example.exitCode): \(shown)")
        let output = DocExample.squeezed(result.allOutput)
        for text in example.expected {
            #expect(output.contains(DocExample.squeezed(text)), "no \"\(text)\" in the output of \(shown)")
        }
        for name in example.creates {
            #expect(FileManager.default.fileExists(atPath: workspace.path(name)), "\(example) did not create \(name)")
        }
    }
}
