/// An error answer from the WorkOS API: the status plus the parsed error envelope (contract §1).
public struct WorkOSAPIError: Error, Sendable, Equatable {
    /// One entry of the envelope's `errors` array.
    public struct Detail: Codable, Sendable, Equatable {
        public var code: String
        public var message: String?
        public var field: String?

        public init(code: String, message: String? = nil, field: String? = nil) {
            self.code = code
            self.message = message
            self.field = field
        }
    }

    public var status: Int
    public var code: String?
    public var message: String
    public var errors: [Detail]
    /// The `X-Request-ID` response header, for support tickets.
    public var requestId: String?
    /// The raw `Retry-After` header, when present (429).
    public var retryAfter: String?

    public init(
        status: Int, code: String? = nil, message: String, errors: [Detail] = [], requestId: String? = nil,
        retryAfter: String? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.requestId = requestId
        self.retryAfter = retryAfter
    }

    /// Whether the top-level code or any nested `errors[].code` equals `code`.
    public func hasCode(_ code: String) -> Bool {
        self.code == code || errors.contains { $0.code == code }
    }

    /// The most specific code: the first nested one when present, else the top-level one.
    public var mostSpecificCode: String? { errors.first?.code ?? code }

    /// A one-line explanation for error files and logs: message, nested messages and codes.
    public var summary: String {
        var text = message
        let details = errors.map { detail in
            detail.message.map { "\($0) (\(detail.code))" } ?? detail.code
        }
        if !details.isEmpty { text += ": " + details.joined(separator: "; ") }
        return text
    }
}

/// Why a call to the WorkOS API did not give the expected answer.
///
/// Indirect, so the value is one word wherever it is kept: every request's result and every row's steps
/// hold one across their awaits, and each of those slots is memory a row in flight keeps.
public indirect enum WorkOSClientError: Error, Sendable, Equatable {
    /// WorkOS answered with an error status.
    case api(WorkOSAPIError)
    /// No answer arrived. `requestMayHaveBeenProcessed` is `false` only when the connection was never made,
    /// so the request certainly did not reach WorkOS; otherwise the outcome is unknown.
    case transport(message: String, requestMayHaveBeenProcessed: Bool)
    /// WorkOS answered with a success status but a body this client cannot read.
    case invalidResponse(status: Int, requestId: String?, message: String)

    /// A short human explanation, never containing secrets.
    public var summary: String {
        switch self {
        case .api(let error): "HTTP \(error.status): \(error.summary)"
        case .transport(let message, _): "network error: \(message)"
        case .invalidResponse(let status, _, let message): "unreadable response (HTTP \(status)): \(message)"
        }
    }

    /// The failure of a connection whose host name did not resolve: nothing was sent.
    public static func hostNotFound(_ host: String) -> WorkOSClientError {
        .transport(message: hostNotFoundPrefix + host, requestMayHaveBeenProcessed: false)
    }

    private static let hostNotFoundPrefix = "host not found (its name does not resolve): "

    /// The host name a ``hostNotFound(_:)`` failure names; `nil` for every other failure.
    public var unresolvedHost: String? {
        guard case .transport(let message, _) = self, message.hasPrefix(Self.hostNotFoundPrefix) else { return nil }
        return String(message.dropFirst(Self.hostNotFoundPrefix.count))
    }

    /// The HTTP status, when an answer arrived.
    public var httpStatus: Int? {
        switch self {
        case .api(let error): error.status
        case .invalidResponse(let status, _, _): status
        case .transport: nil
        }
    }

    /// The `X-Request-ID` of the answer, when one arrived.
    public var requestId: String? {
        switch self {
        case .api(let error): error.requestId
        case .invalidResponse(_, let requestId, _): requestId
        case .transport: nil
        }
    }
}
