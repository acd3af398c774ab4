/// One HTTP request as the engine sees it, independent of the server framework.
struct EmulatorRequest: Sendable {
    /// Upper-case method, e.g. `POST`.
    var method: String
    /// Path without the query, e.g. `/user_management/users`.
    var path: String
    /// Query parameters; a name may repeat.
    var query: [String: [String]]
    /// Headers by lower-case name.
    var headers: [String: String]
    /// Raw body bytes.
    var body: [UInt8]

    /// Splits `/path?a=1&b=2` into path and decoded query.
    init(method: String, target: String, headers: [String: String], body: [UInt8]) {
        self.method = method
        self.headers = headers
        self.body = body
        var query: [String: [String]] = [:]
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            for pair in target[target.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0]).replacingPlus.removingPercentEncoding
                let value = parts.count > 1 ? String(parts[1]).replacingPlus.removingPercentEncoding : ""
                query[name, default: []].append(value)
            }
        } else {
            path = target
        }
        self.query = query
    }
}

/// The engine's answer: a response to write, or a connection to close without one.
struct EmulatorReply: Sendable {
    /// What the server does with the connection.
    enum Action: Sendable, Equatable {
        /// Write the response.
        case respond
        /// Reset the connection (TCP RST) without answering; nothing was done.
        case reset
        /// Close the connection without answering; the work was done.
        case drop
    }

    /// HTTP status (0 when the connection is closed instead).
    var status: Int
    /// JSON body; nil for an empty body.
    var body: JSONValue?
    /// Extra response headers (`X-Request-ID` and `Content-Type` are always added).
    var headers: [(String, String)] = []
    /// Whether to answer or close the connection.
    var action: Action = .respond
    /// Pre-rendered body for the control endpoint.
    var rawBody: [UInt8]? = nil

    /// The bytes to send.
    var bodyBytes: [UInt8] {
        rawBody ?? body?.serializedBytes() ?? []
    }
}

extension String {
    fileprivate var replacingPlus: String {
        contains("+") ? String(map { $0 == "+" ? " " : $0 }) : self
    }
}
