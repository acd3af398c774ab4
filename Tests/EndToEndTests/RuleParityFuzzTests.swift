import Foundation
import Testing

@testable import ImportCore
@testable import WorkOSEmulator

/// The importer's and the emulator's implementations of one rule, fed the same random strings built
/// from the pieces each rule cares about; any string on which they disagree is a bug on one side.
@Suite("The importer's and the emulator's rules agree on random input")
struct RuleParityFuzzTests {
    /// `text` with up to three random edits: a character removed, a piece inserted or a piece appended.
    private static func mutated(_ text: String, _ pieces: [String], _ random: inout SeededRandom) -> String {
        var scalars = Array(text.unicodeScalars)
        for _ in 0..<random.below(4) {
            switch random.below(3) {
            case 0 where !scalars.isEmpty:
                scalars.remove(at: random.below(scalars.count))
            case 1:
                scalars.insert(contentsOf: random.pick(pieces).unicodeScalars, at: random.below(scalars.count + 1))
            default:
                scalars.append(contentsOf: random.pick(pieces).unicodeScalars)
            }
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    /// A random address: atoms or a quoted string, `@`, two to four labels; often well formed, often not.
    private static func randomEmail(_ random: inout SeededRandom) -> String {
        let atoms = [
            "a", "Zoe", "o'brien", "a+tag", "x_y", "9", "josé", "例", "#!$%&'*+-/=?^_`{|}~",
            "l" + String(repeating: "o", count: 30),
        ]
        let quoted = ["\"john doe\"", "\"a@b\"", "\"a\\\"b\"", "\"\"", "\"\u{7}\"", "\"😀\"", "\""]
        let labels = [
            "example", "bücher", "例え", "xn--bcher-kva", "a-b", "sub", "b" + String(repeating: "c", count: 62),
            "co", "com", "de", "jp", "рф", "xn--p1ai",
        ]
        let local =
            random.below(8) == 0
            ? random.pick(quoted)
            : (0...random.below(3)).map { _ in random.pick(atoms) }.joined(separator: ".")
        let domain = (0...(1 + random.below(3))).map { _ in random.pick(labels) }.joined(separator: ".")
        return local + "@" + domain
    }

    @Test("EmailRule and EmailAddress accept exactly the same addresses")
    func emails() {
        let pieces = [
            "a", "Z", "0", ".", ".", "@", "\"", "\\", "-", "_", "+", "xn--", "é", "例", "😀", "ｅ", " ", "\u{3000}",
            "\u{A0}", "\u{7}", "c", "123", "[", "]", "<", ">", ":", "mailto:", "(", ",", "©", "\u{2003}", "\u{FEFF}",
            "\u{E000}", "\u{301}", String(repeating: "l", count: 40),
        ]
        var random = SeededRandom(seed: 2026)
        var disagreements: [String] = []
        var accepted = 0
        var refused = 0
        for _ in 0..<30_000 {
            let email = Self.mutated(Self.randomEmail(&random), pieces, &random)
            guard let first = email.unicodeScalars.first, let last = email.unicodeScalars.last,
                !first.properties.isWhitespace, !last.properties.isWhitespace
            else { continue }
            let importer = EmailRule.problem(with: email) == nil
            let emulator = EmailAddress.isValid(email)
            if importer { accepted += 1 } else { refused += 1 }
            if importer != emulator && disagreements.count < 20 {
                disagreements.append("\(email.debugDescription): importer \(importer), emulator \(emulator)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
        // Both verdicts must be common, or agreement would prove little.
        #expect(accepted > 3_000 && refused > 3_000, "\(accepted) accepted, \(refused) refused")
    }

    @Test("PasswordHashFormat and PasswordHashRules accept exactly the same hashes of every type")
    func hashes() {
        let templates: [PasswordHashType: [String]] = [
            .bcrypt: ["$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"],
            .firebaseScrypt: [
                "$firebase-scrypt$hash=lSrfV15cpx95/sZS2W9c9Kp6i==$salt=42xEC+ixf3L2lw==$sk=jxspr8Ki0RYyc-_U8zykb==$ss=Bw==$r=8$m=14"
            ],
            .argon2: [
                "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
                "$argon2i$v=19$m=4096,t=3,p=8$c29tZXNhbHQ$RdescudvJCsgt3ub",
            ],
            .scrypt: [
                "$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA", "$scrypt$v=1$n=16384,r=8,p=1,kl=4$c2FsdA$aGFzaA",
                "$scrypt$v=1$n=16384,r=8,p=1,kl=4$c2Fs.A==$aGFzaA==",
            ],
            .pbkdf2: [
                "$pbkdf2-sha256$600000$N2YuJcT4vwvCqBU$jQkGB.1gLoZAmA", "$pbkdf2$i=600000,d=sha256$c2FsdA$aGFzaA",
                "$pbkdf2$i=210000,d=sha512$c2FsdA==$aGFzaA", "pbkdf2_sha256$1000000$salt$aGFzaA==",
            ],
            .ssha: ["{SSHA}gVK8WC9YyFT1gMsQHTGCgT3sSv5zYWx0", "gVK8WC9YyFT1gMsQHTGCgT3sSv5zYWx0"],
            .ssha256: ["{SSHA256}+E+iFJ27Yu1ODPH1UNKUmzOmUT06dwfghQJRHHnMsO5zYWx0"],
        ]
        let pieces = [
            "$", "2y", "99", "v=", "v=19$", ",l=", "i=", "=", "==", "-", "_", "+", "/", ".", "é", "9", "a", "{SSHA}",
            "{SSHA256}", "pbkdf2_", "argon2", "bcrypt$", "sha512", ",", " ", "ln=", "n=", ",kl=", "i=", ",d=",
            "sha256", "sha1", "1", "0", "00000", "999999", "600000", "262144", "4096", "16384", "v=1$", "v=16$",
        ]
        var random = SeededRandom(seed: 19)
        var disagreements: [String] = []
        var accepted = 0
        var refused = 0
        for _ in 0..<30_000 {
            let type = random.pick(PasswordHashType.allCases)
            let hash = Self.mutated(random.pick(templates[type] ?? [""]), pieces, &random)
            let sent: String?
            switch PasswordHashFormat.check(hash, as: type) {
            case .valid: sent = hash
            case .normalized(let rewritten): sent = rewritten
            case .invalid: sent = nil
            }
            let emulator = PasswordHashRules.isValid(sent ?? hash, type: type.rawValue)
            if sent != nil { accepted += 1 } else { refused += 1 }
            if (sent != nil) != emulator && disagreements.count < 20 {
                disagreements.append(
                    "\(type.rawValue) \(hash.debugDescription): importer \(sent != nil), emulator \(emulator)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
        #expect(accepted > 3_000 && refused > 3_000, "\(accepted) accepted, \(refused) refused")
    }
}
