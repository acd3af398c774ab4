/// Decides which rows of an import start, and when the run stops starting them: a pure value the pipeline
/// drives (``offer(_:group:)``, ``releaseHeld(limit:stopping:)``, ``settled(group:result:)``,
/// ``recorded(failed:failedSoFar:)``), so its rules are tested without tasks or WorkOS.
///
/// Rows that share an email (a *group*, named by the group's first record) are applied one at a time, in file
/// order: a row whose group has a row in flight is held until that row has settled, then starts with what
/// it learnt (the user's id), so it neither races the create nor pays for a failed one. Held rows take no
/// place in flight, so a file with each user on several adjacent rows still keeps `limit` users going; their
/// list is bounded on its own. `--max-failures` stops the run from starting rows; a row that halts the run
/// (every other row would fail alike) is left unsettled.
struct RowScheduler<Row> {
    /// What the settled rows of one email learnt, for the rows of it still to come.
    struct Learnt: Equatable {
        var userId: String
        var createdByThisImport = false
        var factorSettled = false
    }

    /// When failing rows stop the run.
    let maxFailures: FailureLimit
    /// Rows started and not yet settled.
    private(set) var inFlight = 0
    /// Rows waiting for an earlier row of their email to settle, in file order.
    private var held: [(row: Row, group: Int)] = []
    /// Groups with a row in flight.
    private var busy = Set<Int>()
    /// What the most recent groups' settled rows learnt (rows of one user are usually adjacent; one that
    /// comes later than that looks its user up by email).
    private var learnt: BoundedCache<Int, Learnt>
    private var consecutiveFailures = 0
    /// The first halt a row brought back: the run stops, and says why.
    private(set) var halt: ImportHalt?
    /// Set when `--max-failures` stopped the run: how many rows of this run had failed.
    private(set) var stoppedAfterFailures: Int?
    /// Rows that came back with a halt, left for the next run.
    private(set) var halted = 0

    /// - Parameter rememberedGroups: how many groups' knowledge is kept after they settled.
    init(maxFailures: FailureLimit, rememberedGroups: Int = 65_536) {
        self.maxFailures = maxFailures
        self.learnt = BoundedCache(capacity: rememberedGroups)
    }

    /// Whether the run has stopped starting rows (a halt, or `--max-failures`).
    var isStopped: Bool { halt != nil || stoppedAfterFailures != nil }

    /// Rows held for an earlier row of their email, not started.
    var heldCount: Int { held.count }

    /// Whether another row may be read from the file: a place in flight is free, the list of held rows has
    /// room (four times the limit, at least 64), and the run has not stopped.
    func mayRead(limit: Int) -> Bool {
        inFlight < limit && held.count < max(4 * limit, 64) && !isStopped
    }

    /// A row read from the file; `group` is its email's group when the email is on several rows.
    ///
    /// - Returns: the row when it starts now (it then counts as in flight), or `nil` when it is held until
    ///   its group's row in flight has settled.
    mutating func offer(_ row: Row, group: Int?) -> Row? {
        if let group, busy.contains(group) {
            held.append((row: row, group: group))
            return nil
        }
        start(group: group)
        return row
    }

    /// The held rows that start now, in file order: those whose group has no row in flight, as long as
    /// places are free and the run goes on. They count as in flight.
    ///
    /// - Parameter stopping: a stop (Ctrl-C, SIGTERM, SIGHUP) was asked for: nothing starts.
    mutating func releaseHeld(limit: Int, stopping: Bool) -> [Row] {
        var started: [Row] = []
        var index = 0
        while index < held.count, inFlight < limit, !stopping, !isStopped {
            let group = held[index].group
            if busy.contains(group) {
                index += 1
                continue
            }
            started.append(held.remove(at: index).row)
            start(group: group)
        }
        return started
    }

    private mutating func start(group: Int?) {
        if let group { busy.insert(group) }
        inFlight += 1
    }

    /// What the settled rows of `group` learnt, for a row of it about to start.
    mutating func learnt(group: Int?) -> Learnt? {
        group.flatMap { learnt.get($0) }
    }

    /// A row came back from WorkOS: its place and its group are free, and the group remembers what it
    /// learnt.
    ///
    /// - Returns: whether the row is to be recorded; `false` when it halts the run, which leaves it
    ///   unsettled for the next run.
    mutating func settled(group: Int?, result: RowResult) -> Bool {
        inFlight -= 1
        if let group {
            busy.remove(group)
            if let userId = result.userId {
                var known = learnt.get(group) ?? Learnt(userId: userId)
                known.userId = userId
                if result.outcome == .imported { known.createdByThisImport = true }
                if result.factor != .none { known.factorSettled = true }
                learnt.set(group, known)
            }
        }
        guard let halt = result.halt else { return true }
        self.halt = self.halt ?? halt
        halted += 1
        return false
    }

    /// A settled row was recorded; `failedSoFar` is how many rows of this run have failed with it.
    mutating func recorded(failed: Bool, failedSoFar: Int) {
        consecutiveFailures = failed ? consecutiveFailures + 1 : 0
        switch maxFailures {
        case .consecutive(let limit) where consecutiveFailures >= limit, .total(let limit) where failedSoFar >= limit:
            stoppedAfterFailures = stoppedAfterFailures ?? failedSoFar
        default:
            break
        }
    }

    /// A row failed its checks and was never sent; `failedSoFar` is how many rows of this run have failed
    /// with it. Only a total `--max-failures N` counts it: the consecutive default counts failures at WorkOS.
    mutating func failedBeforeSending(failedSoFar: Int) {
        if case .total(let limit) = maxFailures, failedSoFar >= limit { stoppedAfterFailures = failedSoFar }
    }
}
