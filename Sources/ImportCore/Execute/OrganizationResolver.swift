import WorkOSClient

/// Finds (or creates, once) the organization of an organization-mode import, before any row is sent.
struct OrganizationResolver {
    let api: any WorkOSAPI
    let runner: RequestRunner
    let runId: String

    /// The organization's WorkOS id, or `nil` without an organization mode. A missing organization is fatal
    /// unless it may be created.
    func resolve(_ target: OrganizationTarget, log: any TextSink) async throws(ImportError) -> String? {
        let api = self.api
        switch target {
        case .none:
            return nil
        case .id(let id):
            switch await runner.send(
                .generalOnly, { () async throws(WorkOSClientError) in try await api.getOrganization(id: id) })
            {
            case .success(let organization), .settled(let organization):
                return organization.id
            case .failure(let error, _):
                throw Self.fatal(error, what: "'\(id)'")
            }
        case .externalId(let externalId, let name):
            let lookup = await runner.send(.generalOnly) { () async throws(WorkOSClientError) in
                try await api.getOrganization(externalId: externalId)
            }
            switch lookup {
            case .success(let organization), .settled(let organization):
                return organization.id
            case .failure(let error, _):
                guard Self.isNotFound(error) else { throw Self.fatal(error, what: "with external id '\(externalId)'") }
            }
            guard let name else { throw .organizationNotFound("with external id '\(externalId)'") }
            let request = CreateOrganizationRequest(name: name, externalId: externalId)
            let key = IdempotencyKey.make(runId: runId, record: 0, operation: "create-organization")
            let created = await runner.send(
                .generalOnly,
                { () async throws(WorkOSClientError) in try await api.createOrganization(request, idempotencyKey: key)
                },
                settle: { () async throws(WorkOSClientError) -> RequestRunner.Settlement<WorkOSOrganization> in
                    do throws(WorkOSClientError) {
                        return .found(try await api.getOrganization(externalId: externalId))
                    } catch {
                        if Self.isNotFound(error) { return .notFound }
                        throw error
                    }
                })
            switch created {
            case .success(let organization), .settled(let organization):
                log.write("Created organization \"\(name)\" (\(organization.id)).\n")
                return organization.id
            case .failure(let error, _):
                throw Self.fatal(error, what: "\"\(name)\"")
            }
        }
    }

    /// The WorkOS id of the organization with this external id, or `nil` when there is none yet (an import
    /// with `--create-org-if-missing` creates it once its journal is open, so the create is journaled).
    func lookUp(externalId: String) async throws(ImportError) -> String? {
        let api = self.api
        switch await runner.send(
            .generalOnly,
            { () async throws(WorkOSClientError) in
                try await api.getOrganization(externalId: externalId)
            })
        {
        case .success(let organization), .settled(let organization):
            return organization.id
        case .failure(let error, _):
            guard Self.isNotFound(error) else { throw Self.fatal(error, what: "with external id '\(externalId)'") }
            return nil
        }
    }

    private static func isNotFound(_ error: WorkOSClientError) -> Bool {
        error.httpStatus == 404
    }

    static func fatal(_ error: WorkOSClientError, what: String) -> ImportError {
        if case .unreachable = ImportHalt(error) { return .unreachable(error) }
        switch error.httpStatus {
        case 404: return .organizationNotFound(what)
        case 401, 403: return .unauthorized(error)
        default: return .organization(what, error)
        }
    }
}
