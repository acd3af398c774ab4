import ArgumentParser
import Foundation
import ImportCore

/// Where WorkOS is.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .customLong("base-url"),
        help: "The WorkOS API address (default https://api.workos.com, or WORKOS_BASE_URL).")
    var baseURL: String?

    @Option(parsing: .unconditional, help: "Seconds one request may take before it is retried. Example: --timeout 30")
    var timeout: Int64 = 60

    @Option(
        name: .customLong("connect-timeout"), parsing: .unconditional,
        help: "Seconds to keep trying to connect before a request is retried. Example: --connect-timeout 5")
    var connectTimeout: Int64 = 10

    func validate() throws {
        if let baseURL, let problem = BaseURLRule.problem(baseURL, source: "--base-url") {
            throw ValidationError(problem)
        }
        guard (1...600).contains(timeout), (1...600).contains(connectTimeout) else {
            throw ValidationError("--timeout and --connect-timeout take a number of seconds from 1 to 600.")
        }
    }
}
