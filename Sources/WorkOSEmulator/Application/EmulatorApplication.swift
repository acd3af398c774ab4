import Hummingbird
import Logging
import NIOCore

/// Builds the emulator as a Hummingbird application: one router, the control routes, and the API routes
/// behind their middleware.
///
/// Every request passes `RequestIDMiddleware` (`X-Request-ID` on every answer) and `UnknownRouteMiddleware`
/// (the API's 404 for a path it does not have). The API routes then pass, in this order:
/// 1. `RequestCountingMiddleware`: names the route, counts it in flight and counts its answer.
/// 2. `AuthMiddleware`: anything but `Bearer <configured key>` is `401 unauthorized`.
/// 3. `RateLimitMiddleware`: over a limit is `429 rate_limit_exceeded` with `Retry-After`.
/// 4. `FaultMiddleware`: latency, then maybe a reset or a 5xx before any work; maybe a drop after it.
/// 5. `StrictRequestMiddleware`: in strict mode, checks the request against WorkOS's spec, records each
///    problem, and answers 422 for one WorkOS refuses.
/// 6. `IdempotencyMiddleware`: a POST repeating an `Idempotency-Key` replays the first answer.
/// 7. The resource's controller, which runs one store operation under the state's lock.
///
/// `/health` and `/_emulate/*` (``ControlController``) skip steps 1 to 6. The API routes are exactly the
/// spec's (plus ``RequestRules/documentedOutsideTheSpec``); any other path answers 404 as WorkOS does.
enum EmulatorApplication {
    /// The router serving `state`.
    static func router(state: EmulatorState) -> Router<EmulatorRequestContext> {
        let router = Router(context: EmulatorRequestContext.self)
        router.add(middleware: RequestIDMiddleware(state: state))
        router.add(middleware: UnknownRouteMiddleware(state: state))
        ControlController(state: state).addRoutes(to: router)
        let api = router.group()
            .add(middleware: RequestCountingMiddleware(state: state))
            .add(middleware: AuthMiddleware(apiKey: state.apiKey))
            .add(middleware: RateLimitMiddleware(state: state))
            .add(middleware: FaultMiddleware(state: state))
            .add(middleware: StrictRequestMiddleware(state: state, rules: .spec))
            .add(middleware: IdempotencyMiddleware(state: state))
        UsersController(state: state).addRoutes(to: api.group("user_management/users"))
        let authFactors = AuthFactorsController(state: state)
        authFactors.addRoutes(to: api.group("user_management/users/:id/auth_factors"))
        authFactors.addFactorRoutes(to: api.group("auth/factors"))
        OrganizationsController(state: state).addRoutes(to: api.group("organizations"))
        MembershipsController(state: state).addRoutes(to: api.group("user_management/organization_memberships"))
        RolesController(state: state).addRoutes(to: api)
        PermissionsController(state: state).addRoutes(to: api.group("authorization/permissions"))
        OrganizationDomainsController(state: state).addRoutes(to: api.group("organization_domains"))
        WebhookEndpointsController(state: state).addRoutes(to: api.group("webhook_endpoints"))
        ConnectionsController(state: state).addRoutes(to: api.group("connections"))
        return router
    }

    /// The application serving `state` on `host`:`port`; `onServerRunning` gets the bound channel.
    static func make(
        state: EmulatorState, host: String, port: Int,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var logger = Logger(label: "workos-emulator")
        logger.logLevel = .critical
        return Application(
            router: router(state: state),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }
}
