import Hummingbird

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Request {
    /// Query parameters as the API reads them: names may repeat, `+` is a space and `%XX` escapes are
    /// decoded in names and values (Hummingbird's own map decodes neither `+` nor names).
    var queryValues: [String: [String]] {
        var values: [String: [String]] = [:]
        for pair in (uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[Self.formDecoded(parts[0]), default: []].append(parts.count > 1 ? Self.formDecoded(parts[1]) : "")
        }
        return values
    }

    /// The body as a JSON value; nil when empty. A body that is not JSON is ``UnreadableBody`` (422).
    func jsonBody(context: EmulatorRequestContext) async throws -> JSONValue? {
        if let parsed = context.parsedBody { return parsed }
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { return nil }
        do {
            return try JSONValue.decode(Data(buffer.readableBytesView))
        } catch {
            throw UnreadableBody()
        }
    }

    private static func formDecoded(_ text: Substring) -> String {
        let spaced = text.contains("+") ? String(text).replacing("+", with: " ") : String(text)
        return spaced.percentDecoded() ?? spaced
    }
}

extension Parameters {
    /// A path parameter with `%XX` escapes decoded, as ids arrive percent-encoded.
    func decoded(_ name: String) -> String {
        decodedIfPresent(name) ?? ""
    }

    /// A path parameter, decoded, or nil when the route has none by that name (a handler serving both
    /// `/authorization/roles/{slug}` and `/authorization/organizations/{id}/roles/{slug}`).
    func decodedIfPresent(_ name: String) -> String? {
        get(name).map { $0.percentDecoded() ?? $0 }
    }
}
