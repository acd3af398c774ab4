#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Takes a secret out of text that is about to leave the process: an error message, a log line.
///
/// Error texts are made by libraries that know nothing of secrets: an HTTP client refusing a header quotes
/// the header (`invalidHeaderFieldValues(["Bearer sk_live_…\r"])`), escaping what it cannot print. So the
/// secret is masked as it is and also piece by piece: each run of printable characters in it that is long
/// enough to mean something (``minimumPieceLength``) is masked wherever it appears, which catches the
/// escaped forms too.
public struct SecretRedaction: Sendable, Equatable {
    /// What a masked secret reads as.
    public static let mask = "[redacted]"
    /// Pieces shorter than this are left alone: they would mask ordinary words and tell nothing of the key.
    public static let minimumPieceLength = 6

    /// The texts masked, longest first so a piece never splits a longer match.
    public let pieces: [String]

    /// Masks `secrets` (empty ones are ignored).
    public init(_ secrets: [String]) {
        var pieces: Set<String> = []
        for secret in secrets where !secret.isEmpty {
            pieces.insert(secret)
            var current = ""
            for scalar in secret.unicodeScalars {
                if (0x21...0x7E).contains(scalar.value) {
                    current.unicodeScalars.append(scalar)
                } else {
                    if current.count >= Self.minimumPieceLength { pieces.insert(current) }
                    current = ""
                }
            }
            if current.count >= Self.minimumPieceLength { pieces.insert(current) }
        }
        self.pieces = pieces.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// `text` with every piece of the secrets replaced by ``mask``.
    public func apply(_ text: String) -> String {
        var text = text
        for piece in pieces where text.contains(piece) {
            text = text.replacing(piece, with: Self.mask)
        }
        return text
    }
}

extension WorkOSClientError {
    /// The same error with `redaction` applied to every text it carries.
    public func redacting(_ redaction: SecretRedaction) -> WorkOSClientError {
        switch self {
        case .api(var error):
            error.message = redaction.apply(error.message)
            error.errors = error.errors.map { detail in
                var detail = detail
                detail.message = detail.message.map(redaction.apply)
                return detail
            }
            return .api(error)
        case .transport(let message, let processed):
            return .transport(message: redaction.apply(message), requestMayHaveBeenProcessed: processed)
        case .invalidResponse(let status, let requestId, let message):
            return .invalidResponse(status: status, requestId: requestId, message: redaction.apply(message))
        }
    }
}
