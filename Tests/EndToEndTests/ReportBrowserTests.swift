import Foundation
import ImportCoreTestSupport
import Testing

/// The report page as a browser sees it: headless Chromium (Debian's `chromium` package) loads the page an
/// import wrote, builds its DOM with the chart's series in it, logs no console message (a script error, or a
/// blocked attempt to fetch anything, would be one), and renders it to a PNG of the window's size.
@Suite("The report page in a browser", .tags(.endToEnd))
struct ReportBrowserTests {
    /// Chromium's path; the test fails, naming the package, when it is missing.
    static func chromium() throws -> String {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        for folder in folders {
            for name in ["chromium", "chromium-browser"] {
                let path = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        let message =
            "Chromium is not installed: install Debian's chromium package (apt-get install -y chromium); .ci/run "
            + "installs it when it is missing"
        Issue.record("\(message)")
        throw ChromiumMissing()
    }

    /// Runs Chromium headless on `url` with `arguments`, its profile in the workspace; bounded.
    static func browse(
        _ chromium: String, _ arguments: [String], url: String, in workspace: borrowing Workspace
    ) async throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = workspace.path("home")
        let common = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--user-data-dir=\(workspace.path("profile"))",
            "--enable-logging=stderr", "--v=0",
        ]
        return try await RunningCommand.start(
            chromium, common + arguments + [url], in: workspace.url, environment: environment
        )
        .wait(timeout: .seconds(120))
    }

    /// Thrown after the failure that names the package, so the test stops there.
    struct ChromiumMissing: Error {}

    /// The width and height a PNG's header gives.
    static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
            return nil
        }
        func number(_ start: Int) -> Int { bytes[start..<start + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (number(16), number(20))
    }

    @Test("Chromium loads an import's page without a console message, builds the chart's series and renders it")
    func rendersInChromium() async throws {
        let chromium = try Self.chromium()
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", ReportPageEndToEndTests.csv)
            let imported = try await emulator.run(
                ["--csv", "users.csv", "--quiet", "--report", "run.html"], in: workspace)
            #expect(imported.exitCode == 1, "\(imported.allOutput)")
            let url = URL(fileURLWithPath: workspace.path("run.html")).absoluteString

            let dom = try await Self.browse(chromium, ["--dump-dom"], url: url, in: workspace)
            #expect(dom.exitCode == 0, "\(dom.stderr)")
            for element in [
                "<polyline id=\"series-writes\"", "<polyline id=\"series-rows-in-flight\"", "<line id=\"rate-limit\"",
                "<g id=\"legend\"", "<title id=\"chart-title\">", "<section id=\"failures\">",
                "<section id=\"coverage\">",
            ] {
                #expect(dom.stdout.contains(element), "the DOM Chromium built has no \(element)")
            }
            let console = dom.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }
            #expect(console.isEmpty, "the page logged to the console:\n\(console.joined(separator: "\n"))")

            let shot = try await Self.browse(
                chromium, ["--screenshot=\(workspace.path("out.png"))", "--window-size=1200,1600"], url: url,
                in: workspace)
            #expect(shot.exitCode == 0, "\(shot.stderr)")
            let png = try Data(contentsOf: URL(fileURLWithPath: workspace.path("out.png")))
            let size = try #require(Self.pngSize(png), "out.png is not a PNG")
            #expect(size.width == 1200 && size.height == 1600, "\(size)")
            #expect(png.count > 20_000, "a \(png.count)-byte screenshot is too small to hold the page")
        }
    }
}
