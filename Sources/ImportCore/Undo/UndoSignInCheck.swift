import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Finds, before an undo asks, which of the users it would delete have signed in since the import, so the
/// preview can say how many people are using accounts it is about to take back.
///
/// Each user is read once through the runner (the read budget, retries), `concurrency` at a time; a user that
/// cannot be read is not counted here (the undo reads it again before deleting and says why it is left).
/// The undo itself reads every user again just before deleting it, so a sign-in between this check and the
/// deletion still keeps the user.
public struct UndoSignInCheck: Sendable {
    let plan: UndoPlan
    let api: any WorkOSAPI
    let runner: RequestRunner
    let concurrency: Int
    let stop: StopSignal

    /// - Parameters: as ``UndoRun``'s.
    public init(plan: UndoPlan, api: any WorkOSAPI, runner: RequestRunner, concurrency: Int, stop: StopSignal) {
        self.plan = plan
        self.api = api
        self.runner = runner
        self.concurrency = max(1, concurrency)
        self.stop = stop
    }

    /// The ids of `users` who signed in since the import, in the order given; stops reading at a stop.
    public func signedIn(among users: [String]) async -> [String] {
        let api = self.api
        let runner = self.runner
        let plan = self.plan
        var found: Set<String> = []
        await withTaskGroup(of: String?.self) { group in
            var iterator = users.makeIterator()
            func addNext() -> Bool {
                guard !stop.isRequested, let id = iterator.next() else { return false }
                group.addTask {
                    let read = await runner.send(.userManagementRead) {
                        () async throws(WorkOSClientError) -> WorkOSUser in
                        try await api.getUser(id: id)
                    }
                    switch read {
                    case .success(let user), .settled(let user):
                        return plan.signedIn(createdAt: user.createdAt, lastSignInAt: user.lastSignInAt) ? id : nil
                    case .failure:
                        return nil
                    }
                }
                return true
            }
            for _ in 0..<concurrency {
                if !addNext() { break }
            }
            while let result = await group.next() {
                if let result { found.insert(result) }
                _ = addNext()
            }
        }
        return users.filter { found.contains($0) }
    }
}
