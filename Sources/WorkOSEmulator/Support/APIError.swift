import HTTPTypes
import Hummingbird

/// An error answer in WorkOS's envelope: `{"message", "code"?, "errors"?, ...}` with a status.
///
/// Handlers and middleware throw these; Hummingbird renders them through ``response(from:context:)``, so
/// every error body matches the spec and the router's own errors never reach a client.
struct APIError: HTTPResponseError, Sendable, Equatable {
    /// HTTP status.
    var status: HTTPResponse.Status
    /// Human-readable message; every error body in the spec has one.
    var message: String
    /// Machine-readable code, when the spec gives one.
    var code: String?
    /// Sub-errors, as `user_creation_error` carries them.
    var errors: [JSONValue]?
    /// Extra top-level fields, such as `entity_id` or `role_slug`.
    var extra: [String: JSONValue] = [:]
    /// Extra response headers, such as `Retry-After`.
    var headers: HTTPFields = [:]

    /// An error with a numeric status.
    init(
        status: Int, message: String, code: String? = nil, errors: [JSONValue]? = nil,
        extra: [String: JSONValue] = [:], headers: HTTPFields = [:]
    ) {
        self.status = HTTPResponse.Status(code: status)
        self.message = message
        self.code = code
        self.errors = errors
        self.extra = extra
        self.headers = headers
    }

    /// The response body.
    var body: JSONValue {
        var object = extra
        object["message"] = .string(message)
        if let code { object["code"] = .string(code) }
        if let errors { object["errors"] = .array(errors) }
        return .object(object)
    }

    /// The answer: ``body`` as JSON with ``status`` and ``headers``.
    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponseEncoder().encode(body, from: request, context: context)
        response.status = status
        response.headers.append(contentsOf: headers)
        return response
    }

    /// 422 `invalid_request_parameters`: the body does not match the request schema.
    static func invalidParameters(_ message: String) -> APIError {
        APIError(status: 422, message: message, code: "invalid_request_parameters")
    }

    /// 404 in the live shape: `"User not found: 'user_…'."`, `entity_not_found` and the id.
    static func notFound(_ entity: String, id: String) -> APIError {
        APIError(
            status: 404, message: "\(entity) not found: '\(id)'.", code: "entity_not_found",
            extra: ["entity_id": .string(id)])
    }

    /// A 400 with a top-level code.
    static func badRequest(_ code: String, _ message: String) -> APIError {
        APIError(status: 400, message: message, code: code)
    }

    /// 400 `user_creation_error` wrapping one sub-error, as the live API answers duplicates.
    static func userCreation(_ code: String, _ message: String) -> APIError {
        APIError(
            status: 400, message: "Could not create user.", code: "user_creation_error",
            errors: [.object(["code": .string(code), "message": .string(message)])])
    }

    /// 429 `rate_limit_exceeded` with `Retry-After` in whole seconds.
    static func rateLimited(retryAfter: Int) -> APIError {
        APIError(
            status: 429, message: "Too many requests.", code: "rate_limit_exceeded",
            headers: [.retryAfter: String(retryAfter)])
    }

    /// An injected server error (500, 502 or 503, or any 5xx configured).
    static func serverError(_ status: Int) -> APIError {
        let (message, code) =
            switch status {
            case 502: ("Bad Gateway", "bad_gateway")
            case 503: ("Service Unavailable", "service_unavailable")
            default: ("Internal Server Error", "server_error")
            }
        return APIError(status: status, message: message, code: code)
    }

    /// 400 `invalid_config` for a `PUT /_emulate/config` the emulator cannot apply.
    static func invalidConfig(_ message: String) -> APIError {
        APIError(status: 400, message: message, code: "invalid_config")
    }

    /// 401 for a missing or wrong API key.
    static let unauthorized = APIError(status: 401, message: "Unauthorized", code: "unauthorized")

    /// 404 for a path the API does not have.
    static let routeNotFound = APIError(status: 404, message: "Not Found", code: "not_found")
}

/// 422 for a body that is not JSON at all. Not an ``APIError`` on purpose: it is refused before any work, so
/// it is never stored for an `Idempotency-Key` and never "committed then dropped".
struct UnreadableBody: HTTPResponseError {
    /// Always 422, as the API answers.
    var status: HTTPResponse.Status { .unprocessableContent }

    /// The `invalid_request_parameters` body.
    func response(from request: Request, context: some RequestContext) throws -> Response {
        try APIError.invalidParameters("The request body is not valid JSON.").response(from: request, context: context)
    }
}
