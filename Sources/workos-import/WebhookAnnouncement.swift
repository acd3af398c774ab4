import ImportCore
import Synchronization
import WorkOSClient

/// The import's webhook check: lists the environment's endpoints once, before the first write, tells stderr
/// what the run will deliver to the enabled ones, and keeps the warning for `--json` (`webhookWarning`).
final class WebhookAnnouncement: Sendable {
    private let events: @Sendable () -> [WebhookEvent]?
    private let api: any WorkOSAPI
    private let stderr: any TextSink
    private let found = Mutex<WebhookWarning?>(nil)

    /// - Parameter events: what the run makes; computed only when an enabled endpoint could receive it.
    init(events: @escaping @Sendable () -> [WebhookEvent]?, api: any WorkOSAPI, stderr: any TextSink) {
        self.events = events
        self.api = api
        self.stderr = stderr
    }

    /// Lists the endpoints through the run's `runner` and says what they will receive.
    @Sendable func check(runner: RequestRunner) async {
        let check = await WebhookCheck.run(api: api, runner: runner)
        if let note = check.note { stderr.write(note) }
        guard case .listed(let enabled) = check, !enabled.isEmpty, let events = events(),
            let warning = check.warning(for: events)
        else { return }
        stderr.write(warning.text)
        found.withLock { $0 = warning }
    }

    /// `webhookWarning` for `--json`: the warning's object, or `null` when there is none.
    var jsonMembers: [(key: String, value: String)] {
        [("webhookWarning", found.withLock { $0 }?.json ?? "null")]
    }
}
