import Hummingbird
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The emulator's per-request state: the connection's channel, so a fault can close it without answering,
/// and what the API middleware learns on the way in.
struct EmulatorRequestContext: RequestContext {
    /// Hummingbird's own per-request storage.
    var coreContext: CoreRequestContextStorage
    /// The TCP connection the request came in on.
    let channel: any Channel
    /// `"METHOD /route-template"` of the matched API route, the counters' key; set by
    /// ``RequestCountingMiddleware``.
    var route = ""
    /// How many other API requests were in flight when this one arrived.
    var othersInFlight = 0
    /// The body as strict mode parsed it (`.some(nil)` for no body), so the route does not parse it again;
    /// nil when strict mode is off.
    var parsedBody: JSONValue?? = nil

    /// Builds the context for one request.
    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Bodies are JSON with sorted keys and `Content-Type: application/json`.
    var responseEncoder: JSONResponseEncoder { JSONResponseEncoder() }

    /// The largest body accepted; WorkOS request bodies are small.
    var maxUploadSize: Int { 1 << 20 }

    /// Closes the connection without an answer; with `reset`, SO_LINGER 0 makes the kernel send RST
    /// instead of FIN.
    func closeConnection(reset: Bool) async {
        if reset, let provider = channel as? any SocketOptionProvider {
            try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close()
    }
}

/// Thrown after a fault closed the connection, so nothing is written.
struct ConnectionClosedOnPurpose: Error {
    /// How the connection ended.
    enum Kind: String, Sendable {
        /// A reset before any work; counted as `reset`.
        case reset
        /// Closed after the work was done; counted as `dropped`.
        case dropped
    }

    /// How the connection ended.
    var kind: Kind
}
