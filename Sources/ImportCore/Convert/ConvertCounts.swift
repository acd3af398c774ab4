/// What a conversion did, counted: users converted, converted without a password, skipped, and the reasons
/// grouped, most frequent first, each with its count and the first user it applied to.
public struct ConvertCounts: Sendable, Equatable {
    /// Users in the inputs (converted + skipped).
    public private(set) var users = 0
    /// Users written to the CSV.
    public private(set) var converted = 0
    /// Of those, users written with a password hash.
    public private(set) var withPassword = 0
    /// Of those, users written without one for a reason given in ``withoutPasswordReasons``.
    public private(set) var withoutPassword = 0
    /// Users written with something not carried (metadata, a field of the wrong kind).
    public private(set) var withLosses = 0
    /// Converted users given an organization (`org_external_id`, from `--org-from`).
    public private(set) var withOrganization = 0
    /// Converted users given an organization name (from `--org-name-from`).
    public private(set) var withOrganizationName = 0
    /// Converted users with no organization: with `--org-from`, the users it found nothing for.
    public var withoutOrganization: Int { converted - withOrganization }
    /// Users not written.
    public private(set) var skipped = 0
    /// Converted users whose address an earlier user already had.
    public private(set) var repeatedEmails = 0
    /// The first few repeated addresses with where they came again, for the summary.
    public private(set) var repeatedEmailExamples: [String] = []

    /// Why users were converted without a password.
    public private(set) var withoutPasswordReasons = ReasonTally()
    /// Why users were skipped.
    public private(set) var skippedReasons = ReasonTally()
    /// What converted users lost.
    public private(set) var lossReasons = ReasonTally()

    /// No users yet.
    public init() {}

    /// Counts one outcome.
    public mutating func record(_ outcome: ConversionOutcome) {
        users += 1
        switch outcome.result {
        case .skipped(let reason):
            skipped += 1
            skippedReasons.add(reason, at: outcome.position)
        case .converted(let user, let withoutPasswordReason, let losses):
            converted += 1
            if user.passwordHash != nil { withPassword += 1 }
            if user.orgExternalId != nil { withOrganization += 1 }
            if user.orgName != nil { withOrganizationName += 1 }
            if let withoutPasswordReason {
                withoutPassword += 1
                withoutPasswordReasons.add(withoutPasswordReason, at: outcome.position)
            }
            if !losses.isEmpty { withLosses += 1 }
            for summary in Set(losses.map(\.summary)) {
                lossReasons.add(ConversionReason(summary), at: outcome.position)
            }
        }
    }

    /// Counts a converted user whose address came before.
    mutating func recordRepeatedEmail(_ email: String, at position: InputPosition) {
        repeatedEmails += 1
        if repeatedEmailExamples.count < 5 { repeatedEmailExamples.append("\(email) (\(position))") }
    }
}

/// Reasons counted by their summary sentence, remembering where each first applied.
public struct ReasonTally: Sendable, Equatable {
    /// One reason's count.
    public struct Entry: Sendable, Equatable {
        /// The sentence.
        public var summary: String
        /// How many users it applied to.
        public var count: Int
        /// Where it first applied.
        public var firstPosition: InputPosition
    }

    private var entries: [String: Entry] = [:]

    /// Counts `reason` once, at `position`.
    mutating func add(_ reason: ConversionReason, at position: InputPosition) {
        if entries[reason.summary] == nil {
            entries[reason.summary] = Entry(summary: reason.summary, count: 1, firstPosition: position)
        } else {
            entries[reason.summary]!.count += 1
        }
    }

    /// Most frequent first; ties in alphabetical order, so the summary is the same every run.
    public var sorted: [Entry] {
        entries.values.sorted { ($0.count, $1.summary) > ($1.count, $0.summary) }
    }
}

/// The end-of-conversion text.
public enum ConvertSummaryText {
    /// The summary, ending in a line break.
    public static func render(
        _ counts: ConvertCounts, settings: ConvertSettings, notes: [String], warnings: [String] = []
    ) -> String {
        var lines: [String] = []
        lines.append(
            "Converted \(counts.converted) of \(counts.users) \(settings.source.rawValue) users to \(settings.shownOutputPath ?? settings.outputPath)"
        )
        lines.append("  with a password hash     \(counts.withPassword)")
        lines.append("  without a password       \(counts.withoutPassword)")
        lines += reasonLines(counts.withoutPasswordReasons)
        lines.append("  with something left out  \(counts.withLosses)")
        lines += reasonLines(counts.lossReasons)
        lines.append("  skipped                  \(counts.skipped)")
        lines += reasonLines(counts.skippedReasons)
        if settings.orgFrom != nil || settings.orgNameFrom != nil {
            lines.append("  without an organization  \(counts.withoutOrganization)")
        }
        if counts.repeatedEmails > 0 {
            lines.append(
                "  repeated emails          \(counts.repeatedEmails): converted, but the import will fail all but the "
                    + "first user of each address; e.g. \(counts.repeatedEmailExamples.joined(separator: ", "))")
        }
        for note in notes { lines.append("Note: \(note)") }
        for warning in warnings { lines.append("Warning: \(warning)") }
        let listed = counts.skipped + counts.withoutPassword + counts.withLosses + counts.repeatedEmails
        if let skippedPath = settings.skippedPath {
            lines.append("Each user skipped, without a password or with something left out: \(skippedPath)")
        } else if listed > 0 {
            lines.append("Add --skipped skipped.jsonl to list each of these users with the reason.")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func reasonLines(_ tally: ReasonTally) -> [String] {
        tally.sorted.map { entry in
            "      \(entry.count) \(entry.count == 1 ? "user" : "users"): \(entry.summary), first at \(entry.firstPosition)"
        }
    }
}
