import ImportCore
import Testing

@Suite("Settled-record set")
struct JournalRecordSetTests {
    @Test(
        "Members are found, others are not",
        arguments: [[1, 2, 3], [0, 63, 64, 65], [1_000_000], [5, 20_000_000]])
    func membership(records: [Int]) {
        let set = RecordSet(records)
        #expect(set.count == records.count)
        for record in records { #expect(set.contains(record)) }
        for record in records { #expect(!set.contains(record + 1) || records.contains(record + 1)) }
        #expect(!set.contains(-1))
        #expect(Array(set) == records.sorted())
    }

    @Test("A million settled rows fit in about 125 KB and iterate in order")
    func million() {
        var set = RecordSet()
        for record in stride(from: 1_000_000, through: 1, by: -1) { set.insert(record) }
        #expect(set.count == 1_000_000)
        #expect(!set.contains(0))
        #expect(set.contains(1_000_000))
        #expect(!set.contains(1_000_001))
        var expected = 1
        var inOrder = true
        for record in set {
            if record != expected { inOrder = false }
            expected += 1
        }
        #expect(inOrder && expected == 1_000_001)
    }

    @Test("Inserting a member twice keeps one copy")
    func duplicates() {
        var set = RecordSet()
        let first = set.insert(70)
        let second = set.insert(70)
        #expect(first)
        #expect(!second)
        #expect(set.count == 1)
    }

    @Test("Sets with the same members are equal whatever order they were filled in")
    func equality() {
        var grown = RecordSet([1, 500])
        grown.insert(2)
        #expect(grown == RecordSet([500, 2, 1]))
        #expect(RecordSet([1]) != RecordSet([1, 9_999]))
        #expect(RecordSet().isEmpty)
    }
}
