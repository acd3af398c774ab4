import WorkOSClient

extension RowExecutor {
    /// Finds the run's one organization (`--org-external-id` with `--create-org-if-missing`) through the
    /// same ``OrganizationDirectory`` the rows' organizations go through, creating it when it is missing: its
    /// create is journaled before and after it is sent, counted, and undone like any other.
    ///
    /// - Returns: the executor whose rows join that organization, and whether this run's create made it.
    public func resolvingRunOrganization(externalId: String, name: String) async -> Result<
        (executor: RowExecutor, created: Bool), RunOrganizationFailure
    > {
        let organization = RowOrganization.externalId(externalId, name: name)
        switch await directory.resolve(organization) {
        case .success(let found):
            var executor = self
            executor.organizationId = found.id
            executor.runOrganization = organization
            return .success((executor, found.created))
        case .failure(let failure):
            return .failure(
                RunOrganizationFailure(
                    message: failure.message, error: failure.error, journalError: failure.journalError))
        }
    }

    /// Why the run's organization could not be found or created.
    public struct RunOrganizationFailure: Error, Sendable {
        public var message: String
        /// WorkOS's answer, when it gave one.
        public var error: WorkOSClientError?
        /// The journal could not record the create.
        public var journalError: JournalError?
    }

    /// The organization step: finds (or creates) the organization the row names, before anything else is
    /// created, so a row naming a missing organization fails before any user exists.
    func resolveOrganization(_ attempt: inout RowAttempt) async throws(RowStop) {
        guard let organization = attempt.organizationNamed else { return }
        switch await directory.resolve(organization) {
        case .success(let found):
            attempt.membershipTarget = found.id
            attempt.organizationCreated = found.created
        case .failure(let failure):
            throw .stop(organizationFailed(attempt.row, failure))
        }
    }

    /// The row's result when its organization could not be found or created; a journal that cannot record
    /// the create stops the run.
    func organizationFailed(_ row: ImportRow, _ failure: OrganizationDirectory.Failure) -> RowResult {
        var result = RowResult(failed: makeFailure(row, failure))
        result.halt = failure.journalError.map(ImportHalt.journal)
        return result
    }
}
