import HTTPTypes
import Hummingbird
import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Writes response bodies as compact JSON with sorted keys and `Content-Type: application/json`, the
/// emulator's ``EmulatorRequestContext/responseEncoder``. Sorted keys make answers and state files
/// byte-for-byte repeatable.
///
/// API answers are ``JSONValue`` trees, and those are written straight into the response buffer: through
/// `JSONEncoder` a list of ten users cost more than half of the emulator's time per request (measured with
/// `benchmarks/emulator-throughput.sh`: 2,100 against 4,900 lists/s). Everything else (the snapshot, the
/// counters, the settings) goes through `JSONEncoder`, which gives the same bytes for the same value.
struct JSONResponseEncoder: ResponseEncoder {
    /// Encodes `value` as a 200 answer; handlers change the status with `EditedResponse`.
    func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        var buffer = ByteBuffer()
        if let json = value as? JSONValue {
            json.write(into: &buffer)
        } else {
            buffer.writeBytes(try Self.encoder.encode(value))
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    /// The JSON bytes of `value`, as answers carry them.
    static func data(_ value: some Encodable) throws -> Data {
        if let json = value as? JSONValue {
            var buffer = ByteBuffer()
            json.write(into: &buffer)
            return Data(buffer.readableBytesView)
        }
        return try encoder.encode(value)
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension JSONValue {
    /// Appends the value as compact JSON with sorted object keys; strings escape `"`, `\\` and control
    /// characters, and whole numbers are written without a fraction, as `JSONEncoder` writes them.
    func write(into buffer: inout ByteBuffer) {
        switch self {
        case .null: buffer.writeStaticString("null")
        case .bool(let value): buffer.writeStaticString(value ? "true" : "false")
        case .number(let value):
            if value.rounded() == value, abs(value) < 9_007_199_254_740_992 {
                buffer.writeString(String(Int64(value)))
            } else {
                buffer.writeString("\(value)")
            }
        case .string(let value): Self.write(value, into: &buffer)
        case .array(let values):
            buffer.writeInteger(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                value.write(into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "]"))
        case .object(let members):
            buffer.writeInteger(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                Self.write(key, into: &buffer)
                buffer.writeInteger(UInt8(ascii: ":"))
                members[key]!.write(into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        }
    }

    private static func write(_ text: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            buffer.writeString(text)
        } else {
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case ..<0x20:
                    let hex = String(byte, radix: 16)
                    buffer.writeString("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                default: buffer.writeInteger(byte)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}
