import Synchronization
import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Takes an import back: deletes what its ``UndoPlan`` lists, in an order that keeps every step safe, and
/// records each deletion in the ``UndoJournal``.
///
/// 1. Users the import created: each is read first; one changed since the import, or one who signed in since
///    (unless `includeSignedIn`), is left, the others are deleted (their memberships and factors go with
///    them).
/// 2. Memberships the import created for users that existed before are deleted; those it reactivated are
///    deactivated again (they were there, inactive, before it).
/// 3. Factors the import enrolled for users that existed before: the user's factors are listed first, and a
///    factor counts as gone only when the user is there and its list lacks the factor.
/// 4. Organizations the import created, each only when listing its memberships (every status, every page)
///    finds none left: a member the import did not add, or one of a user this undo left, keeps it.
///
/// Every request goes through the ``RequestRunner`` (retries, pacing; organization deletes on their own
/// budget). A 404 counts as "gone" only on a spec route, for an id the journal recorded, in the environment
/// the import wrote to (the command checks the journal's environment and the key before this runs). Users,
/// memberships and factors are worked on `concurrency` at a time; organizations one at a time, as their
/// limit is low.
///
/// A ``StopSignal`` (Ctrl-C, SIGTERM, SIGHUP) stops it starting new work: what is in flight finishes and is
/// recorded, the rest is counted as not attempted, and the next undo continues from its journal.
public struct UndoRun: Sendable {
    let plan: UndoPlan
    let journal: UndoJournal
    let api: any WorkOSAPI
    let runner: RequestRunner
    let concurrency: Int
    let stop: StopSignal
    /// Delete created users who signed in since the import too (`--include-signed-in`); by default they are
    /// left and listed, since someone is using the account.
    let includeSignedIn: Bool

    /// - Parameters:
    ///   - plan: what the import created.
    ///   - journal: the undo journal, already opened for this import.
    ///   - api: WorkOS.
    ///   - runner: the requests' retries and pacing.
    ///   - concurrency: how many deletions are in flight at once (organizations excepted).
    ///   - stop: asked for when the run should stop starting new work.
    ///   - includeSignedIn: delete created users who signed in since the import too.
    public init(
        plan: UndoPlan, journal: UndoJournal, api: any WorkOSAPI, runner: RequestRunner, concurrency: Int,
        stop: StopSignal = StopSignal(), includeSignedIn: Bool = false
    ) {
        self.includeSignedIn = includeSignedIn
        self.plan = plan
        self.journal = journal
        self.api = api
        self.runner = runner
        self.concurrency = max(1, concurrency)
        self.stop = stop
    }

    /// Runs the undo to its end (or to a stop) and says what it did and left.
    public func run() async -> UndoReport {
        let report = ReportBox(UndoReport(runId: plan.runId))
        report.withLock { $0.alreadyDeleted = journal.done.count }
        let done = journal.done
        let api = self.api
        let plan = self.plan

        let users = plan.users.filter { !done.contains(UndoItem(kind: .user, id: $0)) }
        await forEach(users, report: report) { id in
            let outcome = await deleteUser(id, plan: plan, api: api)
            settle(UndoItem(kind: .user, id: id), outcome, into: report)
        }
        let memberships = plan.memberships.filter { !done.contains(UndoItem(kind: .membership, id: $0.id)) }
        await forEach(memberships, report: report) { membership in
            let id = membership.id
            let outcome: Outcome
            if membership.reactivated {
                outcome = await deactivateMembership(id, api: api)
            } else {
                outcome = await delete(.userManagementWrite) { () async throws(WorkOSClientError) in
                    try await api.deleteMembership(id: id)
                }
            }
            settle(UndoItem(kind: .membership, id: id), outcome, into: report)
        }
        let factors = plan.factors.filter { !done.contains(UndoItem(kind: .factor, id: $0.id)) }
        await forEach(factors, report: report) { factor in
            let outcome = await deleteFactor(factor, api: api)
            settle(UndoItem(kind: .factor, id: factor.id), outcome, into: report)
        }
        await deleteRoles(organizationRoles: true, done: done, report: report)
        let connections = plan.connections.filter { !done.contains(UndoItem(kind: .connection, id: $0)) }
        await forEach(connections, report: report) { id in
            let outcome = await delete(.generalOnly) { () async throws(WorkOSClientError) in
                try await api.deleteSSOConnection(id: id)
            }
            settle(UndoItem(kind: .connection, id: id), outcome, into: report)
        }
        let leftUsers = Set(report.withLock { $0.left.filter { $0.kind == .user }.map(\.id) })
        let organizations = plan.organizations.filter { !done.contains(UndoItem(kind: .organization, id: $0.id)) }
        for (index, organization) in organizations.enumerated() {
            if stop.isRequested {
                report.withLock {
                    $0.interrupted = true
                    $0.notAttempted += organizations.count - index
                }
                break
            }
            let outcome = await deleteOrganization(organization.id, leftUsers: leftUsers, api: api)
            settle(UndoItem(kind: .organization, id: organization.id), outcome, into: report)
        }
        await deleteRoles(organizationRoles: false, done: done, report: report)
        await deletePermissions(done: done, report: report)
        return report.withLock { $0 }
    }

    /// How one deletion ended.
    enum Outcome: Sendable, Equatable {
        /// Deleted now, or found already gone.
        case deleted
        /// A membership the import reactivated, inactive again.
        case deactivated
        /// Left in WorkOS, for this reason.
        case left(String)
    }

    /// Records a deletion in the undo journal and the report, or a thing left in the report.
    func settle(_ item: UndoItem, _ outcome: Outcome, into report: ReportBox) {
        switch outcome {
        case .deleted:
            do throws(UndoError) {
                try journal.recordDeleted(item)
                report.withLock { $0.countDeleted(item.kind) }
            } catch {
                report.withLock {
                    $0.countDeleted(item.kind)
                    $0.left.append(
                        .init(kind: item.kind, id: item.id, reason: "deleted, but not recorded: \(error.description)"))
                }
            }
        case .deactivated:
            do throws(UndoError) {
                try journal.recordDeactivated(item)
                report.withLock { $0.membershipsDeactivated += 1 }
            } catch {
                report.withLock {
                    $0.membershipsDeactivated += 1
                    $0.left.append(
                        .init(
                            kind: item.kind, id: item.id, reason: "deactivated, but not recorded: \(error.description)")
                    )
                }
            }
        case .left(let reason):
            report.withLock { $0.left.append(.init(kind: item.kind, id: item.id, reason: reason)) }
        }
    }

    /// Makes a membership the import reactivated inactive again. WorkOS answers 200 for one already inactive;
    /// a 404 means it was deleted since, which leaves nothing of the import's behind either.
    private func deactivateMembership(_ id: String, api: any WorkOSAPI) async -> Outcome {
        let result = await runner.send(.userManagementWrite) {
            () async throws(WorkOSClientError) -> WorkOSMembership in
            try await api.deactivateMembership(id: id)
        }
        switch result {
        case .success, .settled:
            return .deactivated
        case .failure(let error, _):
            if Self.isNotFound(error) { return .deleted }
            return .left("deactivating it (the import had reactivated it) failed: \(error.summary)")
        }
    }

    /// Deletes a factor the import enrolled, once the user's factor list shows it is there.
    ///
    /// A 404 on a delete alone proves nothing (a path WorkOS does not serve answers 404 too), so a factor
    /// counts as gone only when its user is there and the user's list lacks it. A user that cannot be found
    /// leaves the factor listed: WorkOS removes a deleted user's factors, but nothing here confirmed it.
    private func deleteFactor(_ factor: UndoPlan.Factor, api: any WorkOSAPI) async -> Outcome {
        let id = factor.id
        guard let userId = factor.userId else {
            return .left("the journal does not say whose factor it is, so it cannot be confirmed; delete it by hand")
        }
        switch await factorListed(id, userId: userId, api: api) {
        case .failure(let reason):
            return .left(reason.text)
        case .success(.absent):
            return .deleted
        case .success(.present), .success(.unknown):
            break
        }
        let result = await runner.send(.userManagementWrite) { () async throws(WorkOSClientError) in
            try await api.deleteAuthFactor(id: id)
        }
        switch result {
        case .success, .settled:
            return .deleted
        case .failure(let error, _):
            guard Self.isNotFound(error) else { return .left("deleting it failed: \(error.summary)") }
            // Gone between the list and the delete, or the delete went somewhere that does not know it.
            if case .success(.absent) = await factorListed(id, userId: userId, api: api) { return .deleted }
            return .left(
                "deleting it answered 404 (\(error.summary)) while user \(userId)'s factors still list it; "
                    + "delete it by hand")
        }
    }

    /// Whether a user's factor list holds a factor.
    enum Listing: Sendable, Equatable {
        case present
        case absent
        /// Not in the first page of a full list: it may be on a later one.
        case unknown
    }

    /// Lists `userId`'s factors and says whether `id` is among them; a failure is the reason it is left.
    private func factorListed(_ id: String, userId: String, api: any WorkOSAPI) async -> Result<Listing, LeftReason> {
        let listed = await runner.send(.userManagementRead) {
            () async throws(WorkOSClientError) -> [WorkOSAuthFactor] in
            try await api.listAuthFactors(userId: userId)
        }
        switch listed {
        case .success(let factors), .settled(let factors):
            if factors.contains(where: { $0.id == id }) { return .success(.present) }
            return .success(factors.count >= Self.factorPage ? .unknown : .absent)
        case .failure(let error, _):
            if Self.isNotFound(error) {
                return .failure(
                    LeftReason(
                        "its user \(userId) was not found, so the factor's deletion cannot be confirmed (a deleted "
                            + "user's factors go with it)"))
            }
            return .failure(LeftReason("listing user \(userId)'s factors failed: \(error.summary)"))
        }
    }

    /// How many factors one list answer holds at most (`limit=100`).
    static let factorPage = 100

    /// Reads a created user and deletes it unless someone changed it since the import.
    private func deleteUser(_ id: String, plan: UndoPlan, api: any WorkOSAPI) async -> Outcome {
        let read = await runner.send(.userManagementRead) { () async throws(WorkOSClientError) -> WorkOSUser in
            try await api.getUser(id: id)
        }
        switch read {
        case .success(let user), .settled(let user):
            let signedIn = plan.signedIn(createdAt: user.createdAt, lastSignInAt: user.lastSignInAt)
            if signedIn, !includeSignedIn, let lastSignIn = user.lastSignInAt {
                return .left(
                    "signed in since the import (last_sign_in_at \(lastSignIn)); run undo with --include-signed-in "
                        + "to delete it too")
            }
            if plan.wasChanged(createdAt: user.createdAt, updatedAt: user.updatedAt)
                && !(signedIn && plan.changedOnlyBySignIn(updatedAt: user.updatedAt, lastSignInAt: user.lastSignInAt))
            {
                return .left(
                    "changed after the import (updated_at \(user.updatedAt) is later than the import's last "
                        + "journal time \(Timestamp.format(plan.lastRecordedAt))); delete it by hand if it should go")
            }
        case .failure(let error, _):
            if Self.isNotFound(error) { return .deleted }
            return .left("reading it failed: \(error.summary)")
        }
        return await delete(.userManagementWrite) { () async throws(WorkOSClientError) in
            try await api.deleteUser(id: id)
        }
    }

    /// Deletes an organization the import created when no membership of it is left.
    private func deleteOrganization(_ id: String, leftUsers: Set<String>, api: any WorkOSAPI) async -> Outcome {
        var members: [WorkOSMembership] = []
        var after: String?
        var seenCursors: Set<String> = []
        repeat {
            let cursor = after
            let page = await runner.send(.userManagementRead) {
                () async throws(WorkOSClientError) -> WorkOSList<WorkOSMembership> in
                try await api.listMemberships(organizationId: id, after: cursor)
            }
            switch page {
            case .success(let list), .settled(let list):
                members += list.data
                after = list.listMetadata?.after
                // A cursor seen before would page forever (some servers ignore an unknown cursor).
                if let next = after, !seenCursors.insert(next).inserted || list.data.isEmpty { after = nil }
            case .failure(let error, _):
                if Self.isNotFound(error) { return .deleted }
                return .left("listing its members failed: \(error.summary)")
            }
        } while after != nil
        if !members.isEmpty {
            let ours = members.filter { leftUsers.contains($0.userId) }.count
            let others = members.count - ours
            var parts: [String] = []
            if others > 0 { parts.append("\(others) member\(others == 1 ? "" : "s") the import did not add") }
            if ours > 0 { parts.append("\(ours) of users this undo left") }
            let example = members.first.map { " (e.g. user \($0.userId))" } ?? ""
            return .left("it still holds " + parts.joined(separator: " and ") + example)
        }
        return await delete(.organizationDelete) { () async throws(WorkOSClientError) in
            try await api.deleteOrganization(id: id)
        }
    }

    /// Sends one delete; a 404 means already gone.
    func delete(
        _ budget: RequestBudget, _ operation: @escaping @Sendable () async throws(WorkOSClientError) -> Void
    ) async -> Outcome {
        switch await runner.send(budget, operation) {
        case .success, .settled:
            return .deleted
        case .failure(let error, _):
            if Self.isNotFound(error) { return .deleted }
            return .left("deleting it failed: \(error.summary)")
        }
    }

    static func isNotFound(_ error: WorkOSClientError) -> Bool {
        if case .api(let apiError) = error, apiError.status == 404 { return true }
        return false
    }

    /// Runs `body` for every item, at most ``concurrency`` at a time; after a stop, starts no more and
    /// counts the rest as not attempted.
    private func forEach<Item: Sendable>(
        _ items: [Item], report: ReportBox, _ body: @escaping @Sendable (Item) async -> Void
    ) async {
        var started = 0
        await withTaskGroup(of: Void.self) { group in
            var iterator = items.makeIterator()
            for _ in 0..<concurrency {
                guard !stop.isRequested, let item = iterator.next() else { break }
                started += 1
                group.addTask { await body(item) }
            }
            while await group.next() != nil {
                guard !stop.isRequested, let item = iterator.next() else { continue }
                started += 1
                group.addTask { await body(item) }
            }
        }
        if started < items.count {
            let rest = items.count - started
            report.withLock {
                $0.interrupted = true
                $0.notAttempted += rest
            }
        }
    }
}

/// Why something is left, as a failure value.
struct LeftReason: Error, Sendable, Equatable {
    var text: String
    init(_ text: String) { self.text = text }
}

/// The report the concurrent deletions fill in.
final class ReportBox: Sendable {
    private let report: Mutex<UndoReport>

    init(_ report: UndoReport) {
        self.report = Mutex(report)
    }

    func withLock<T: Sendable>(_ body: (inout UndoReport) -> T) -> T {
        report.withLock { body(&$0) }
    }
}
