import ArgumentParser
import ImportCore
import WorkOSClient
import WorkOSEmulator

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where a command's requests go: the built-in emulator (`--emulator`), or WorkOS (or `--base-url`) with
/// the secret key.
struct Target {
    let emulator: Emulator?
    let baseURL: String
    let key: String
    /// The target as the person is told it (``TargetDescription/line``, and `target` in `--json`).
    let described: TargetDescription

    /// Starts the emulator (`emulator`), or finds the address and the key; exit 2 without a usable one. Tells
    /// `stderr` the target in one line before any request.
    static func open(
        _ connection: ConnectionOptions, emulator: Bool, limits: FieldLimits, stderr: any TextSink
    ) async throws -> Target {
        if emulator {
            let started = try await Emulator.start(EmulatorConfiguration.forImportRehearsal(limits: limits))
            stderr.write("Started the built-in WorkOS emulator at \(started.baseURL).\n")
            let key = EmulatorConfiguration().apiKey
            let described = TargetDescription(baseURL: started.baseURL, apiKey: key, keySource: .builtInEmulator)
            stderr.write(described.line)
            return Target(emulator: started, baseURL: started.baseURL, key: key, described: described)
        }
        let baseURL = try Self.baseURL(flag: connection.baseURL)
        let (key, described) = try Self.secretKey(baseURL: baseURL)
        stderr.write(described.line)
        return Target(emulator: nil, baseURL: baseURL, key: key, described: described)
    }

    /// The secret key from the environment or `.env` (exit 2 with a sentence, which never shows the key, when
    /// there is none or it holds a character no request can carry), and the target it makes with `baseURL` as the person is told it.
    static func secretKey(baseURL: String) throws -> (key: String, described: TargetDescription) {
        let (key, origin) = try secretKeyAndOrigin()
        let source = TargetDescription.keySource(origin, folder: FileManager.default.currentDirectoryPath)
        return (key, TargetDescription(baseURL: baseURL, apiKey: key, keySource: source))
    }

    private static func secretKeyAndOrigin() throws -> (key: String, origin: SecretKeySource.Origin) {
        do {
            return try SecretKeySource.read(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw Fatal(error.description)
        }
    }

    /// The API address: `--base-url`, else `WORKOS_BASE_URL`, else WorkOS's; exit 2 with a sentence when it
    /// is not an http(s) address, before any request.
    static func baseURL(flag: String?) throws -> String {
        var address = "https://api.workos.com"
        var source = "the default address"
        if let flag {
            (address, source) = (flag, "--base-url")
        } else if let environmentURL = ProcessInfo.processInfo.environment["WORKOS_BASE_URL"] {
            (address, source) = (environmentURL, "WORKOS_BASE_URL")
        }
        if let problem = BaseURLRule.problem(address, source: source) { throw Fatal(problem) }
        return address
    }

    /// A `--json` summary with the target as its `target` member, and `members` (JSON text each).
    func json(_ summary: String, adding members: [(key: String, value: String)] = []) -> String {
        JSONObjectText.inserting([("target", described.json)] + members, into: summary)
    }

    func client(_ connection: ConnectionOptions, maxConnections: Int) -> WorkOSHTTPClient {
        WorkOSHTTPClient(
            baseURL: baseURL, apiKey: key, maxConnections: maxConnections, timeout: .seconds(connection.timeout),
            connectTimeout: .seconds(connection.connectTimeout))
    }
}
