import HTTPTypes
import Hummingbird
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bridges Hummingbird to ``EmulatorEngine``: collects the request, lets the engine answer, and
/// writes the answer or closes the connection without one when a fault says so.
struct EmulatorResponder: HTTPResponder {
    /// The largest body accepted; WorkOS request bodies are small.
    static let maxBodySize = 1 << 20

    /// Does the work.
    let engine: EmulatorEngine

    /// Answers one request.
    func respond(to request: Request, context: EmulatorRequestContext) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: Self.maxBodySize)
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = field.value
        }
        let reply = await engine.handle(
            EmulatorRequest(
                method: request.method.rawValue, target: request.head.path ?? "/", headers: headers,
                body: Array(buffer.readableBytesView)))
        switch reply.action {
        case .respond:
            break
        case .reset:
            try await Self.close(context.channel, reset: true)
            throw ConnectionClosedOnPurpose()
        case .drop:
            try await Self.close(context.channel, reset: false)
            throw ConnectionClosedOnPurpose()
        }
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        for (name, value) in reply.headers {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        let bytes = reply.bodyBytes
        return Response(
            status: HTTPResponse.Status(code: reply.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Closes the connection; with `reset`, SO_LINGER 0 makes the kernel send RST instead of FIN.
    private static func close(_ channel: any Channel, reset: Bool) async throws {
        if reset, let provider = channel as? any SocketOptionProvider {
            try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close()
    }
}

/// Thrown after a fault closed the connection, so nothing is written.
struct ConnectionClosedOnPurpose: Error {}
