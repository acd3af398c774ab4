import Foundation
import ImportCore

/// One row of the parity table: cells the importer reads, and whether WorkOS should take the row.
///
/// The same table is run through the importer's `RowValidator` and the emulator's HTTP endpoint (in
/// process), and through the real command's dry run and import (end to end), so the rules on both sides
/// cannot drift apart unnoticed.
struct ParityCase: Sendable, CustomStringConvertible {
    /// What the row shows, for test output.
    var name: String
    /// Cells by column name; columns left out are blank, and `email` defaults to a unique valid address.
    var cells: [String: String]
    /// Whether the row passes under the documented limits (the default).
    var passes: Bool
    /// Whether it passes under `--limits spec`, when that differs.
    var passesUnderSpec: Bool? = nil

    /// The name, so test output shows which row an argument is.
    var description: String { name }

    /// The expected verdict under `limits`.
    func passes(under limits: FieldLimits) -> Bool {
        limits == .spec ? passesUnderSpec ?? passes : passes
    }
}

/// The table, and how to turn it into CSV cells and API requests.
enum ParityTable {
    /// The columns of every parity row.
    static let header = [
        "email", "password_hash", "password_hash_type", "password_salt_position", "external_id", "metadata",
    ]

    private static let bcrypt = "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
    private static let ssha = "{SSHA}gVK8WC9YyFT1gMsQHTGCgT3sSv5zYWx0"
    private static let ssha256 = "{SSHA256}+E+iFJ27Yu1ODPH1UNKUmzOmUT06dwfghQJRHHnMsO5zYWx0"
    private static let firebase =
        "$firebase-scrypt$hash=lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==$salt=42xEC+ixf3L2lw==$sk=jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==$ss=Bw==$r=8$m=14"

    /// The scrypt and pbkdf2 examples of WorkOS's guide "Migrate from other services".
    private static let workOSScrypt =
        "$scrypt$v=1$n=16384,r=8,p=1,kl=64$Swhqd4iUYTtWfbCYIPeuMw$q7pfdBQMJujd5FX/qX+ozM2O6aNqP+mo1ZnHGH15XM2vlhroQfPA037UpbdfpH4H66OrSPjsUhfkAMuNoBiQvw"
    private static let workOSPBKDF2 =
        "$pbkdf2$i=600000,d=sha256$T2ptRFh6MXhDQVh2SWZuUGdpQXBUTg$xXiyTisD7390NijyCv5ICMhFW4eDuMlzypRoLGLyIvA"

    private static func metadata(keys: Int) -> String {
        "{" + (1...keys).map { "\"k\($0)\":\"v\"" }.joined(separator: ",") + "}"
    }

    private static func email(_ address: String, _ passes: Bool) -> ParityCase {
        ParityCase(name: "email \(address)", cells: ["email": address], passes: passes)
    }

    private static func hash(_ name: String, _ hash: String, _ type: String, _ passes: Bool) -> ParityCase {
        ParityCase(name: name, cells: ["password_hash": hash, "password_hash_type": type], passes: passes)
    }

    /// Every case: malformed and good addresses, hash forms, salt positions and both limit policies.
    static let cases: [ParityCase] = [
        email("a..b@example.com", false), email(".a@example.com", false), email("a.@example.com", false),
        email("mailto:a@example.com", false), email("<a@example.com>", false), email("Ann <a@example.com>", false),
        email("a@exa_mple.com", false), email("a@example.c", false), email("a@example.123", false),
        email("a@1.2.3.4", false), email("a@[1.2.3.4]", false), email("a@-example.com", false),
        email("a(b)@example.com", false), email("a@ｅｘａｍｐｌｅ.com", false), email("😀@example.com", false),
        email(String(repeating: "l", count: 65) + "@example.com", false), email("a@example..com", false),
        email("a b@example.com", false), email("a@b@example.com", false), email("a\"b@example.com", false),
        email("a+tag@example.com", true), email("user@bücher.de", true), email("user@例え.jp", true),
        email("\"john doe\"@example.com", true), email("x@xn--bcher-kva.de", true), email("josé@exämple.de", true),
        email(String(repeating: "m", count: 64) + "@example.com", true), email("o'brien@example.ie", true),

        hash("bcrypt", bcrypt, "bcrypt", true),
        hash("bcrypt, type in capitals", bcrypt, "BCRYPT", true),
        hash("bcrypt with cost 99", "$2b$99$" + String(repeating: "a", count: 53), "bcrypt", false),
        hash(
            "Django pbkdf2_sha256 with 260,000 iterations",
            "pbkdf2_sha256$260000$c2FsdHNhbHQ$UZ4c/9Jc0cTeFQlDDXwmGhS4i2F5mI9kVJQx5w8n3Ew=", "pbkdf2", false),
        hash(
            "Django pbkdf2_sha256 with 600,000 iterations, rewritten",
            "pbkdf2_sha256$600000$c2FsdHNhbHQ$UZ4c/9Jc0cTeFQlDDXwmGhS4i2F5mI9kVJQx5w8n3Ew=", "pbkdf2", true),
        hash(
            "passlib pbkdf2-sha256 with 29,000 iterations", "$pbkdf2-sha256$29000$N2YuJcT4vwvCqBU$jQkGB.1gLoZAmA",
            "pbkdf2", false),
        hash(
            "passlib pbkdf2-sha256 with 600,000 iterations, rewritten",
            "$pbkdf2-sha256$600000$N2YuJcT4vwvCqBU$jQkGB.1gLoZAmA", "pbkdf2", true),
        hash("passlib pbkdf2 (SHA-1)", "$pbkdf2$600000$c2FsdA$aGFzaA", "pbkdf2", false),
        hash("pbkdf2 with i= and l=", "$pbkdf2-sha512$i=100000,l=64$c2FsdA$aGFzaA==", "pbkdf2", false),
        hash("pbkdf2 as WorkOS documents it", workOSPBKDF2, "pbkdf2", true),
        hash("pbkdf2 sha512 with 210,000 iterations", "$pbkdf2$i=210000,d=sha512$c2FsdA$aGFzaA", "pbkdf2", true),
        hash("pbkdf2 sha256 with 599,999 iterations", "$pbkdf2$i=599999,d=sha256$c2FsdA$aGFzaA", "pbkdf2", false),
        hash("pbkdf2 sha256 with 1,000,001 iterations", "$pbkdf2$i=1000001,d=sha256$c2FsdA$aGFzaA", "pbkdf2", false),
        hash("pbkdf2 sha1", "$pbkdf2$i=600000,d=sha1$c2FsdA$aGFzaA", "pbkdf2", false),
        hash("pbkdf2 with padded base64, trimmed", "$pbkdf2$i=600000,d=sha256$c2FsdA==$aGFzaA==", "pbkdf2", true),
        hash("ssha", ssha, "ssha", true),
        hash("ssha without prefix", "gVK8WC9YyFT1gMsQHTGCgT3sSv5zYWx0", "ssha", true),
        hash("ssha with bad base64", "{SSHA}not*base64", "ssha", false),
        hash("ssha with a dangling base64 character", "{SSHA}gVK8WC9YyFT1gMsQHTGCgT3sSv5zYWx0a", "ssha", false),
        hash("ssha too short for digest and salt", "{SSHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", "ssha", false),
        hash("ssha256", ssha256, "ssha256", true),
        hash("ssha256 given an ssha value", ssha, "ssha256", false),
        hash(
            "argon2id", "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
            "argon2", true),
        hash("argon2i without v=", "$argon2i$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "argon2", false),
        hash("argon2id v=16", "$argon2id$v=16$m=65536,t=3,p=4$c2FsdA$aGFzaA", "argon2", false),
        hash("argon2id with 1,024 KiB", "$argon2id$v=19$m=1024,t=3,p=4$c2FsdA$aGFzaA", "argon2", false),
        hash("argon2id with 262,145 KiB", "$argon2id$v=19$m=262145,t=3,p=4$c2FsdA$aGFzaA", "argon2", false),
        hash("argon2id with t=6", "$argon2id$v=19$m=65536,t=6,p=4$c2FsdA$aGFzaA", "argon2", false),
        hash("argon2i with t=2", "$argon2i$v=19$m=65536,t=2,p=4$c2FsdA$aGFzaA", "argon2", false),
        hash("argon2d with t=1", "$argon2d$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA", "argon2", true),
        hash("argon2id with p=9", "$argon2id$v=19$m=65536,t=3,p=9$c2FsdA$aGFzaA", "argon2", false),
        hash("argon2id at the upper limits", "$argon2id$v=19$m=262144,t=5,p=8$c2FsdA$aGFzaA", "argon2", true),
        hash("passlib scrypt, rewritten", "$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA", "scrypt", true),
        hash("scrypt as WorkOS documents it", workOSScrypt, "scrypt", true),
        hash("scrypt with n as a logarithm", "$scrypt$v=1$n=14,r=8,p=1,kl=4$c2FsdA$aGFzaA", "scrypt", false),
        hash(
            "scrypt with kl not the hash's length", "$scrypt$v=1$n=16384,r=8,p=1,kl=64$c2FsdA$aGFzaA", "scrypt", false),
        hash("scrypt v=2", "$scrypt$v=2$n=16384,r=8,p=1,kl=4$c2FsdA$aGFzaA", "scrypt", false),
        hash("scrypt with N=", "$scrypt$N=16384,r=8,p=1$c2FsdA$aGFzaA", "scrypt", false),
        hash("firebase-scrypt", firebase, "firebase-scrypt", true),
        hash(
            "firebase-scrypt in URL-safe base64",
            firebase.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-"),
            "firebase-scrypt", true),
        hash("md5 is not a type", "5f4dcc3b5aa765d61d8327deb882cf99", "md5", false),
        ParityCase(name: "hash without type", cells: ["password_hash": bcrypt], passes: false),

        ParityCase(
            name: "ssha256 salt prefix",
            cells: ["password_hash": ssha256, "password_hash_type": "ssha256", "password_salt_position": "prefix"],
            passes: true),
        ParityCase(
            name: "ssha256 salt suffix",
            cells: ["password_hash": ssha256, "password_hash_type": "ssha256", "password_salt_position": "suffix"],
            passes: true),
        ParityCase(
            name: "salt position on bcrypt",
            cells: ["password_hash": bcrypt, "password_hash_type": "bcrypt", "password_salt_position": "prefix"],
            passes: false),
        ParityCase(name: "salt position without hash", cells: ["password_salt_position": "prefix"], passes: false),
        ParityCase(
            name: "salt position middle",
            cells: ["password_hash": ssha256, "password_hash_type": "ssha256", "password_salt_position": "middle"],
            passes: false),

        ParityCase(name: "10 metadata keys", cells: ["metadata": metadata(keys: 10)], passes: true),
        ParityCase(
            name: "11 metadata keys", cells: ["metadata": metadata(keys: 11)], passes: false, passesUnderSpec: true),
        ParityCase(
            name: "50 metadata keys", cells: ["metadata": metadata(keys: 50)], passes: false, passesUnderSpec: true),
        ParityCase(name: "51 metadata keys", cells: ["metadata": metadata(keys: 51)], passes: false),
        ParityCase(
            name: "non-ASCII metadata value", cells: ["metadata": #"{"city":"Zürich"}"#], passes: false,
            passesUnderSpec: true),
        ParityCase(
            name: "non-ASCII metadata key", cells: ["metadata": #"{"café":"x"}"#], passes: false, passesUnderSpec: true),
        ParityCase(
            name: "metadata key of 41", cells: ["metadata": "{\"" + String(repeating: "k", count: 41) + "\":\"v\"}"],
            passes: false),
        ParityCase(
            name: "metadata value of 601",
            cells: ["metadata": "{\"k\":\"" + String(repeating: "v", count: 601) + "\"}"], passes: false),
        ParityCase(name: "external_id of 64", cells: ["external_id": String(repeating: "e", count: 64)], passes: true),
        ParityCase(
            name: "external_id of 65", cells: ["external_id": String(repeating: "f", count: 65)], passes: false,
            passesUnderSpec: true),
        ParityCase(
            name: "external_id of 128", cells: ["external_id": String(repeating: "g", count: 128)], passes: false,
            passesUnderSpec: true),
        ParityCase(
            name: "external_id of 129", cells: ["external_id": String(repeating: "h", count: 129)], passes: false),
        ParityCase(name: "non-ASCII external_id", cells: ["external_id": "crm-é-1"], passes: false),
    ]

    /// The CSV cells of case number `index` (emails made unique where the case does not set one).
    static func fields(_ parityCase: ParityCase, index: Int) -> [String] {
        header.map { column in
            if column == "email" { return parityCase.cells["email"] ?? "row\(index)@example.com" }
            return parityCase.cells[column] ?? ""
        }
    }

    /// The whole table as a CSV file.
    static func csv() -> String {
        var text = header.joined(separator: ",") + "\n"
        for (index, parityCase) in cases.enumerated() {
            text += fields(parityCase, index: index).map(quoted).joined(separator: ",") + "\n"
        }
        return text
    }

    private static func quoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
