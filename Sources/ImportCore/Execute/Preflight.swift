import WorkOSClient

/// One authenticated read before the first row, so a run that cannot work stops at once with a sentence
/// instead of failing every row: a wrong or revoked key, a key without User Management access, a base URL
/// with a path (`…/v1` answers 404 to every request), `http` against a TLS port or `https` against a plain
/// one, or nothing listening at all.
///
/// It runs before the journal is created, so a failed start leaves nothing behind that would block or
/// confuse the next command. `undo` runs the same check before it shows or deletes anything, so a wrong
/// key or address gets the import's sentences there too.
public struct Preflight {
    let api: any WorkOSAPI
    let runner: RequestRunner
    /// The API address, for messages.
    let baseURL: String

    public init(api: any WorkOSAPI, runner: RequestRunner, baseURL: String) {
        self.api = api
        self.runner = runner
        self.baseURL = baseURL
    }

    /// Makes the read; throws a fatal error with the cause and the fix when it fails.
    public func check() async throws(ImportError) {
        let api = self.api
        let result = await runner.send(.userManagementRead) { () async throws(WorkOSClientError) -> Void in
            try await api.checkAccess()
        }
        switch result {
        case .success, .settled:
            return
        case .failure(let error, _):
            throw Self.problem(error, baseURL: baseURL)
        }
    }

    /// The fatal error for a failed check.
    static func problem(_ error: WorkOSClientError, baseURL: String) -> ImportError {
        switch error {
        case .api(let apiError) where apiError.status == 401:
            return .unauthorized(error)
        case .api(let apiError) where apiError.status == 403:
            return .preflight(
                "WorkOS accepted the key but refused access to User Management (HTTP 403: \(apiError.summary)). "
                    + "Use a secret key (sk_…) of this environment whose role may manage users.")
        case .api(let apiError) where apiError.status == 404 || apiError.status == 405:
            return .preflight(
                "\(baseURL) answered HTTP \(apiError.status) to GET /user_management/users, so it is not the root "
                    + "of the WorkOS API. Give --base-url the address alone, e.g. https://api.workos.com, without "
                    + "a path such as /v1.")
        case .api(let apiError):
            return .preflight(
                "The first request to \(baseURL) failed even after retries (HTTP \(apiError.status): "
                    + "\(apiError.summary)). Try again later; nothing was imported.")
        case .invalidResponse(let status, _, _):
            return .preflight(
                "\(baseURL) answered (HTTP \(status)), but not like the WorkOS API. Check --base-url (or "
                    + "WORKOS_BASE_URL): it should be https://api.workos.com, or the address an emulator printed.")
        case .transport(let message, _):
            if let host = error.unresolvedHost {
                return .preflight(
                    "The host \(host) was not found: its name does not resolve, so \(baseURL) cannot be reached. "
                        + "Check the address in --base-url or WORKOS_BASE_URL for a typo (WorkOS is "
                        + "https://api.workos.com), and that this machine can look names up (DNS).")
            }
            let lowered = message.lowercased()
            if ["tls", "ssl", "handshake", "certificate", "wrong version number"].contains(where: lowered.contains) {
                return .preflight(
                    "Could not open a secure connection to \(baseURL) (\(Self.plain(message))). Check the scheme: "
                        + "WorkOS needs https://, while a local emulator listens on http://.")
            }
            if lowered.contains("remote connection closed") || lowered.contains("invalid http")
                || lowered.contains("parse")
            {
                return .preflight(
                    "\(baseURL) closed the connection without an HTTP answer (\(Self.plain(message))). If it speaks "
                        + "TLS, use https:// in --base-url.")
            }
            return .unreachable(error)
        }
    }

    /// A transport message without source locations, which some networking errors carry.
    static func plain(_ message: String) -> String {
        message.split(separator: " ").filter { !$0.contains(".swift") && !$0.hasPrefix("/") }.joined(separator: " ")
    }
}
