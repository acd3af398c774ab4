/// A page of a WorkOS list endpoint (contract §2).
public struct WorkOSList<Element: Decodable & Sendable>: Decodable, Sendable {
    /// Cursors for the previous and next page; `after` is `nil` on the last page.
    public struct ListMetadata: Decodable, Sendable {
        public var before: String?
        public var after: String?

        public init(before: String? = nil, after: String? = nil) {
            self.before = before
            self.after = after
        }
    }

    public var data: [Element]
    public var listMetadata: ListMetadata?

    public init(data: [Element], listMetadata: ListMetadata? = nil) {
        self.data = data
        self.listMetadata = listMetadata
    }

    enum CodingKeys: String, CodingKey {
        case data
        case listMetadata = "list_metadata"
    }
}
