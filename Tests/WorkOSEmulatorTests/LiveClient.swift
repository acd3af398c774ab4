import Foundation

@testable import WorkOSEmulator

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A plain HTTP client for tests that talk to a running ``Emulator`` over loopback.
struct LiveClient {
    let baseURL: String
    let apiKey: String?
    private let session: URLSession

    /// A client with its own connection pool, so a dropped connection is never silently retried.
    init(_ emulator: Emulator, apiKey: String? = "sk_test_default") {
        baseURL = emulator.baseURL
        self.apiKey = apiKey
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        session = URLSession(configuration: configuration)
    }

    /// Sends a request; throws when the connection fails or closes without an answer.
    func send(_ method: String, _ path: String, json: String? = nil, headers: [String: String] = [:]) async throws
        -> (status: Int, json: JSONValue?, headers: [String: String])
    {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        if let apiKey { request.setValue("Bearer " + apiKey, forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let json {
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            fields[String(describing: name).lowercased()] = String(describing: value)
        }
        let parsed = data.isEmpty ? nil : try? JSONParser.parse(Array(data))
        return (http.statusCode, parsed, fields)
    }
}
