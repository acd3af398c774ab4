#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What the report page of a run (`--report`) shows: a value the command fills from its summary, which
/// ``ReportPage`` turns into one self-contained HTML page for whoever approves the cutover.
///
/// It holds only what is safe to send on: the target as its line tells it (the key's fingerprint, never the
/// key), counts, failure reasons with their first lines, the coverage counts and the load over time. No
/// row's values reach it.
public struct RunReport: Sendable, Equatable {
    /// How the run ended, which colours the verdict.
    public enum Tone: String, Sendable, Equatable {
        case good, warning, bad
    }

    /// One line of the counts table.
    public struct Count: Sendable, Equatable {
        public var label: String
        public var value: String

        /// A line of the counts table.
        public init(_ label: String, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    /// What ran: `Import`, `Plan`, `Verify` or `Dry run`.
    public var command: String
    /// Where it wrote or read; `nil` for a dry run, which talks to no one.
    public var target: TargetDescription?
    /// The input file as the person named it.
    public var inputFile: String
    /// The verdict in a few words, e.g. `Completed with errors`.
    public var verdict: String
    /// How the verdict reads.
    public var tone: Tone
    /// The run was stopped (Ctrl-C, SIGTERM, SIGHUP) before every row: the counts cover the rows before it.
    public var interrupted = false
    /// When the page was written, as the journal writes times (UTC).
    public var generatedAt: Date
    /// The counts, in the order the summary box shows them.
    public var counts: [Count] = []
    /// What the failures table is called: `Failures by reason`, or `Differences by kind` for verify.
    public var failuresTitle = "Failures by reason"
    /// The failed rows by reason, with the first line of each.
    public var failures: [FailureTally.Group] = []
    /// How many of the file's valid rows carry each field, when the command counted it.
    public var coverage: FieldCoverage?
    /// The writes per second and rows in flight over time (an import's), with its rate limit.
    public var load: LoadSeries?

    /// A report with no counts yet.
    public init(
        command: String, target: TargetDescription?, inputFile: String, verdict: String, tone: Tone,
        generatedAt: Date
    ) {
        self.command = command
        self.target = target
        self.inputFile = inputFile
        self.verdict = verdict
        self.tone = tone
        self.generatedAt = generatedAt
    }
}
