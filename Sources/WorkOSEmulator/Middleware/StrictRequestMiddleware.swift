import Hummingbird

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Strict mode's referee: checks each API request against WorkOS's OpenAPI spec (``RequestRules``), records
/// every problem as a ``RequestViolation``, and answers `422 invalid_request_parameters` for the first
/// problem WorkOS refuses that way, before the route does any work. Problems a route answers with its own
/// code (`invalid_metadata`, the password-field conflicts) go on to the route, which answers them.
///
/// The body is read and parsed once here and handed to the route through the context, so strict mode
/// costs one walk of the compiled checks per request. Off, it only passes the request on.
struct StrictRequestMiddleware: RouterMiddleware {
    /// Holds the switch and the violations.
    let state: EmulatorState
    /// The compiled spec.
    let rules: RequestRules

    func handle(
        _ request: Request, context: EmulatorRequestContext,
        next: (Request, EmulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        guard state.isStrict else { return try await next(request, context) }
        var request = request
        var context = context
        let path = context.endpointPath ?? request.uri.path
        let method = request.method.rawValue
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        var body: JSONValue?
        if buffer.readableBytes > 0 {
            do {
                body = try JSONValue.decode(Data(buffer.readableBytesView))
            } catch {
                state.recordViolations([
                    RequestViolation(
                        method: method, path: path, problem: "The request body is not valid JSON.", refused: true)
                ])
                throw UnreadableBody()
            }
        }
        context.parsedBody = .some(body)
        let problems = rules.problems(method: method, path: path, query: request.queryValues, body: body)
        guard !problems.isEmpty else { return try await next(request, context) }
        let refusal = problems.first(where: \.refuses)
        state.recordViolations(
            problems.map {
                RequestViolation(method: method, path: path, problem: $0.message, refused: $0.refuses)
            })
        if let refusal { throw APIError.invalidParameters(refusal.message) }
        return try await next(request, context)
    }
}
