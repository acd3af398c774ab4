/// A failed attempt that may succeed if the same request is sent again.
///
/// Anything else (400, 401, 404, 409, 422...) is final and is not retried: sending it again cannot change
/// the answer.
public enum RetryableFailure: Sendable, Equatable {
    /// 429: WorkOS asked us to slow down, usually with a Retry-After.
    case rateLimited(retryAfter: Duration?)
    /// 408, or a client-side timeout: the request may or may not have gone through.
    case timeout
    /// A 5xx answer: a fault on the server side that is often temporary.
    case serverError(status: Int)
    /// The connection failed or broke before an answer arrived (refused, reset, DNS, TLS).
    case transport
}

extension RetryableFailure {
    /// Classifies an HTTP answer: 429, 408 and every 5xx are worth retrying; nil for anything else (final).
    ///
    /// - Parameters:
    ///   - status: the HTTP status code.
    ///   - retryAfter: the parsed Retry-After header (``RetryPolicy/parseRetryAfter(_:now:)``), used for 429 only.
    public init?(status: Int, retryAfter: Duration? = nil) {
        switch status {
        case 429: self = .rateLimited(retryAfter: retryAfter)
        case 408: self = .timeout
        case 500...599: self = .serverError(status: status)
        default: return nil
        }
    }
}
