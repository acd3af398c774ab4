import Foundation
import Testing

@testable import ImportCore

/// Runs conversions over the committed fixtures into a fresh folder and reads back what they wrote.
enum ConvertFixture {
    /// The folder of provider export fixtures (written from each provider's documented format; no real users).
    static let folder = repositoryRoot.appendingPathComponent("Tests/ImportCoreTests/Fixtures/Convert")

    /// The path of one fixture.
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// What a conversion left behind.
    struct Output {
        /// The converted rows by column name, in file order.
        var rows: [[String: String]]
        /// The header of the converted file.
        var header: [String]
        /// The skipped-records lines, decoded.
        var skipped: [SkippedRecordWriter.Line]
        /// The counts and notes.
        var finished: ConvertRun.Finished
        /// The settings used.
        var settings: ConvertSettings
        /// What went to the warnings sink.
        var warnings: String
        /// The folder the files are in (removed by the caller's scope).
        var folder: URL

        /// The row for `email`.
        func row(_ email: String) -> [String: String]? { rows.first { $0["email"] == email } }
        /// The skipped-file line for a source id.
        func skippedLine(_ sourceId: String) -> SkippedRecordWriter.Line? {
            skipped.first { $0.sourceId == sourceId }
        }
        /// The summary text.
        var summary: String { finished.summary(settings: settings) }
    }

    /// Converts `files` (fixture names) from `source`, with `configure` adjusting the settings.
    static func run(
        _ source: ConvertSource, _ files: [String], configure: (inout ConvertSettings) throws -> Void = { _ in }
    ) throws -> Output {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("convert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var settings = ConvertSettings(
            source: source, inputs: files.map(path), outputPath: folder.appendingPathComponent("users.csv").path)
        settings.skippedPath = folder.appendingPathComponent("skipped.jsonl").path
        settings.now = Date(timeIntervalSince1970: 1_780_000_000)
        try configure(&settings)
        let warnings = CapturedText()
        let finished = try ConvertRun(settings: settings, warnings: warnings).run()
        let reader = try CSVReader(path: settings.outputPath)
        var rows: [[String: String]] = []
        while let result = reader.next() {
            guard case .record(let record) = result else {
                Issue.record("the converted file has a malformed row: \(result)")
                continue
            }
            rows.append(Dictionary(uniqueKeysWithValues: zip(reader.header, record.fields)))
        }
        var skipped: [SkippedRecordWriter.Line] = []
        if let skippedPath = settings.skippedPath, let text = try? String(contentsOfFile: skippedPath, encoding: .utf8)
        {
            for line in text.split(separator: "\n") {
                skipped.append(try JSONDecoder().decode(SkippedRecordWriter.Line.self, from: Data(line.utf8)))
            }
        }
        return Output(
            rows: rows, header: reader.header, skipped: skipped, finished: finished, settings: settings,
            warnings: warnings.text, folder: folder)
    }

    /// The Firebase fixture's hash parameters.
    static func firebaseConfig() throws -> FirebaseHashConfig {
        try FirebaseHashConfig(block: String(contentsOfFile: path("firebase-hash-config.txt"), encoding: .utf8))
    }
}
