/// A stored TOTP factor. The secret is kept for the enrollment answer only.
struct AuthFactorRecord: Sendable {
    /// Creation order, used for pagination.
    var sequence: Int
    /// `auth_factor_…` id.
    var id: String
    /// The enrolled user.
    var userID: String
    /// TOTP issuer shown by authenticator apps.
    var issuer: String
    /// TOTP account name; the email unless given.
    var user: String
    /// Base32 TOTP secret. Returned once, in the enrollment response.
    var secret: String
    /// ISO-8601 creation time.
    var createdAt: String

    /// The `otpauth://` URI authenticator apps scan.
    var uri: String {
        let label = Self.percentEncoded(issuer) + ":" + Self.percentEncoded(user)
        return "otpauth://totp/\(label)?secret=\(secret)&issuer=\(Self.percentEncoded(issuer))"
            + "&algorithm=SHA1&digits=6&period=30"
    }

    /// The AuthenticationFactor object; `includeSecret` only for the enrollment answer.
    func json(includeSecret: Bool) -> JSONValue {
        var totp: [String: JSONValue] = ["issuer": .string(issuer), "user": .string(user)]
        if includeSecret {
            totp["secret"] = .string(secret)
            totp["uri"] = .string(uri)
            totp["qr_code"] = .string("data:image/png;base64," + Self.placeholderPNG)
        }
        return .object([
            "object": .string("authentication_factor"),
            "id": .string(id),
            "type": .string("totp"),
            "user_id": .string(userID),
            "totp": .object(totp),
            "created_at": .string(createdAt),
            "updated_at": .string(createdAt),
        ])
    }

    /// The factor as the snapshot shows it.
    var snapshot: EmulatorSnapshot.AuthFactor {
        EmulatorSnapshot.AuthFactor(id: id, userID: userID, type: "totp", issuer: issuer, user: user)
    }

    /// A 1x1 PNG: the emulator does not draw QR codes, but the field must be a base64 PNG.
    private static let placeholderPNG =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

    private static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if character.isASCIIAlphanumeric || "-._~".contains(character) {
                out.append(character)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    /// Whether `secret` is RFC 4648 base32 (letters A-Z, digits 2-7, optional `=` padding).
    static func isBase32(_ secret: String) -> Bool {
        var body = Substring(secret.uppercased())
        while body.hasSuffix("=") { body = body.dropLast() }
        return body.count >= 16 && body.allSatisfy { ("A"..."Z").contains($0) || ("2"..."7").contains($0) }
    }

    /// A fresh 32-character base32 secret (160 bits, as authenticator apps expect).
    static func makeSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var random = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int(random.next(upperBound: UInt8(32)))] })
    }
}
