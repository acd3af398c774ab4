import ImportCore
import Testing

@Suite("Journal state counts")
struct JournalStateTests {
    @Test("Counts follow the latest outcome of each record", arguments: UserOutcome.allCases)
    func latestOutcomeWins(final: UserOutcome) {
        var state = JournalState(header: JournalFixtures.header())
        for outcome in UserOutcome.allCases {
            state.apply(JournalEntry(record: 9, outcome: outcome, membership: .created))
        }
        state.apply(JournalEntry(record: 9, outcome: final, membership: .existing))
        #expect(state.settledCount == 1)
        #expect(state.counts.created == (final == .imported ? 1 : 0))
        #expect(state.counts.existing == (final == .existed ? 1 : 0))
        #expect(state.counts.updated == (final == .updated ? 1 : 0))
        #expect(state.counts.failed == (final == .failed ? 1 : 0))
        #expect(state.counts.membershipsCreated == 0)
    }

    @Test("A row settled after the end line reopens the journal")
    func rowAfterEnd() {
        var state = JournalState(header: JournalFixtures.header())
        state.isComplete = true
        state.apply(JournalEntry(record: 1, outcome: .imported))
        #expect(!state.isComplete)
    }
}
