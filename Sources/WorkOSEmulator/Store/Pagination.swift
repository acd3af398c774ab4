/// WorkOS list paging: `limit`, `order` and an `after` / `before` object-id cursor.
///
/// `desc` (default) lists newest first and `asc` oldest first; in both, `after` moves forward in
/// the listed order. `normal` lists newest first but swaps the cursors: `before` fetches older
/// records and `after` newer ones. A cursor whose object was deleted still marks its place; an
/// id that never existed is a 422 rather than a silent restart, so a client cannot loop forever.
struct Pagination {
    /// Sort direction requested.
    enum Order: String {
        /// Oldest first, newest first, or newest first with swapped cursors.
        case asc, desc, normal
    }

    /// Page size, 1...100.
    var limit = 10
    /// Sort direction.
    var order = Order.desc
    /// Cursor: the page after this id.
    var after: String?
    /// Cursor: the page before this id.
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

    /// Pages `items` (in creation order, so `sequence` ascends). `sequenceOf` resolves a cursor
    /// id to its creation position, including ids of deleted objects; nil means the id never
    /// existed. Cursor positions are found by binary search, so paging a large list is cheap.
    func page<Item>(
        _ items: [Item], sequence: (Item) -> Int, id: (Item) -> String, sequenceOf: (String) -> Int?
    ) throws(APIError) -> (data: [Item], before: String?, after: String?) {
        let ascending = order == .asc
        let count = items.count
        // Number of items whose sequence is below `position` (or at most `position` when inclusive).
        func countBelow(_ position: Int, inclusive: Bool) -> Int {
            var low = 0
            var high = count
            while low < high {
                let middle = (low + high) / 2
                let value = sequence(items[middle])
                if value < position || (inclusive && value == position) { low = middle + 1 } else { high = middle }
            }
            return low
        }
        func resolve(_ cursor: String) throws(APIError) -> Int {
            guard let position = sequenceOf(cursor) else {
                throw .invalidParameters("The cursor '\(cursor)' does not match any object.")
            }
            return position
        }
        // In `normal` order `before` walks forward (older) and `after` backward (newer).
        let forwardCursor = order == .normal ? before : after
        let backwardCursor = order == .normal ? after : before
        var start = 0
        var end = min(count, limit)
        if let cursor = forwardCursor {
            let position = try resolve(cursor)
            start = ascending ? countBelow(position, inclusive: true) : count - countBelow(position, inclusive: false)
            end = min(count, start + limit)
        } else if let cursor = backwardCursor {
            let position = try resolve(cursor)
            end = ascending ? countBelow(position, inclusive: false) : count - countBelow(position, inclusive: true)
            start = max(0, end - limit)
        }
        let data = (start..<end).map { ascending ? items[$0] : items[count - 1 - $0] }
        let forwardToken = end < count ? data.last.map(id) : nil
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
