/// The parameter ranges WorkOS's guide "Migrate from other services" documents for imported hashes
/// (contract §6). A hash outside them is accepted by nothing at WorkOS, so the dry run fails its row and
/// says the range instead of letting it fail at WorkOS, or worse, at the user's first sign-in.
enum Argon2Limits {
    /// Memory in KiB.
    static let memory = 4_096...262_144
    /// Iterations (time cost) for argon2id and argon2d.
    static let time = 1...5
    /// Iterations for argon2i, which WorkOS wants at least 3.
    static let timeArgon2i = 3...5
    /// Lanes.
    static let lanes = 1...8

    /// Why the parameters are outside the ranges (completing "password_hash …"), or `nil` when they fit.
    static func problem(variant: String, version: Int, memory: Int, time: Int, lanes: Int) -> String? {
        guard version == 19 else {
            return "is an argon2 hash of version v=\(version); WorkOS accepts only v=19"
        }
        guard Self.memory.contains(memory) else {
            return "has argon2 memory m=\(memory) KiB; WorkOS accepts \(Self.memory.spelled) KiB"
        }
        let times = variant == "argon2i" ? timeArgon2i : Self.time
        guard times.contains(time) else {
            return "has \(variant) time t=\(time); WorkOS accepts \(Self.time.spelled) "
                + "(argon2i at least \(timeArgon2i.lowerBound))"
        }
        guard Self.lanes.contains(lanes) else {
            return "has argon2 parallelism p=\(lanes); WorkOS accepts \(Self.lanes.spelled)"
        }
        return nil
    }
}

/// The digests and iteration counts WorkOS accepts for pbkdf2.
enum PBKDF2Limits {
    /// Iterations for each accepted digest.
    static let iterations: [String: ClosedRange<Int>] = ["sha256": 600_000...1_000_000, "sha512": 210_000...1_000_000]

    private static let accepted =
        "sha256 with \(iterations["sha256"]!.spelled) iterations or sha512 with "
        + "\(iterations["sha512"]!.spelled)"

    /// Why the digest or count is not accepted (completing "password_hash …"), or `nil`.
    static func problem(digest: String, iterations count: Int) -> String? {
        guard let range = iterations[digest] else {
            return "is pbkdf2 with \(digest), which WorkOS does not accept: it takes \(accepted)"
        }
        guard range.contains(count) else {
            return "is pbkdf2-\(digest) with \(count.spelled) iterations; WorkOS accepts \(accepted)"
        }
        return nil
    }
}

/// The rules of WorkOS's scrypt form, which documents no ranges but a shape: N itself (a power of two),
/// positive r and p, and `kl` the byte length of the hash.
enum ScryptLimits {
    /// Why passlib's r or p cannot be right (completing "password_hash …"), or `nil`.
    static func problem(blockSize: Int, parallelism: Int) -> String? {
        guard blockSize >= 1, parallelism >= 1 else {
            return "is not a scrypt hash WorkOS accepts: r and p must be at least 1"
        }
        return nil
    }

    /// Why the documented form's parameters cannot be right, or `nil`.
    static func problem(version: Int, cost: Int, blockSize: Int, parallelism: Int, keyLength: Int, hashBytes: Int)
        -> String?
    {
        guard version == 1 else { return "is a scrypt hash of version v=\(version); WorkOS's form has v=1" }
        guard cost > 1, cost & (cost - 1) == 0 else {
            return "has scrypt n=\(cost), which is not a power of two greater than 1: n is N itself (e.g. 16384), "
                + "not its logarithm"
        }
        if let problem = problem(blockSize: blockSize, parallelism: parallelism) { return problem }
        guard keyLength == hashBytes else {
            return "says kl=\(keyLength) but its hash holds \(hashBytes) bytes; kl is the hash's length in bytes"
        }
        return nil
    }
}

/// Base64 as WorkOS's documented PHC forms carry it: standard alphabet, `=` padding trimmed.
struct PHCBase64: Equatable {
    /// The characters to send.
    var text: String
    /// How many bytes they decode to.
    var bytes: Int
    /// Whether `text` differs from what was read (padding dropped, passlib's `.` turned into `+`).
    var rewritten: Bool

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `data` in standard base64 without padding.
    static func encode(_ data: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((data.count * 4 + 2) / 3)
        var index = 0
        while index < data.count {
            let first = data[index]
            let second = index + 1 < data.count ? data[index + 1] : 0
            let third = index + 2 < data.count ? data[index + 2] : 0
            output.append(alphabet[Int(first >> 2)])
            output.append(alphabet[Int((first & 0x03) << 4 | second >> 4)])
            if index + 1 < data.count { output.append(alphabet[Int((second & 0x0F) << 2 | third >> 6)]) }
            if index + 2 < data.count { output.append(alphabet[Int(third & 0x3F)]) }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}

extension ClosedRange<Int> {
    /// "4,096 to 262,144".
    fileprivate var spelled: String { "\(lowerBound.spelled) to \(upperBound.spelled)" }
}

extension Int {
    /// The number with thousands separators, "600,000", whatever the locale.
    fileprivate var spelled: String {
        let digits = String(magnitude)
        var out = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return self < 0 ? "-" + out : out
    }
}
