import Hummingbird

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The routes that are not WorkOS's: `GET /health`, `GET /_emulate/state`, `GET /_emulate/counters`,
/// `PUT /_emulate/config`, `GET`/`DELETE /_emulate/violations` and `POST /_emulate/sign_in`. They need no key, skip limits, faults
/// and strict mode, and are not counted.
struct ControlController {
    /// The state the routes show and change.
    let state: EmulatorState

    /// Registers the routes on the router itself, outside the API's middleware.
    func addRoutes(to router: Router<EmulatorRequestContext>) {
        router.get("health", use: health)
        router.group("_emulate")
            .get("state", use: snapshot)
            .get("counters", use: counters)
            .put("config", use: configure)
            .get("violations", use: violations)
            .delete("violations", use: takeViolations)
            .post("sign_in", use: signIn)
    }

    /// The body of `POST /_emulate/sign_in`: the user (id or email) and the time, now when absent.
    struct SignIn: Decodable {
        var user: String
        var at: String?
    }

    /// Simulates a sign-in (`{"user":"user_… or an email","at":"2026-01-02T03:04:05.000Z"}`, `at` optional):
    /// sets the user's `last_sign_in_at` and answers the user; 404 for an unknown user.
    @Sendable func signIn(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let body: SignIn
        do {
            body = try JSONDecoder().decode(SignIn.self, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError.invalidConfig(
                #"The body must be a JSON object like {"user":"user_…","at":"2026-01-02T03:04:05.000Z"}."#)
        }
        if let at = body.at, !Self.isTime(at) {
            throw APIError.invalidConfig("at must be an ISO 8601 time such as 2026-01-02T03:04:05.000Z.")
        }
        return try state.withStore { store, now throws(APIError) in try store.signIn(body.user, at: body.at, now: now) }
    }

    /// `{"count": n, "violations": [...]}`: what strict mode found outside the spec so far.
    @Sendable func violations(_ request: Request, context: EmulatorRequestContext) async throws -> Response {
        try context.responseEncoder.encode(state.violations, from: request, context: context)
    }

    /// The same as `GET`, then forgets them.
    @Sendable func takeViolations(_ request: Request, context: EmulatorRequestContext) async throws -> Response {
        try context.responseEncoder.encode(state.takeViolations(), from: request, context: context)
    }

    /// Whether `text` is an ISO 8601 UTC time, with or without fractional seconds.
    static func isTime(_ text: String) -> Bool {
        [Date.ISO8601FormatStyle(includingFractionalSeconds: true), Date.ISO8601FormatStyle()].contains {
            (try? Date(text, strategy: $0)) != nil
        }
    }

    /// `{"status":"ok"}`.
    @Sendable func health(_ request: Request, context: EmulatorRequestContext) async throws -> JSONValue {
        .object(["status": .string("ok")])
    }

    /// The whole state and counters, as ``EmulatorSnapshot``'s JSON.
    @Sendable func snapshot(_ request: Request, context: EmulatorRequestContext) async throws -> Response {
        try context.responseEncoder.encode(state.snapshot(), from: request, context: context)
    }

    /// Only the counters: cheap to poll while the emulator holds a million users.
    @Sendable func counters(_ request: Request, context: EmulatorRequestContext) async throws -> Response {
        try context.responseEncoder.encode(state.counters, from: request, context: context)
    }

    /// Applies an ``EmulatorSettingsUpdate`` and answers the settings now in force; 400 `invalid_config`
    /// for a body it cannot apply, changing nothing.
    @Sendable func configure(_ request: Request, context: EmulatorRequestContext) async throws -> Response {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        do {
            let update = try JSONDecoder().decode(EmulatorSettingsUpdate.self, from: Data(buffer.readableBytesView))
            return try context.responseEncoder.encode(try state.apply(update), from: request, context: context)
        } catch {
            throw APIError.invalidConfig(
                (error as? EmulatorError)?.description
                    ?? "The body must be a JSON object like "
                    + #"{"faults":{"error_share":0.1},"rate_limits":null,"honors_idempotency_keys":true,"limits":"spec"}: \#(error)"#
            )
        }
    }
}
