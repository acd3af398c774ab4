import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Writes response bodies as compact JSON with sorted keys and `Content-Type: application/json`, the
/// emulator's ``EmulatorRequestContext/responseEncoder``. Sorted keys make answers and state files
/// byte-for-byte repeatable.
struct JSONResponseEncoder: ResponseEncoder {
    /// Encodes `value` as a 200 answer; handlers change the status with `EditedResponse`.
    func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let data = try Self.encoder.encode(value)
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The JSON bytes of `value`, as answers carry them.
    static func data(_ value: some Encodable) throws -> Data {
        try encoder.encode(value)
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
