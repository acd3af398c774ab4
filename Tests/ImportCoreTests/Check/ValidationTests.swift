import Foundation
import ImportCore
import Testing
import WorkOSClient

/// Validates one data row under `header`; the row starts on line 2.
private func check(_ header: [String], _ fields: [String], limits: FieldLimits = .documented) throws -> RowValidation {
    let validator = try RowValidator(header: header, limits: limits)
    return validator.validate(CSVRecord(recordNumber: 1, line: 2, byteOffset: 0, fields: fields))
}

private let fullHeader = [
    "email", "first_name", "last_name", "password", "password_hash", "password_hash_type", "email_verified",
    "external_id", "metadata",
]

/// A full-header row with `overrides` applied (column name -> cell).
private func row(_ overrides: [String: String]) -> [String] {
    var cells = ["ann@example.com", "Ann", "Lee", "", "", "", "", "", ""]
    for (column, value) in overrides { cells[fullHeader.firstIndex(of: column)!] = value }
    return cells
}

private let bcrypt = "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
/// The scrypt and pbkdf2 examples of WorkOS's guide "Migrate from other services".
private let workOSScrypt =
    "$scrypt$v=1$n=16384,r=8,p=1,kl=64$Swhqd4iUYTtWfbCYIPeuMw$q7pfdBQMJujd5FX/qX+ozM2O6aNqP+mo1ZnHGH15XM2vlhroQfPA037UpbdfpH4H66OrSPjsUhfkAMuNoBiQvw"
private let workOSPBKDF2 =
    "$pbkdf2$i=600000,d=sha256$T2ptRFh6MXhDQVh2SWZuUGdpQXBUTg$xXiyTisD7390NijyCv5ICMhFW4eDuMlzypRoLGLyIvA"
private let argon2 = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"
private let firebase =
    "$firebase-scrypt$hash=lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==$salt=42xEC+ixf3L2lw==$sk=jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==$ss=Bw==$r=8$m=14"

@Suite("Row rules")
struct ValidationTests {
    @Test("Header names are trimmed and matched in any case; unknown columns get one warning naming them")
    func headerMatching() throws {
        let validator = try RowValidator(header: [" EMAIL ", "First_Name", "plan", "team_id"])
        #expect(validator.unknownColumns == ["plan", "team_id"])
        let warning = try #require(validator.unknownColumnsWarning)
        #expect(warning.contains("\"plan\" and \"team_id\""))
        let result = validator.validate(
            CSVRecord(recordNumber: 1, line: 2, byteOffset: 0, fields: [" a@b.io ", "Ann", "x", "y"]))
        guard case .valid(let row, let warnings) = result else {
            Issue.record("expected a valid row, got \(result)")
            return
        }
        #expect(row.email == "a@b.io")
        #expect(row.firstName == "Ann")
        #expect(warnings.isEmpty)
    }

    @Test(
        "Header names match ignoring case, spaces, hyphens and underscores",
        arguments: [
            [
                "E-mail", "First Name", "last-name", "Email Verified", "EXTERNAL_ID", "Password Hash",
                "passwordHashType",
            ],
            [
                "EMAIL", "FirstName", "LAST_NAME", "email_verified", "External Id", "password-hash",
                "Password_Hash_Type",
            ],
            [
                " email", "first_name", "Last Name", "EmailVerified", "externalid", "PASSWORD_HASH",
                "password hash type",
            ],
        ])
    func headerSpellings(header: [String]) throws {
        let validator = try RowValidator(header: header)
        #expect(validator.unknownColumns.isEmpty)
        let fields = ["a@b.io", "Ann", "Lee", "yes", "ext-1", bcrypt, "bcrypt"]
        guard
            case .valid(let row, let warnings) = validator.validate(
                CSVRecord(recordNumber: 1, line: 2, byteOffset: 0, fields: fields))
        else {
            Issue.record("expected a valid row")
            return
        }
        #expect(warnings.isEmpty)
        #expect(row.firstName == "Ann")
        #expect(row.lastName == "Lee")
        #expect(row.emailVerified == true)
        #expect(row.externalId == "ext-1")
        #expect(row.passwordHashType == .bcrypt)
    }

    @Test(
        "Headers without an email column or with a repeated name are refused",
        arguments: [
            (["first_name", "last_name"], "has no email column"),
            (["email", "first_name", " Email"], "\"email\" more than once (columns 1 and 3)"),
            (["email", "metadata", "x", "METADATA"], "\"metadata\" more than once (columns 2 and 4)"),
            (["email", "First Name", "first_name"], "\"First Name\" more than once (columns 2 and 3)"),
            (["Notes", "e-mail", "notes"], "\"Notes\" more than once (columns 1 and 3)"),
        ])
    func headerErrors(header: [String], fragment: String) {
        #expect {
            _ = try RowValidator(header: header)
        } throws: { error in
            (error as? HeaderError)?.description.contains(fragment) == true
        }
    }

    @Test(
        "Plausible emails pass, trimmed",
        arguments: ["ann@example.com", "  ann@example.com\t", "a.b+tag@sub.example.co.uk", "josé@exämple.de", "x@y.zz"])
    func validEmails(email: String) throws {
        guard case .valid(let row, _) = try check(["email"], [email]) else {
            Issue.record("\(email) should be valid")
            return
        }
        #expect(row.email == email.trimmingCharacters(in: .whitespaces))
    }

    @Test(
        "Implausible emails fail the row with the line and the address",
        arguments: [
            ("", "line 2: email is missing"),
            ("   ", "line 2: email is missing"),
            ("bob@", "line 2: email \"bob@\" is not a valid address (nothing comes after the \"@\")"),
            ("bob", "line 2: email \"bob\" is not a valid address (it has no \"@\")"),
            ("@example.com", "line 2: email \"@example.com\" is not a valid address (nothing comes before the \"@\")"),
            ("a@b@c.com", "line 2: email \"a@b@c.com\" is not a valid address (it contains more than one \"@\")"),
            ("a b@c.com", "line 2: email \"a b@c.com\" is not a valid address (it contains a space)"),
            ("a@localhost", "line 2: email \"a@localhost\" is not a valid address (its domain has no dot)"),
            (
                "a@.example.com",
                "line 2: email \"a@.example.com\" is not a valid address (its domain has an empty part (a leading or doubled dot))"
            ),
            ("a@example.com.", "line 2: email \"a@example.com.\" is not a valid address (its domain ends with a dot)"),
            (
                "a\u{7}@b.com",
                "line 2: email \"a\\u{7}@b.com\" is not a valid address (it contains a control character)"
            ),
            ("a\u{00A0}b@c.com", "line 2: email \"a\u{00A0}b@c.com\" is not a valid address (it contains a space)"),
        ])
    func invalidEmails(email: String, message: String) throws {
        guard case .invalid(let problem, _) = try check(["email"], [email]) else {
            Issue.record("\(email) should be invalid")
            return
        }
        #expect(problem.message == message)
        #expect(problem.line == 2)
        #expect(problem.recordNumber == 1)
        #expect(problem.email == email.trimmingCharacters(in: .whitespaces))
    }

    @Test("An address over 254 characters is refused, as WorkOS refuses it")
    func longEmail() throws {
        let email =
            String(repeating: "a", count: 60) + "@" + String(repeating: "b", count: 60) + "."
            + String(repeating: "c", count: 60) + "." + String(repeating: "d", count: 60) + ".example.com"
        #expect(email.count == 255)
        guard case .invalid(let problem, _) = try check(["email"], [email]) else {
            Issue.record("expected invalid")
            return
        }
        #expect(problem.message.hasSuffix("(it is longer than 254 characters)"))
        guard case .valid = try check(["email"], [String(email.dropFirst())]) else {
            Issue.record("254 characters should pass")
            return
        }
    }

    @Test(
        "email_verified accepts true/false/yes/no/y/n/1/0 in any case; blank means not sent",
        arguments: [
            ("true", true), ("TRUE", true), ("Yes", true), ("1", true), (" false ", false), ("No", false),
            ("0", false), ("", nil), ("Y", true), ("y", true), ("N", false), ("n", false),
        ] as [(String, Bool?)])
    func emailVerified(text: String, expected: Bool?) throws {
        guard case .valid(let row, _) = try check(fullHeader, row(["email_verified": text])) else {
            Issue.record("\(text) should be accepted")
            return
        }
        #expect(row.emailVerified == expected)
    }

    @Test("Any other email_verified value fails the row")
    func emailVerifiedInvalid() throws {
        guard case .invalid(let problem, _) = try check(fullHeader, row(["email_verified": "maybe"])) else {
            Issue.record("expected invalid")
            return
        }
        #expect(
            problem.message == "line 2: email_verified \"maybe\" is not one of true, false, yes, no, y, n, 1, 0")
    }

    @Test(
        "Metadata becomes a string map; numbers and booleans are sent as strings with one warning",
        arguments: [
            ("", nil, []),
            ("{}", [:], []),
            (#"{"plan":"pro"}"#, ["plan": "pro"], []),
            (#" { "plan" : "pro" , "team":"Core" } "#, ["plan": "pro", "team": "Core"], []),
            (
                #"{"seats":12,"active":true,"ratio":-1.5e3}"#, ["seats": "12", "active": "true", "ratio": "-1.5e3"],
                ["metadata_coerced"]
            ),
            (#"{"q":"a\"b\\c"}"#, ["q": "a\"b\\c"], []),
            (#"{"plan":null,"team":"x"}"#, ["team": "x"], ["other"]),
        ] as [(String, [String: String]?, [String])])
    func metadataAccepted(text: String, expected: [String: String]?, warningKinds: [String]) throws {
        let result = try check(fullHeader, row(["metadata": text]))
        guard case .valid(let row, let warnings) = result else {
            Issue.record("\(text) should be accepted, got \(result)")
            return
        }
        #expect(row.metadata == expected)
        #expect(warnings.map(\.kind.rawValue) == warningKinds)
    }

    @Test(
        "Bad metadata fails the row with a message saying what is wrong",
        arguments: [
            (#"{"plan":"pro""#, "metadata is invalid JSON (the object is not closed with \"}\" at character 14)"),
            (#"{plan:"pro"}"#, "metadata is invalid JSON (expected a key in double quotes at character 2)"),
            (#"{"a":"b"} x"#, "metadata is invalid JSON (unexpected text after the closing \"}\" at character 11)"),
            (#"{"a":01}"#, "metadata is invalid JSON"),
            (#"["pro"]"#, "metadata must be a JSON object like {\"plan\":\"pro\"}, not an array"),
            (#""pro""#, "not a string"),
            ("42", "not a number"),
            (
                #"{"team":{"name":"Core"}}"#,
                "metadata value for \"team\" is an object; values must be strings, numbers or booleans"
            ),
            (#"{"tags":["a"]}"#, "metadata value for \"tags\" is an array"),
            (#"{"a":"1","a":"2"}"#, "metadata has the key \"a\" more than once"),
            (#"{"":"x"}"#, "metadata has an empty key"),
            ("{\"" + String(repeating: "k", count: 41) + "\":\"v\"}", "is longer than 40 characters"),
            (
                "{\"bio\":\"" + String(repeating: "x", count: 601) + "\"}",
                "metadata value for \"bio\" is 601 characters long; WorkOS accepts at most 600"
            ),
            (
                "{" + (1...51).map { "\"k\($0)\":\"v\"" }.joined(separator: ",") + "}",
                "metadata has 51 keys; WorkOS documents at most 10"
            ),
            (#"{"q":"caf\u00e9"}"#, "metadata has non-ASCII characters; WorkOS documents ASCII only"),
            (#"{"q":"😀"}"#, "metadata has non-ASCII characters; WorkOS documents ASCII only"),
        ])
    func metadataRefused(text: String, fragment: String) throws {
        let result = try check(fullHeader, row(["metadata": text]))
        guard case .invalid(let problem, _) = result else {
            Issue.record("\(text) should be refused, got \(result)")
            return
        }
        #expect(problem.message.contains(fragment), "\(problem.message)")
        #expect(problem.message.hasPrefix("line 2: "))
    }

    @Test("More than 10 metadata keys fails under the documented limits and passes, silently, under --limits spec")
    func metadataManyKeys() throws {
        let text = "{" + (1...11).map { "\"k\($0)\":\"v\"" }.joined(separator: ",") + "}"
        guard case .invalid(let problem, let warnings) = try check(fullHeader, row(["metadata": text])) else {
            Issue.record("expected invalid under the documented limits")
            return
        }
        #expect(
            problem.message == "line 2: metadata has 11 keys; WorkOS documents at most 10 (--limits spec allows 50)")
        #expect(warnings.isEmpty)
        guard
            case .valid(let accepted, let specWarnings) = try check(fullHeader, row(["metadata": text]), limits: .spec)
        else {
            Issue.record("expected valid under the spec's limits")
            return
        }
        #expect(accepted.metadata?.count == 11)
        #expect(specWarnings.isEmpty)
        let fifty = "{" + (1...50).map { "\"k\($0)\":\"v\"" }.joined(separator: ",") + "}"
        guard case .valid = try check(fullHeader, row(["metadata": fifty]), limits: .spec) else {
            Issue.record("50 keys should pass under the spec's limits")
            return
        }
        let fiftyOne = "{" + (1...51).map { "\"k\($0)\":\"v\"" }.joined(separator: ",") + "}"
        guard case .invalid(let over, _) = try check(fullHeader, row(["metadata": fiftyOne]), limits: .spec) else {
            Issue.record("51 keys should fail under the spec's limits")
            return
        }
        #expect(over.message == "line 2: metadata has 51 keys; WorkOS accepts at most 50")
    }

    @Test("Non-ASCII metadata fails under the documented limits and is sent as written under --limits spec")
    func metadataNonASCII() throws {
        let text = #"{"q":"a\"b\\c\u00e9\ud83d\ude00","city":"Zürich","nothing":null}"#
        guard case .invalid(let problem, _) = try check(fullHeader, row(["metadata": text])) else {
            Issue.record("expected invalid under the documented limits")
            return
        }
        #expect(
            problem.message
                == "line 2: metadata has non-ASCII characters; WorkOS documents ASCII only (--limits spec allows them)")
        guard case .valid(let accepted, let warnings) = try check(fullHeader, row(["metadata": text]), limits: .spec)
        else {
            Issue.record("expected valid under the spec's limits")
            return
        }
        #expect(accepted.metadata == ["q": "a\"b\\cé😀", "city": "Zürich"])
        #expect(warnings.map(\.kind.rawValue) == ["other"])
        // A non-ASCII key whose value is null is left out, so it breaks no rule.
        guard case .valid = try check(fullHeader, row(["metadata": #"{"plan":"pro","é":null}"#])) else {
            Issue.record("a left-out key should not count")
            return
        }
    }

    @Test(
        "Well-formed password hashes pass",
        arguments: [
            (bcrypt, "bcrypt"), ("$2y$12$" + String(repeating: "a", count: 53), "bcrypt"), (argon2, "argon2"),
            ("$argon2i$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "argon2"), (firebase, "firebase-scrypt"),
            ("{SSHA}gVK8WC9YyFT1gMsQHTGCgT3sSv5zYWx0", "ssha"), ("gVK8WC9YyFT1gMsQHTGCgT3sSv5zYWx0", "ssha"),
            ("{SSHA256}+E+iFJ27Yu1ODPH1UNKUmzOmUT06dwfghQJRHHnMsO5zYWx0", "ssha256"),
            (workOSScrypt, "scrypt"), (workOSPBKDF2, "pbkdf2"),
            ("$pbkdf2$i=210000,d=sha512$c2FsdA$aGFzaA", "pbkdf2"),
            ("$pbkdf2$i=1000000,d=sha256$c2FsdA$aGFzaA", "pbkdf2"),
            ("$argon2i$v=19$m=262144,t=5,p=8$c2FsdHNhbHQ$aGFzaGhhc2g", "argon2"),
            ("$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "argon2"), (bcrypt, "BCRYPT"),
        ])
    func validHashes(hash: String, type: String) throws {
        let result = try check(fullHeader, row(["password_hash": hash, "password_hash_type": type]))
        guard case .valid(let row, let warnings) = result else {
            Issue.record("\(type) hash should pass, got \(result)")
            return
        }
        #expect(row.passwordHash == hash)
        #expect(row.passwordHashType == PasswordHashType(rawValue: type.lowercased()))
        #expect(warnings.isEmpty)
    }

    @Test("A firebase-scrypt hash in URL-safe base64 is sent in standard base64")
    func firebaseURLSafe() throws {
        let urlSafe = firebase.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
        guard
            case .valid(let row, _) = try check(
                fullHeader, row(["password_hash": urlSafe, "password_hash_type": "firebase-scrypt"]))
        else {
            Issue.record("expected valid")
            return
        }
        #expect(row.passwordHash == firebase)
    }

    @Test(
        "passlib's and Django's scrypt and pbkdf2 forms, and padded base64, are rewritten into WorkOS's documented form, which is what is sent",
        arguments: [
            (
                "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E", "scrypt",
                "$scrypt$v=1$n=65536,r=8,p=1,kl=32$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E"
            ),
            (
                "$scrypt$ln=14,r=8,p=1$c2Fs.A==$aGFz.GhhAA", "scrypt",
                "$scrypt$v=1$n=16384,r=8,p=1,kl=7$c2Fs+A$aGFz+GhhAA"
            ),
            (
                "$scrypt$v=1$n=16384,r=8,p=1,kl=4$c2FsdA==$aGFzaA==", "scrypt",
                "$scrypt$v=1$n=16384,r=8,p=1,kl=4$c2FsdA$aGFzaA"
            ),
            (
                "$pbkdf2-sha256$600000$N2YuJcT4vwvCqBU$jQkGB.1gLoZAmNV1GZqQqBbmG7MtM5SqJ0ZxQuFbfUI", "pbkdf2",
                "$pbkdf2$i=600000,d=sha256$N2YuJcT4vwvCqBU$jQkGB+1gLoZAmNV1GZqQqBbmG7MtM5SqJ0ZxQuFbfUI"
            ),
            ("$pbkdf2-sha512$250000$c2FsdA$aGFzaA", "pbkdf2", "$pbkdf2$i=250000,d=sha512$c2FsdA$aGFzaA"),
            (
                "pbkdf2_sha256$600000$c2FsdHNhbHQ$UZ4c/9Jc0cTeFQlDDXwmGhS4i2F5mI9kVJQx5w8n3Ew=", "pbkdf2",
                "$pbkdf2$i=600000,d=sha256$YzJGc2RITmhiSFE$UZ4c/9Jc0cTeFQlDDXwmGhS4i2F5mI9kVJQx5w8n3Ew"
            ),
            (
                "pbkdf2_sha256$870000$rgjSFB3xwsxkfcL1iE8wq6$bDtiRY0+gtE4ahFdfDeHwy0tzLb8McDRnppS8kD8QJs=", "pbkdf2",
                "$pbkdf2$i=870000,d=sha256$cmdqU0ZCM3h3c3hrZmNMMWlFOHdxNg$bDtiRY0+gtE4ahFdfDeHwy0tzLb8McDRnppS8kD8QJs"
            ),
            ("$pbkdf2$i=600000,d=sha256$c2FsdA==$aGFzaA==", "pbkdf2", "$pbkdf2$i=600000,d=sha256$c2FsdA$aGFzaA"),
        ])
    func rewrittenHashes(hash: String, type: String, sent: String) throws {
        let result = try check(fullHeader, row(["password_hash": hash, "password_hash_type": type]))
        guard case .valid(let row, let warnings) = result else {
            Issue.record("\(type) hash should pass once rewritten, got \(result)")
            return
        }
        #expect(row.passwordHash == sent)
        #expect(warnings.isEmpty)
    }

    @Test(
        "Hash problems fail the row without ever showing the hash",
        arguments: [
            (bcrypt, "", "password_hash is set but password_hash_type is blank"),
            ("", "bcrypt", "password_hash_type is set but password_hash is blank"),
            (
                bcrypt, "md5",
                "password_hash_type \"md5\" is not supported; use one of bcrypt, firebase-scrypt, ssha, ssha256, scrypt, pbkdf2, argon2"
            ),
            (String(bcrypt.dropLast()), "bcrypt", "password_hash is not a bcrypt hash"),
            ("$2b$99$" + String(repeating: "a", count: 53), "bcrypt", "its cost must be between 04 and 31"),
            ("$2b$10$" + String(repeating: "!", count: 53), "bcrypt", "password_hash is not a bcrypt hash"),
            ("$argon2id$v=19$c2FsdA$aGFzaA", "argon2", "password_hash is not an argon2 hash"),
            (bcrypt, "argon2", "password_hash is not an argon2 hash"),
            ("$firebase-scrypt$salt=abc$hash=def", "firebase-scrypt", "password_hash is not a firebase-scrypt hash"),
            ("has space", "pbkdf2", "password_hash is not a pbkdf2 hash"),
            ("$argon2i$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "argon2", "it lacks the version"),
            ("argon2" + argon2, "argon2", "is in Django's form: drop the leading \"argon2\""),
            ("{SSHA}not*base64", "ssha", "password_hash is not an ssha hash: expected {SSHA} followed by the base64"),
            ("{SSHA}abcde", "ssha", "password_hash is not an ssha hash"),
            ("{SSHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", "ssha", "its base64 holds 20 bytes"),
            ("{SSHA}gVK8WC9YyFT1gMsQHTGCgT3sSv5zYWx0", "ssha256", "has the {SSHA} prefix"),
            ("$scrypt$N=16384,r=8,p=1$c2FsdA$aGFzaA", "scrypt", "password_hash is not a scrypt hash"),
            ("$scrypt$v=1$n=14,r=8,p=1,kl=4$c2FsdA$aGFzaA", "scrypt", "n is N itself (e.g. 16384), not its logarithm"),
            ("$scrypt$v=1$n=16384,r=8,p=1,kl=64$c2FsdA$aGFzaA", "scrypt", "says kl=64 but its hash holds 4 bytes"),
            ("$scrypt$v=2$n=16384,r=8,p=1,kl=4$c2FsdA$aGFzaA", "scrypt", "WorkOS's form has v=1"),
            ("$scrypt$v=1$n=16384,r=0,p=1,kl=4$c2FsdA$aGFzaA", "scrypt", "r and p must be at least 1"),
            ("$scrypt$ln=16,r=8,p=1$c2Fs*A$aGFzaA", "scrypt", "password_hash is not a scrypt hash"),
            (
                "$pbkdf2-sha256$29000$N2YuJcT4vwvCqBU$jQkGB.1gLoZAmNV1GZqQqBbmG7MtM5SqJ0ZxQuFbfUI", "pbkdf2",
                "is pbkdf2-sha256 with 29,000 iterations; WorkOS accepts sha256 with 600,000 to 1,000,000 iterations "
                    + "or sha512 with 210,000 to 1,000,000"
            ),
            ("$pbkdf2$i=599999,d=sha256$c2FsdA$aGFzaA", "pbkdf2", "is pbkdf2-sha256 with 599,999 iterations"),
            ("$pbkdf2$i=1000001,d=sha512$c2FsdA$aGFzaA", "pbkdf2", "is pbkdf2-sha512 with 1,000,001 iterations"),
            ("$pbkdf2$i=600000,d=sha1$c2FsdA$aGFzaA", "pbkdf2", "is pbkdf2 with sha1, which WorkOS does not accept"),
            (
                "$pbkdf2$600000$c2FsdA$aGFzaA", "pbkdf2",
                "is pbkdf2 with sha1, which WorkOS does not accept: it takes sha256 with 600,000 to 1,000,000"
            ),
            (
                "pbkdf2_sha256$260000$c2FsdHNhbHQ$UZ4c/9Jc0cTeFQlDDXwmGhS4i2F5mI9kVJQx5w8n3Ew=", "pbkdf2",
                "is pbkdf2-sha256 with 260,000 iterations"
            ),
            ("$pbkdf2-sha512$i=100000,l=64$c2FsdA$aGFzaA==", "pbkdf2", "password_hash is not a pbkdf2 hash"),
            ("$argon2id$v=16$m=65536,t=3,p=4$c2FsdA$aGFzaA", "argon2", "version v=16; WorkOS accepts only v=19"),
            (
                "$argon2id$v=19$m=1024,t=3,p=4$c2FsdA$aGFzaA", "argon2",
                "has argon2 memory m=1024 KiB; WorkOS accepts 4,096 to 262,144 KiB"
            ),
            ("$argon2id$v=19$m=262145,t=3,p=4$c2FsdA$aGFzaA", "argon2", "m=262145 KiB"),
            ("$argon2id$v=19$m=65536,t=6,p=4$c2FsdA$aGFzaA", "argon2", "has argon2id time t=6; WorkOS accepts 1 to 5"),
            ("$argon2i$v=19$m=65536,t=2,p=4$c2FsdA$aGFzaA", "argon2", "argon2i at least 3"),
            ("$argon2d$v=19$m=65536,t=1,p=9$c2FsdA$aGFzaA", "argon2", "parallelism p=9; WorkOS accepts 1 to 8"),
            ("$argon2d$v=19$m=65536,t=1,p=0$c2FsdA$aGFzaA", "argon2", "parallelism p=0"),
        ])
    func invalidHashes(hash: String, type: String, fragment: String) throws {
        let result = try check(fullHeader, row(["password_hash": hash, "password_hash_type": type]))
        guard case .invalid(let problem, _) = result else {
            Issue.record("expected invalid, got \(result)")
            return
        }
        #expect(problem.message.contains(fragment), "\(problem.message)")
        if !hash.isEmpty { #expect(!problem.message.contains(hash)) }
    }

    @Test("With a hash pair present a plaintext password is ignored with one warning that does not show it")
    func passwordIgnored() throws {
        let result = try check(
            fullHeader, row(["password": "Secret-Passw0rd", "password_hash": bcrypt, "password_hash_type": "bcrypt"]))
        guard case .valid(let row, let warnings) = result else {
            Issue.record("expected valid")
            return
        }
        #expect(row.password == nil)
        #expect(row.passwordHash == bcrypt)
        #expect(warnings.map(\.kind) == [.passwordIgnored])
        #expect(!warnings[0].message.contains("Secret"))
    }

    @Test("A plaintext password alone is kept as written")
    func plaintextPassword() throws {
        guard case .valid(let row, let warnings) = try check(fullHeader, row(["password": " spaced pass "])) else {
            Issue.record("expected valid")
            return
        }
        #expect(row.password == " spaced pass ")
        #expect(warnings.isEmpty)
    }

    @Test(
        "external_id must be ASCII and at most 64 characters, or 128 under --limits spec",
        arguments: [
            ("usr_1", FieldLimits.documented, nil),
            (String(repeating: "a", count: 64), .documented, nil),
            (
                String(repeating: "a", count: 65), .documented,
                "external_id is 65 characters long; WorkOS documents at most 64 (--limits spec allows 128)"
            ),
            (
                String(repeating: "a", count: 129), .documented,
                "external_id is 129 characters long; WorkOS documents at most 64"
            ),
            (String(repeating: "a", count: 65), .spec, nil),
            (String(repeating: "a", count: 128), .spec, nil),
            (
                String(repeating: "a", count: 129), .spec,
                "external_id is 129 characters long; WorkOS accepts at most 128"
            ),
            ("usr_é", .documented, "external_id \"usr_é\" must be ASCII only"),
            ("usr_é", .spec, "external_id \"usr_é\" must be ASCII only"),
        ] as [(String, FieldLimits, String?)])
    func externalId(value: String, limits: FieldLimits, problem: String?) throws {
        let result = try check(fullHeader, row(["external_id": value]), limits: limits)
        switch result {
        case .valid(let row, let warnings):
            #expect(problem == nil)
            #expect(row.externalId == value)
            #expect(warnings.isEmpty)
        case .invalid(let found, _):
            #expect(found.message == "line 2: " + (problem ?? "(none expected)"))
        }
    }

    @Test(
        "password_salt_position is prefix or suffix, only beside an ssha256 hash, and is carried to the row",
        arguments: [
            ("ssha256", "prefix", PasswordSaltPosition.prefix, nil),
            ("ssha256", " Suffix ", .suffix, nil),
            ("ssha256", "", nil, nil),
            ("ssha256", "middle", nil, "password_salt_position \"middle\" is not one of prefix, suffix"),
            ("ssha", "prefix", nil, "password_salt_position is only used with password_hash_type ssha256, not ssha"),
            ("", "prefix", nil, "password_salt_position is set but password_hash is blank"),
        ] as [(String, String, PasswordSaltPosition?, String?)])
    func saltPosition(type: String, position: String, expected: PasswordSaltPosition?, problem: String?) throws {
        let hashes = [
            "ssha256": "{SSHA256}+E+iFJ27Yu1ODPH1UNKUmzOmUT06dwfghQJRHHnMsO5zYWx0",
            "ssha": "{SSHA}gVK8WC9YyFT1gMsQHTGCgT3sSv5zYWx0",
        ]
        let header = fullHeader + ["password_salt_position"]
        let cells =
            row(["password_hash": hashes[type] ?? "", "password_hash_type": type]) + [position]
        switch try check(header, cells) {
        case .valid(let row, _):
            #expect(problem == nil)
            #expect(row.passwordSaltPosition == expected)
        case .invalid(let found, _):
            #expect(found.message.hasPrefix("line 2: " + (problem ?? "(none expected)")), "\(found.message)")
        }
    }

    @Test("Every problem of a row is listed in one message")
    func severalProblems() throws {
        let result = try check(fullHeader, row(["email": "bob@", "email_verified": "maybe", "metadata": "[1]"]))
        guard case .invalid(let problem, _) = result else {
            Issue.record("expected invalid")
            return
        }
        #expect(
            problem.message
                == "line 2: email \"bob@\" is not a valid address (nothing comes after the \"@\"); email_verified "
                + "\"maybe\" is not one of true, false, yes, no, y, n, 1, 0; metadata must be a JSON object like "
                + "{\"plan\":\"pro\"}, not an array")
        #expect(problem.email == "bob@")
    }

    @Test("Blank optional cells become nil and names are trimmed")
    func blanks() throws {
        guard case .valid(let row, _) = try check(fullHeader, row(["first_name": "  ", "last_name": " Lee "])) else {
            Issue.record("expected valid")
            return
        }
        #expect(row.firstName == nil)
        #expect(row.lastName == "Lee")
        #expect(row.emailVerified == nil)
        #expect(row.metadata == nil)
        #expect(row.externalId == nil)
    }

    @Test("A malformed record is reported with its line and best-effort email")
    func malformedProblem() throws {
        let validator = try RowValidator(header: ["name", "email"])
        let record = CSVRecord(recordNumber: 4, line: 7, byteOffset: 0, fields: ["Ann", " ann@x.io ", "extra"])
        let problem = validator.problem(forMalformed: record, reason: "expected 2 fields, found 3")
        #expect(
            problem
                == RowProblem(
                    recordNumber: 4, line: 7, email: "ann@x.io", message: "line 7: expected 2 fields, found 3"))
    }
}
