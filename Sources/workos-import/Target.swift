import ArgumentParser
import Foundation
import ImportCore
import WorkOSClient
import WorkOSEmulator

/// Where a command's requests go: the built-in emulator (`--emulator`), or WorkOS (or `--base-url`) with
/// the secret key.
struct Target {
    let emulator: Emulator?
    let baseURL: String
    let key: String

    /// Starts the emulator, or finds the key; exit 2 without one.
    static func open(_ connection: ConnectionOptions, limits: FieldLimits, stderr: any TextSink) async throws -> Target
    {
        if connection.emulator {
            let started = try await Emulator.start(EmulatorConfiguration.forImportRehearsal(limits: limits))
            stderr.write("Started the built-in WorkOS emulator at \(started.baseURL).\n")
            return Target(emulator: started, baseURL: started.baseURL, key: EmulatorConfiguration().apiKey)
        }
        guard let found = SecretKeySource.find(environment: ProcessInfo.processInfo.environment) else {
            throw Fatal(SecretKeySource.missingMessage)
        }
        let environmentURL = ProcessInfo.processInfo.environment["WORKOS_BASE_URL"]
        return Target(
            emulator: nil, baseURL: connection.baseURL ?? environmentURL ?? "https://api.workos.com", key: found.key)
    }

    func client(_ connection: ConnectionOptions, maxConnections: Int) -> WorkOSHTTPClient {
        WorkOSHTTPClient(
            baseURL: baseURL, apiKey: key, maxConnections: maxConnections, timeout: .seconds(connection.timeout),
            connectTimeout: .seconds(connection.connectTimeout))
    }
}
