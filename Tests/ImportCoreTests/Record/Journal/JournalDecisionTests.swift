import Foundation
import ImportCore
import Testing

@Suite("Journal resume decision")
struct JournalDecisionTests {
    /// A replayed journal with `rows` settled rows.
    private func state(complete: Bool, rows: Int = 3) -> JournalState {
        var state = JournalState(header: JournalFixtures.header())
        for record in 1...rows {
            state.apply(JournalEntry(record: record, outcome: .imported, userId: "user_\(record)"))
        }
        state.isComplete = complete
        return state
    }

    @Test("With no journal the import starts")
    func noJournal() throws {
        let decision = try JournalDecision.decide(
            existing: nil, csv: JournalFixtures.csv, settings: JournalFixtures.settings, restart: false,
            environment: JournalFixtures.environment)
        guard case .start = decision else {
            Issue.record("expected start, got \(decision)")
            return
        }
    }

    @Test("An interrupted import of the same file with the same options resumes")
    func resumes() throws {
        let decision = try JournalDecision.decide(
            existing: state(complete: false), csv: JournalFixtures.csv, settings: JournalFixtures.settings,
            restart: false, environment: JournalFixtures.environment)
        guard case .resume(let resumed) = decision else {
            Issue.record("expected resume, got \(decision)")
            return
        }
        #expect(resumed.settledCount == 3)
    }

    @Test("A moved but unchanged file still resumes")
    func movedFile() throws {
        var moved = JournalFixtures.csv
        moved.path = "/elsewhere/users.csv"
        let decision = try JournalDecision.decide(
            existing: state(complete: false), csv: moved, settings: JournalFixtures.settings, restart: false,
            environment: JournalFixtures.environment)
        guard case .resume = decision else {
            Issue.record("expected resume, got \(decision)")
            return
        }
    }

    @Test("A finished import run again starts over")
    func completeStartsOver() throws {
        let decision = try JournalDecision.decide(
            existing: state(complete: true), csv: JournalFixtures.csv, settings: JournalFixtures.settings,
            restart: false, environment: JournalFixtures.environment)
        guard case .restartBecauseComplete(let old) = decision else {
            Issue.record("expected restartBecauseComplete, got \(decision)")
            return
        }
        #expect(old.isComplete)
    }

    @Test(
        "A file that changed since the interrupted run is refused, pointing at --restart",
        arguments: [
            CSVFingerprint(path: "/data/users.csv", size: 1235, hash: "fnv1a64w:00000000deadbeef"),
            CSVFingerprint(path: "/data/users.csv", size: 1234, hash: "fnv1a64w:00000000deadbeee"),
        ])
    func csvChanged(csv: CSVFingerprint) throws {
        #expect {
            try JournalDecision.decide(
                existing: state(complete: false), csv: csv, settings: JournalFixtures.settings, restart: false,
                environment: JournalFixtures.environment,
                journalPath: "/data/users.csv.journal")
        } throws: { error in
            guard let error = error as? JournalError, case .csvChanged = error else { return false }
            return error.description.contains("changed") && error.description.contains("--restart")
                && error.description.contains("/data/users.csv.journal")
        }
    }

    @Test(
        "Options that differ from the interrupted run are refused, naming each difference",
        arguments: [
            (JournalSettings(org: "none", ifExists: "skip", requireMembership: false), "organization"),
            (JournalSettings(org: "id:org_01", ifExists: "update", requireMembership: false), "--if-exists"),
            (JournalSettings(org: "id:org_01", ifExists: "skip", requireMembership: true), "--require-membership"),
        ])
    func settingsChanged(settings: JournalSettings, named: String) throws {
        #expect {
            try JournalDecision.decide(
                existing: state(complete: false), csv: JournalFixtures.csv, settings: settings, restart: false,
                environment: JournalFixtures.environment)
        } throws: { error in
            guard let error = error as? JournalError, case .settingsChanged(_, let differences) = error else {
                return false
            }
            return differences.count == 1 && error.description.contains(named)
                && error.description.contains("--restart")
        }
    }

    @Test("--restart starts over whatever the journal says")
    func restart() throws {
        var changed = JournalFixtures.csv
        changed.hash = "fnv1a64w:ffffffffffffffff"
        for existing in [state(complete: false), state(complete: true)] {
            let decision = try JournalDecision.decide(
                existing: existing, csv: changed, settings: JournalFixtures.settings, restart: true,
                environment: JournalFixtures.environment)
            guard case .start = decision else {
                Issue.record("expected start, got \(decision)")
                return
            }
        }
    }
}
