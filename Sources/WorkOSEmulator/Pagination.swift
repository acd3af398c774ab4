/// WorkOS list paging: `limit`, `order` and an `after` / `before` object-id cursor.
///
/// `desc` (default) lists newest first and `asc` oldest first; in both, `after` moves forward in
/// the listed order. `normal` lists newest first but swaps the cursors: `before` fetches older
/// records and `after` newer ones. A cursor whose object was deleted still marks its place; an
/// id that never existed is a 422 rather than a silent restart, so a client cannot loop forever.
struct Pagination {
    /// Sort direction requested.
    enum Order: String {
        case asc, desc, normal
    }

    var limit = 10
    var order = Order.desc
    var after: String?
    var before: String?

    /// Reads the paging parameters from a query, refusing out-of-range values with 422.
    init(query: [String: [String]]) throws(APIError) {
        if let text = query["limit"]?.last {
            guard let value = Int(text), (1...100).contains(value) else {
                throw .invalidParameters("limit must be an integer between 1 and 100.")
            }
            limit = value
        }
        if let text = query["order"]?.last {
            guard let value = Order(rawValue: text) else {
                throw .invalidParameters("order must be one of: asc, desc, normal.")
            }
            order = value
        }
        after = query["after"]?.last.flatMap { $0.isEmpty ? nil : $0 }
        before = query["before"]?.last.flatMap { $0.isEmpty ? nil : $0 }
        if after != nil, before != nil {
            throw .invalidParameters("Send either before or after, not both.")
        }
    }

    /// Pages `items` (in creation order). `sequenceOf` resolves a cursor id to its creation
    /// position, including ids of deleted objects; nil means the id never existed.
    func page<Item>(
        _ items: [Item], sequence: (Item) -> Int, id: (Item) -> String, sequenceOf: (String) -> Int?
    ) throws(APIError) -> (data: [Item], before: String?, after: String?) {
        let ascending = order == .asc
        let listed = ascending ? items : items.reversed()
        // In `normal` order `before` walks forward (older) and `after` backward (newer).
        let forwardCursor = order == .normal ? before : after
        let backwardCursor = order == .normal ? after : before
        var start = 0
        var end = listed.count
        if let cursor = forwardCursor {
            guard let position = sequenceOf(cursor) else {
                throw .invalidParameters("The cursor '\(cursor)' does not match any object.")
            }
            start = listed.firstIndex { ascending ? sequence($0) > position : sequence($0) < position } ?? listed.count
            end = min(listed.count, start + limit)
        } else if let cursor = backwardCursor {
            guard let position = sequenceOf(cursor) else {
                throw .invalidParameters("The cursor '\(cursor)' does not match any object.")
            }
            end = listed.firstIndex { ascending ? sequence($0) >= position : sequence($0) <= position } ?? listed.count
            start = max(0, end - limit)
        } else {
            end = min(listed.count, limit)
        }
        let data = Array(listed[start..<end])
        let forwardToken = end < listed.count ? data.last.map(id) : nil
        let backwardToken = start > 0 ? data.first.map(id) : nil
        if order == .normal {
            return (data, forwardToken, backwardToken)
        }
        return (data, backwardToken, forwardToken)
    }

    /// The list envelope with `list_metadata`.
    static func envelope(_ data: [JSONValue], before: String?, after: String?) -> JSONValue {
        .object([
            "object": .string("list"),
            "data": .array(data),
            "list_metadata": .object(["before": .optionalString(before), "after": .optionalString(after)]),
        ])
    }
}
