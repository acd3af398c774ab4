import ImportCore
import Synchronization
import WorkOSClient

/// The import's webhook check: lists the environment's endpoints once, before the first write, says what
/// the run will deliver to the enabled ones, and keeps the warning for `--json` (`webhookWarning`).
final class WebhookAnnouncement: Sendable {
    private let events: @Sendable () -> [WebhookEvent]?
    private let api: any WorkOSAPI
    private let found = Mutex<WebhookWarning?>(nil)

    /// - Parameter events: what the run makes; computed only when an enabled endpoint could receive it.
    init(events: @escaping @Sendable () -> [WebhookEvent]?, api: any WorkOSAPI) {
        self.events = events
        self.api = api
    }

    /// Lists the endpoints through the run's `runner` and returns what to tell stderr of what they will
    /// receive: the import reads them beside its preflight and says it only once the key has passed.
    @Sendable func check(runner: RequestRunner) async -> String {
        let check = await WebhookCheck.run(api: api, runner: runner)
        let note = check.note ?? ""
        guard case .listed(let enabled) = check, !enabled.isEmpty, let events = events(),
            let warning = check.warning(for: events)
        else { return note }
        found.withLock { $0 = warning }
        return note + warning.text
    }

    /// `webhookWarning` for `--json`: the warning's object, or `null` when there is none.
    var jsonMembers: [(key: String, value: String)] {
        [("webhookWarning", found.withLock { $0 }?.json ?? "null")]
    }
}
