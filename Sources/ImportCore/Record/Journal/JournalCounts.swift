/// The whole file's counts when a run ends, written on the journal's `end` line so the journal on its own
/// shows that they add up: `total == imported + alreadyExisted + failed + notAttempted`.
public struct JournalCounts: Codable, Sendable, Equatable {
    public var total: Int
    public var imported: Int
    /// Users that were already there, updated ones included.
    public var alreadyExisted: Int
    public var failed: Int
    /// Rows left for the next run because this one was interrupted.
    public var notAttempted: Int

    public init(total: Int, imported: Int, alreadyExisted: Int, failed: Int, notAttempted: Int) {
        self.total = total
        self.imported = imported
        self.alreadyExisted = alreadyExisted
        self.failed = failed
        self.notAttempted = notAttempted
    }
}
