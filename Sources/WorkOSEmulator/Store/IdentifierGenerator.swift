/// Makes WorkOS-style ids: a resource prefix, `_`, and a 26-character ULID in Crockford base32.
///
/// The time part is monotonic within one generator, so ids sort in creation order like real ones.
struct IdentifierGenerator: Sendable {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    private var lastMilliseconds: UInt64 = 0

    /// A new id such as `user_01E4ZCR3C56J083X43JQXF3JK5`.
    mutating func make(_ prefix: String, now: Double) -> String {
        var milliseconds = UInt64(max(0, now) * 1000)
        if milliseconds <= lastMilliseconds { milliseconds = lastMilliseconds + 1 }
        lastMilliseconds = milliseconds
        var chars = [UInt8](repeating: 0, count: 26)
        var time = milliseconds
        for position in stride(from: 9, through: 0, by: -1) {
            chars[position] = Self.alphabet[Int(time & 31)]
            time >>= 5
        }
        var random = SystemRandomNumberGenerator()
        for position in 10..<26 {
            chars[position] = Self.alphabet[Int(random.next(upperBound: UInt8(32)))]
        }
        return prefix + "_" + String(decoding: chars, as: UTF8.self)
    }
}
