/// First answers to POSTs by `Idempotency-Key`, so a retried request gets the same answer and
/// does not do the work twice. Keys are scoped to the route; answers are kept for the run.
struct IdempotencyCache: Sendable {
    /// A stored answer.
    struct Entry: Sendable {
        /// Status of the first answer.
        var status: Int
        /// Body of the first answer.
        var body: JSONValue?
    }

    private var entries: [String: Entry] = [:]

    /// The stored answer for `key` on `route`, if any.
    func lookup(route: String, key: String) -> Entry? {
        entries[route + "\u{0}" + key]
    }

    /// Stores the first answer for `key` on `route`; later ones do not replace it.
    mutating func store(route: String, key: String, entry: Entry) {
        let composite = route + "\u{0}" + key
        if entries[composite] == nil { entries[composite] = entry }
    }
}
