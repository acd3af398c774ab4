import WorkOSClient

extension OrganizationDirectory {
    /// The first of `candidates` (earlier rows of the same email, in file order, naming their organization
    /// the other way) whose organization is the one `organization` names, or `nil` when none is.
    ///
    /// An `org_id` and an `org_external_id` can name one organization, which only WorkOS can tell: both are
    /// looked up (never created; the look-ups are the ones the rows make anyway, shared and cached). An
    /// organization that does not exist yet is none of the candidates', since an earlier row naming it
    /// would have created it.
    func firstSameOrganization(as organization: RowOrganization, among candidates: [OrganizationCandidate])
        async -> Result<OrganizationCandidate?, Failure>
    {
        let own: String
        switch await find(organization) {
        case .success(let id?): own = id
        case .success(nil): return .success(nil)
        case .failure(let failure): return .failure(failure)
        }
        for candidate in candidates {
            switch await find(candidate.organization) {
            case .success(let id?) where id == own: return .success(candidate)
            case .success: continue
            case .failure(let failure): return .failure(failure)
            }
        }
        return .success(nil)
    }
}

extension RowExecutor {
    /// Fails a row whose organization, named the other way, is an earlier row's of the same email with
    /// another role (``CrossRowFinding/Kind/roleDiffersUnderAnotherName(column:earlierColumn:)``); `nil`
    /// when the row may go ahead. The first earlier row naming that organization is the one that counts,
    /// as for every check across rows, so one that agrees lets the row go ahead.
    ///
    /// Run before the row's own requests, by the pipeline, for the rows the pre-scan listed.
    public func sameOrganizationConflict(_ row: ImportRow, candidates: [OrganizationCandidate]) async -> RowResult? {
        guard let organization = row.organization else { return nil }
        let failure: RowFailure
        switch await directory.firstSameOrganization(as: organization, among: candidates) {
        case .success(nil):
            return nil
        case .success(let earlier?):
            guard earlier.rolesDiffer else { return nil }
            let column = earlier.column == ImportColumn.orgId.rawValue ? "org_external_id" : "org_id"
            let finding = CrossRowFinding(
                kind: .roleDiffersUnderAnotherName(column: column, earlierColumn: earlier.column), line: row.line,
                earlierLine: earlier.line)
            failure = RowFailure(
                recordNumber: row.recordNumber, line: row.line, email: row.email, organization: organization.label,
                stage: .validation, message: finding.message, timestamp: clock.wallNow(), reason: finding.reason)
        case .failure(let problem):
            failure = RowFailure(
                recordNumber: row.recordNumber, line: row.line, email: row.email, organization: organization.label,
                stage: problem.stage,
                message: "whether this row's organization is an earlier row's could not be told: " + problem.message,
                httpStatus: problem.error?.httpStatus, workosRequestId: problem.error?.requestId,
                timestamp: clock.wallNow(), reason: problem.reason)
            // A failure every row would have (the network, the key) stops the run as the row's own would.
            return RowResult(failed: failure, halt: problem.error.flatMap(ImportHalt.init))
        }
        return RowResult(failed: failure)
    }
}
