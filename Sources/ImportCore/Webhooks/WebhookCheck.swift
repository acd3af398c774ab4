import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One kind of event a run makes WorkOS send, with about how many.
public struct WebhookEvent: Sendable, Equatable {
    /// The event type, such as `user.created`.
    public var type: String
    /// About how many the run makes (an upper bound: rows whose user or membership exists make none).
    public var about: Int

    public init(type: String, about: Int) {
        self.type = type
        self.about = about
    }

    /// The events an import of `rows` rows makes: a user per row; a membership per row when the rows join
    /// organizations; an update per row under `--if-exists update`; organizations when it may create them.
    public static func forImport(
        rows: Int, joinsOrganizations: Bool, updatesExisting: Bool, organizationsToCreate: Int
    ) -> [WebhookEvent] {
        var events = [WebhookEvent(type: "user.created", about: rows)]
        if joinsOrganizations { events.append(WebhookEvent(type: "organization_membership.created", about: rows)) }
        if updatesExisting { events.append(WebhookEvent(type: "user.updated", about: rows)) }
        if organizationsToCreate > 0 {
            events.append(WebhookEvent(type: "organization.created", about: organizationsToCreate))
        }
        return events
    }
}

/// What listing the environment's webhook endpoints found, before the first write: WorkOS's migration guide
/// asks for delivery to be paused during a bulk import, or every endpoint receives an event per user and
/// membership.
public enum WebhookCheck: Sendable, Equatable {
    /// The endpoints WorkOS delivers to now (only the enabled ones are kept).
    case listed(enabled: [WorkOSWebhookEndpoint])
    /// The key may not list webhook endpoints (403): not an error, but nothing is known.
    case notPermitted
    /// Listing failed otherwise (the first read of the run reports a wrong key or address itself).
    case failed

    /// At most this many pages are read: an environment has a handful of endpoints.
    static let pageLimit = 20

    /// Lists every webhook endpoint through `runner`, page by page.
    public static func run(api: any WorkOSAPI, runner: RequestRunner) async -> WebhookCheck {
        var enabled: [WorkOSWebhookEndpoint] = []
        var after: String?
        var seen: Set<String> = []
        for _ in 0..<pageLimit {
            let cursor = after
            let page = await runner.send(.generalOnly) {
                () async throws(WorkOSClientError) -> WorkOSList<WorkOSWebhookEndpoint> in
                try await api.listWebhookEndpoints(after: cursor)
            }
            switch page {
            case .success(let list), .settled(let list):
                enabled += list.data.filter(\.isEnabled)
                after = list.listMetadata?.after
                if let next = after, !seen.insert(next).inserted || list.data.isEmpty { after = nil }
            case .failure(.api(let error), _) where error.status == 403:
                return .notPermitted
            case .failure:
                return .failed
            }
            if after == nil { break }
        }
        return .listed(enabled: enabled)
    }

    /// The warning for a run making `events`, or nil when no enabled endpoint subscribes to any of them.
    public func warning(for events: [WebhookEvent]) -> WebhookWarning? {
        guard case .listed(let enabled) = self else { return nil }
        var delivered: [WebhookWarning.Delivery] = []
        var reached: Set<String> = []
        for event in events where event.about > 0 {
            let subscribed = enabled.filter { $0.events.contains(event.type) }
            guard !subscribed.isEmpty else { continue }
            delivered.append(.init(type: event.type, about: event.about, endpoints: subscribed.count))
            for endpoint in subscribed { reached.insert(endpoint.id) }
        }
        guard !delivered.isEmpty else { return nil }
        return WebhookWarning(endpoints: reached.count, deliveries: delivered)
    }

    /// The stderr note when nothing could be known, or nil.
    public var note: String? {
        switch self {
        case .notPermitted:
            return "This key may not list webhook endpoints (HTTP 403), so the import cannot tell whether they "
                + "will receive an event per user and membership; WorkOS recommends pausing webhook delivery "
                + "during a bulk import (Dashboard, Webhooks).\n"
        case .listed, .failed:
            return nil
        }
    }
}

/// What a run will deliver to the environment's enabled webhook endpoints.
public struct WebhookWarning: Sendable, Equatable {
    /// One event type and where it goes.
    public struct Delivery: Sendable, Equatable {
        public var type: String
        public var about: Int
        /// The enabled endpoints subscribed to the type.
        public var endpoints: Int
    }

    /// The enabled endpoints that receive any of the run's events.
    public var endpoints: Int
    /// Each event type the run makes that some enabled endpoint subscribes to.
    public var deliveries: [Delivery]

    /// The stderr text, e.g. `Webhooks: this import will send about 2,000 user.created and about 2,000
    /// organization_membership.created events to 2 enabled webhook endpoints. …`
    public var text: String {
        let parts = deliveries.map { delivery in
            let reach =
                delivery.endpoints == endpoints ? "" : " (to \(Self.count(delivery.endpoints, "endpoint")))"
            return "about \(ReportText.grouped(delivery.about)) \(delivery.type)\(reach)"
        }
        let listed =
            parts.count == 1
            ? parts[0] : parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
        return
            "Webhooks: this import will send \(listed) events to \(Self.count(endpoints, "enabled webhook endpoint")). "
            + "WorkOS recommends pausing webhook delivery during a bulk import (Dashboard, Webhooks) and resuming "
            + "it afterwards.\n"
    }

    /// The `webhookWarning` object of `--json`:
    /// `{"endpoints":2,"events":[{"about":2000,"endpoints":2,"type":"user.created"}],"message":"…"}`.
    public var json: String {
        SummaryFormatter.encode(WebhookWarningJSON(self))
    }

    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}

private struct WebhookWarningJSON: Encodable {
    struct Event: Encodable {
        let type: String
        let about: Int
        let endpoints: Int

        enum CodingKeys: String, CodingKey {
            case type, about, endpoints
        }
    }

    let endpoints: Int
    let events: [Event]
    let message: String

    enum CodingKeys: String, CodingKey {
        case endpoints, events, message
    }

    init(_ warning: WebhookWarning) {
        endpoints = warning.endpoints
        events = warning.deliveries.map { Event(type: $0.type, about: $0.about, endpoints: $0.endpoints) }
        message = String(warning.text.dropLast())
    }
}

extension WebhookEvent {
    /// The events an import of the file at `path` with `configuration` makes, or nil when the file cannot be
    /// read (the run itself says why). Reads the header and counts the rows; called only when an enabled
    /// endpoint could receive them.
    public static func forImport(
        path: String, format: CSVFormat, mapping: ColumnMapping, configuration: ImportConfiguration
    ) -> [WebhookEvent]? {
        guard let reader = try? CSVReader(path: path, format: format),
            let validator = try? RowValidator(header: reader.header, limits: configuration.limits, mapping: mapping),
            let counted = try? CSVReader.fastRecordCount(path: path, delimiter: reader.delimiter)
        else { return nil }
        let rows = max(0, counted - (reader.hasSeparatorLine ? 1 : 0))
        let joins = configuration.organization != .none || validator.hasOrganizationColumns
        return forImport(
            rows: rows, joinsOrganizations: joins, updatesExisting: configuration.ifExists == .update,
            organizationsToCreate: configuration.organization.mayCreate ? 1 : 0)
    }
}
