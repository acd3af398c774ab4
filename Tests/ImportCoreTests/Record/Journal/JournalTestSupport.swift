import Foundation
import ImportCore

/// A private temporary folder for one test, removed when the value is released.
final class JournalScratch {
    /// The folder.
    let folder: URL

    /// Creates a fresh, uniquely named folder.
    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("journal-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A path inside the folder.
    func path(_ name: String) -> String {
        folder.appendingPathComponent(name).path
    }

    /// Writes `text` to a file in the folder and returns its path.
    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        let path = path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The text of a file in the folder.
    func read(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }
}

/// Values shared by the journal tests.
enum JournalFixtures {
    /// Settings of a typical organization import.
    static let settings = JournalSettings(org: "id:org_01", ifExists: "skip", requireMembership: false)
    /// A fingerprint that stands for "the CSV file".
    static let csv = CSVFingerprint(path: "/data/users.csv", size: 1234, hash: "fnv1a64w:00000000deadbeef")

    /// The environment the fixtures' journals were written against.
    static let environment = JournalEnvironment(baseURL: "https://api.workos.com", apiKey: "sk_test_fixture")

    /// A header with a whole-second start date (the journal stores seconds).
    static func header(runId: String = "6f1c2f7e-0000-4000-8000-000000000001") -> JournalHeader {
        JournalHeader(
            runId: runId, startedAt: Date(timeIntervalSince1970: 1_772_366_400), csv: csv, settings: settings,
            environment: environment)
    }
}
