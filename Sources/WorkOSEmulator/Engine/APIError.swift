/// An error answer in WorkOS's envelope: `{"message", "code"?, "errors"?, ...}` with a status.
///
/// Every route returns these instead of throwing framework errors, so bodies match the spec.
struct APIError: Error, Sendable, Equatable {
    /// HTTP status.
    var status: Int
    /// Human-readable message; every error body in the spec has one.
    var message: String
    /// Machine-readable code, when the spec gives one.
    var code: String?
    /// Sub-errors, as `user_creation_error` carries them.
    var errors: [JSONValue]?
    /// Extra top-level fields, such as `entity_id` or `role_slug`.
    var extra: [String: JSONValue] = [:]

    /// The response body.
    var body: JSONValue {
        var object = extra
        object["message"] = .string(message)
        if let code { object["code"] = .string(code) }
        if let errors { object["errors"] = .array(errors) }
        return .object(object)
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

    /// 401 for a missing or wrong API key.
    static let unauthorized = APIError(status: 401, message: "Unauthorized", code: "unauthorized")

    /// 404 for a path the API does not have.
    static let routeNotFound = APIError(status: 404, message: "Not Found", code: "not_found")

    /// 400 for a body that is not JSON.
    static let unparsableBody = APIError(
        status: 400, message: "Problems parsing JSON", code: "invalid_request_body")
}
