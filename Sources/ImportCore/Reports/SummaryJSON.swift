/// The `--json` summary of an import, with explicit keys so the published format never drifts.
struct ImportSummaryJSON: Encodable {
    let status: ImportSummary.Status
    let total: Int
    let imported: Int
    let alreadyExisted: Int
    let failed: Int
    let notAttempted: Int
    let membershipsCreated: Int
    let warnings: Int
    let durationSeconds: Double

    enum CodingKeys: String, CodingKey {
        case status, total, imported, alreadyExisted, failed, notAttempted, membershipsCreated, warnings
        case durationSeconds
    }

    init(_ s: ImportSummary) {
        status = s.status
        total = s.total
        imported = s.imported
        alreadyExisted = s.alreadyExisted
        failed = s.failed
        notAttempted = s.notAttempted
        membershipsCreated = s.membershipsCreated
        warnings = s.warnings
        durationSeconds = roundedToMilliseconds(s.durationSeconds)
    }
}

/// The `--json` summary of a dry run; `dryRun: true` tells it apart from a real import's summary.
struct DryRunSummaryJSON: Encodable {
    let dryRun = true
    let status: ImportSummary.Status
    let total: Int
    let usersToCreate: Int
    let membershipsToCreate: Int
    let organizationToCreate: String?
    let failed: Int
    let warnings: Int
    let durationSeconds: Double

    enum CodingKeys: String, CodingKey {
        case dryRun, status, total, usersToCreate, membershipsToCreate, organizationToCreate, failed, warnings
        case durationSeconds
    }

    init(_ s: DryRunSummary) {
        status = s.status
        total = s.total
        usersToCreate = s.usersToCreate
        membershipsToCreate = s.membershipsToCreate
        organizationToCreate = s.organizationToCreate
        failed = s.failed
        warnings = s.warnings
        durationSeconds = roundedToMilliseconds(s.durationSeconds)
    }

    /// Writes `organizationToCreate` as `null` when there is none, so the key set is fixed.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encode(status, forKey: .status)
        try container.encode(total, forKey: .total)
        try container.encode(usersToCreate, forKey: .usersToCreate)
        try container.encode(membershipsToCreate, forKey: .membershipsToCreate)
        try container.encode(organizationToCreate, forKey: .organizationToCreate)
        try container.encode(failed, forKey: .failed)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(durationSeconds, forKey: .durationSeconds)
    }
}

/// Keeps durations readable in JSON (`1.234`, not `1.2340000000000002`).
private func roundedToMilliseconds(_ seconds: Double) -> Double {
    guard seconds.isFinite else { return 0 }
    return (seconds * 1000).rounded() / 1000
}
