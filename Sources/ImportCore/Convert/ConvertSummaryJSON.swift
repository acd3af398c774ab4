#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `convert --json` summary: the counts of ``ConvertCounts`` as one JSON object, for scripts.
///
/// Keys, sorted: `converted`, `lossReasons`, `notes`, `output`, `repeatedEmails`, `skipped`,
/// `skippedFile` (null without `--skipped`), `skippedReasons`, `source`, `users`, `warnings` (sentences,
/// e.g. an `--org-from` that matched no user), `withLosses`, `withoutOrganization` (converted users with
/// no organization), `withPassword`, `withoutPassword`, `withoutPasswordReasons`. Each `…Reasons` array lists every reason,
/// most users first, as `{"count":…,"firstFile":…,"firstLine":…,"reason":…}` (`[]` when none). No
/// address, hash or secret is ever in it.
struct ConvertSummaryJSON: Encodable {
    /// One reason with how many users it applied to and where it first did.
    struct Reason: Encodable {
        var count: Int
        var firstFile: String
        var firstLine: Int
        var reason: String

        enum CodingKeys: String, CodingKey {
            case count, firstFile, firstLine, reason
        }
    }

    var converted: Int
    var lossReasons: [Reason]
    var notes: [String]
    var output: String
    var repeatedEmails: Int
    var skipped: Int
    var skippedFile: String?
    var skippedReasons: [Reason]
    var source: String
    var users: Int
    var warnings: [String]
    var withLosses: Int
    var withoutOrganization: Int
    var withPassword: Int
    var withoutPassword: Int
    var withoutPasswordReasons: [Reason]

    enum CodingKeys: String, CodingKey {
        case converted, lossReasons, notes, output, repeatedEmails, skipped, skippedFile, skippedReasons, source
        case users, warnings, withLosses, withoutOrganization, withPassword, withoutPassword, withoutPasswordReasons
    }

    init(_ counts: ConvertCounts, settings: ConvertSettings, notes: [String], warnings: [String]) {
        func reasons(_ tally: ReasonTally) -> [Reason] {
            tally.sorted.map {
                Reason(
                    count: $0.count, firstFile: $0.firstPosition.file, firstLine: $0.firstPosition.line,
                    reason: $0.summary)
            }
        }
        converted = counts.converted
        lossReasons = reasons(counts.lossReasons)
        self.notes = notes
        output = settings.shownOutputPath ?? settings.outputPath
        repeatedEmails = counts.repeatedEmails
        skipped = counts.skipped
        skippedFile = settings.skippedPath
        skippedReasons = reasons(counts.skippedReasons)
        source = settings.source.rawValue
        users = counts.users
        self.warnings = warnings
        withLosses = counts.withLosses
        withoutOrganization = counts.withoutOrganization
        withPassword = counts.withPassword
        withoutPassword = counts.withoutPassword
        withoutPasswordReasons = reasons(counts.withoutPasswordReasons)
    }

    /// Encodes with every key present (a missing `--skipped` is `null`, not left out).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(converted, forKey: .converted)
        try container.encode(lossReasons, forKey: .lossReasons)
        try container.encode(notes, forKey: .notes)
        try container.encode(output, forKey: .output)
        try container.encode(repeatedEmails, forKey: .repeatedEmails)
        try container.encode(skipped, forKey: .skipped)
        try container.encode(skippedFile, forKey: .skippedFile)
        try container.encode(skippedReasons, forKey: .skippedReasons)
        try container.encode(source, forKey: .source)
        try container.encode(users, forKey: .users)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(withLosses, forKey: .withLosses)
        try container.encode(withoutOrganization, forKey: .withoutOrganization)
        try container.encode(withPassword, forKey: .withPassword)
        try container.encode(withoutPassword, forKey: .withoutPassword)
        try container.encode(withoutPasswordReasons, forKey: .withoutPasswordReasons)
    }

    /// One line of JSON, sorted keys, ending in a line break.
    static func render(
        _ counts: ConvertCounts, settings: ConvertSettings, notes: [String], warnings: [String] = []
    ) -> String {
        guard
            let data = try? DeterministicJSON.makeEncoder().encode(
                ConvertSummaryJSON(counts, settings: settings, notes: notes, warnings: warnings))
        else {
            return "{}\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
