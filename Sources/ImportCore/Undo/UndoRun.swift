import Foundation
import Synchronization
import WorkOSClient

/// Takes an import back: deletes what its ``UndoPlan`` lists, in an order that keeps every step safe, and
/// records each deletion in the ``UndoJournal``.
///
/// 1. Users the import created: each is read first; one changed since the import is left, the others are
///    deleted (their memberships and factors go with them).
/// 2. Memberships the import created for users that existed before.
/// 3. Factors the import enrolled for users that existed before.
/// 4. Organizations the import created, each only when listing its memberships (every status, every page)
///    finds none left: a member the import did not add, or one of a user this undo left, keeps it.
///
/// Every request goes through the ``RequestRunner`` (retries, pacing; organization deletes on their own
/// budget). A 404 on a delete means the thing is already gone and counts as deleted. Users, memberships and
/// factors are worked on `concurrency` at a time; organizations one at a time, as their limit is low.
public struct UndoRun: Sendable {
    let plan: UndoPlan
    let journal: UndoJournal
    let api: any WorkOSAPI
    let runner: RequestRunner
    let concurrency: Int

    /// - Parameters:
    ///   - plan: what the import created.
    ///   - journal: the undo journal, already opened for this import.
    ///   - api: WorkOS.
    ///   - runner: the requests' retries and pacing.
    ///   - concurrency: how many deletions are in flight at once (organizations excepted).
    public init(plan: UndoPlan, journal: UndoJournal, api: any WorkOSAPI, runner: RequestRunner, concurrency: Int) {
        self.plan = plan
        self.journal = journal
        self.api = api
        self.runner = runner
        self.concurrency = max(1, concurrency)
    }

    /// Runs the undo to its end and says what it did and left.
    public func run() async -> UndoReport {
        let report = ReportBox(UndoReport(runId: plan.runId))
        report.withLock { $0.alreadyDeleted = journal.done.count }
        let done = journal.done
        let api = self.api
        let plan = self.plan

        let users = plan.users.filter { !done.contains(UndoItem(kind: .user, id: $0)) }
        await forEach(users) { id in
            let outcome = await deleteUser(id, plan: plan, api: api)
            settle(UndoItem(kind: .user, id: id), outcome, into: report)
        }
        let memberships = plan.memberships.filter { !done.contains(UndoItem(kind: .membership, id: $0.id)) }
        await forEach(memberships) { membership in
            let id = membership.id
            let outcome = await delete(.userManagementWrite) { () async throws(WorkOSClientError) in
                try await api.deleteMembership(id: id)
            }
            settle(UndoItem(kind: .membership, id: id), outcome, into: report)
        }
        let factors = plan.factors.filter { !done.contains(UndoItem(kind: .factor, id: $0.id)) }
        await forEach(factors) { factor in
            let id = factor.id
            let outcome = await delete(.userManagementWrite) { () async throws(WorkOSClientError) in
                try await api.deleteAuthFactor(id: id)
            }
            settle(UndoItem(kind: .factor, id: id), outcome, into: report)
        }
        let leftUsers = Set(report.withLock { $0.left.filter { $0.kind == .user }.map(\.id) })
        for organization in plan.organizations where !done.contains(UndoItem(kind: .organization, id: organization.id))
        {
            let outcome = await deleteOrganization(organization.id, leftUsers: leftUsers, api: api)
            settle(UndoItem(kind: .organization, id: organization.id), outcome, into: report)
        }
        return report.withLock { $0 }
    }

    /// How one deletion ended.
    enum Outcome: Sendable, Equatable {
        /// Deleted now, or found already gone.
        case deleted
        /// Left in WorkOS, for this reason.
        case left(String)
    }

    /// Records a deletion in the undo journal and the report, or a thing left in the report.
    private func settle(_ item: UndoItem, _ outcome: Outcome, into report: ReportBox) {
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
        case .left(let reason):
            report.withLock { $0.left.append(.init(kind: item.kind, id: item.id, reason: reason)) }
        }
    }

    /// Reads a created user and deletes it unless someone changed it since the import.
    private func deleteUser(_ id: String, plan: UndoPlan, api: any WorkOSAPI) async -> Outcome {
        let read = await runner.send(.userManagementRead) { () async throws(WorkOSClientError) -> WorkOSUser in
            try await api.getUser(id: id)
        }
        switch read {
        case .success(let user), .settled(let user):
            if plan.wasChanged(createdAt: user.createdAt, updatedAt: user.updatedAt) {
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
    private func delete(
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

    /// Runs `body` for every item, at most ``concurrency`` at a time.
    private func forEach<Item: Sendable>(_ items: [Item], _ body: @escaping @Sendable (Item) async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            var iterator = items.makeIterator()
            for _ in 0..<concurrency {
                guard let item = iterator.next() else { break }
                group.addTask { await body(item) }
            }
            while await group.next() != nil {
                if let item = iterator.next() { group.addTask { await body(item) } }
            }
        }
    }
}

/// The report the concurrent deletions fill in.
private final class ReportBox: Sendable {
    private let report: Mutex<UndoReport>

    init(_ report: UndoReport) {
        self.report = Mutex(report)
    }

    func withLock<T: Sendable>(_ body: (inout UndoReport) -> T) -> T {
        report.withLock { body(&$0) }
    }
}
