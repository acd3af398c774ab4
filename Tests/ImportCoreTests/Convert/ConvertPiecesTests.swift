import Foundation
import Testing

@testable import ImportCore

@Suite("Convert: the shared pieces (JSON reader, name split, hash parameters, metadata rules)")
struct ConvertPiecesTests {
    // MARK: - JSON reader

    private func values(_ text: String) throws -> [JSONValue] {
        var reader = JSONStreamReader(bytes: Array(text.utf8))
        var values: [JSONValue] = []
        while let (value, _) = try reader.nextTopLevelValue() { values.append(value) }
        return values
    }

    @Test("Strings unescape every JSON escape, surrogate pairs included, and keep raw UTF-8")
    func escapes() throws {
        let parsed = try values(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00 Zoë""#)
        #expect(parsed == [.string("a\"b\\c/d\n\té😀 Zoë")])
    }

    @Test(
        "Numbers keep their text; objects keep member order; literals parse",
        arguments: [
            ("42", JSONValue.number("42")), ("-4.20e3", .number("-4.20e3")), ("true", .bool(true)), ("null", .null),
            (
                #"{"b":1,"a":[false,{}]}"#,
                .object([
                    .init(key: "b", value: .number("1")), .init(key: "a", value: .array([.bool(false), .object([])])),
                ])
            ),
        ])
    func values(text: String, expected: JSONValue) throws {
        #expect(try values(text) == [expected])
    }

    @Test(
        "Broken JSON fails with the line of the problem",
        arguments: [
            ("{\n\"a\": 1,\n}", 3), ("[1, 2", 1), ("\"abc\ndef\"", 1), ("{\"a\" 1}", 1), ("tru", 1), ("\"\\ud800\"", 1),
        ])
    func syntaxErrors(text: String, line: Int) throws {
        var reader = JSONStreamReader(bytes: Array(text.utf8))
        do {
            _ = try reader.readValue()
            try reader.expectEnd()
            Issue.record("\(text.debugDescription) should not parse")
        } catch {
            #expect(error.line == line, "\(error)")
        }
    }

    @Test("Nesting deeper than the limit is refused rather than recursing without end")
    func depthLimit() throws {
        var reader = JSONStreamReader(
            bytes: Array((String(repeating: "[", count: 100) + String(repeating: "]", count: 100)).utf8))
        #expect(throws: JSONSyntaxError.self) { _ = try reader.readValue() }
    }

    @Test("A users array streams element by element whatever the chunk size, with each element's line")
    func streamsAcrossChunks() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("export.json").path
        let text =
            "\u{FEFF}{\"before\": {\"x\": [1, 2]},\n \"users\": [\n"
            + (1...50).map { "{\"localId\": \"id\($0)\", \"displayName\": \"Zoë \\u00e9 \($0)\"}" }.joined(
                separator: ",\n")
            + "\n], \"after\": \"done\"}\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        for chunk in [4, 5, 7, 64, 1 << 20] {
            var reader = try JSONStreamReader(path: path, chunkSize: chunk)
            #expect(try reader.enterArray(inObjectUnder: "users"))
            var count = 0
            while let (value, line) = try reader.nextElement() {
                count += 1
                #expect(value["localId"] == .string("id\(count)"))
                #expect(value["displayName"] == .string("Zoë é \(count)"))
                #expect(line == count + 2)
            }
            try reader.finishObject()
            #expect(count == 50, "chunk size \(chunk)")
            var inPlace = try JSONStreamReader(path: path, chunkSize: chunk)
            #expect(try inPlace.enterArray(inObjectUnder: "users"))
            count = 0
            while let (line, isObject) = try inPlace.nextElementInPlace() {
                count += 1
                #expect(isObject && line == count + 2)
                let (id, name) = inPlace.withElement { ($0["localId"]?.string, $0["displayName"]?.string) }
                #expect(id == "id\(count)", "chunk size \(chunk)")
                #expect(name == "Zoë é \(count)", "chunk size \(chunk)")
            }
            try inPlace.finishObject()
            #expect(count == 50, "chunk size \(chunk), in place")
        }
    }

    @Test("An element read in place finds members as a JSONValue would: first of a name, escaped keys, kinds")
    func elementInPlace() throws {
        let text = #"""
            {"users": [
              {"a": 1, "a": 2, "k\u0065y": "escaped", "nested": {"inner": true}, "list": [ ],
               "full": [0], "flag": "true", "blank": "  ", "padded": " x ", "n": -4.5e1, "nil": null},
              [1, 2],
              "text"
            ]}
            """#
        var reader = JSONStreamReader(bytes: Array(text.utf8))
        #expect(try reader.enterArray(inObjectUnder: "users"))
        let first = try #require(try reader.nextElementInPlace())
        #expect(first.isObject && first.line == 2)
        reader.withElement { element in
            #expect(element["a"]?.trimmedText == "1")
            #expect(element["key"]?.string == "escaped")
            #expect(element["inner"] == nil)
            #expect(element["nested"]?.value == .object([.init(key: "inner", value: .bool(true))]))
            #expect(element["list"]?.isNonEmptyArray == false)
            #expect(element["full"]?.isNonEmptyArray == true)
            #expect(element["flag"]?.bool == true)
            #expect(element["blank"]?.trimmedText == nil)
            #expect(element["padded"]?.trimmedText == "x")
            #expect(element["padded"]?.string == " x ")
            #expect(element["n"]?.trimmedText == "-4.5e1")
            #expect(element["nil"]?.isNull == true)
            #expect(element["missing"] == nil)
        }
        let second = try #require(try reader.nextElementInPlace())
        #expect(!second.isObject && second.line == 4)
        #expect(reader.withElement { $0["a"] } == nil)
        #expect(try reader.nextElementInPlace()?.isObject == false)
        #expect(try reader.nextElementInPlace() == nil)
        try reader.finishObject()
    }

    @Test(
        "Broken JSON fails in place as it does when the value is built",
        arguments: ["{\"users\": [{\"a\": 1,}]}", "{\"users\": [{\"a\": \"x\ny\"}]}", "{\"users\": [{\"a\": tru}]}"])
    func inPlaceErrors(text: String) throws {
        func failure(inPlace: Bool) -> JSONSyntaxError? {
            var reader = JSONStreamReader(bytes: Array(text.utf8))
            do {
                _ = try reader.enterArray(inObjectUnder: "users")
                if inPlace { _ = try reader.nextElementInPlace() } else { _ = try reader.nextElement() }
                return nil
            } catch {
                return error
            }
        }
        let built = try #require(failure(inPlace: false))
        #expect(failure(inPlace: true) == built)
    }

    @Test("NDJSON lines are read one by one, so a broken line cannot swallow the next")
    func lines() throws {
        var reader = JSONStreamReader(bytes: Array("{\"a\":1}\r\n{\"b\":\n{\"c\":3}\n".utf8))
        var lines: [(String, Int)] = []
        while let (bytes, line) = reader.nextLine() { lines.append((String(decoding: bytes, as: UTF8.self), line)) }
        #expect(lines.map(\.0) == ["{\"a\":1}", "{\"b\":", "{\"c\":3}"])
        #expect(lines.map(\.1) == [1, 2, 3])
    }

    // MARK: - Names

    @Test(
        "Display names split where the user asks, in any script",
        arguments: [
            (NameSplitter.firstSpace, "Ada King Lovelace", "Ada", "King Lovelace"),
            (.lastSpace, "Ada King Lovelace", "Ada King", "Lovelace"),
            (.none, "Ada King Lovelace", "Ada King Lovelace", nil),
            (.firstSpace, "  José   María  ", "José", "María"),
            (.lastSpace, "毛泽东", "毛泽东", nil),
            (.firstSpace, "Søren Aabye Kierkegaard", "Søren", "Aabye Kierkegaard"),
        ] as [(NameSplitter, String, String?, String?)])
    func split(splitter: NameSplitter, name: String, first: String?, last: String?) {
        let parts = splitter.split(name)
        #expect(parts.first == first)
        #expect(parts.last == last)
    }

    @Test("A blank name gives no names")
    func blankName() {
        #expect(NameSplitter.firstSpace.split("   ").first == nil)
    }

    // MARK: - Firebase hash parameters

    @Test("The console's hash_config block is read as shown, URL-safe base64 rewritten")
    func hashConfigBlock() throws {
        let config = try FirebaseHashConfig(
            block: """
                hash_config {
                  algorithm: SCRYPT,
                  base64_signer_key: ab-_cd==,
                  base64_salt_separator: Bw==,
                  rounds: 8,
                  mem_cost: 14,
                }
                """)
        #expect(config.signerKey == "ab+/cd==")
        #expect(config.saltSeparator == "Bw==")
        #expect(config.rounds == 8)
        #expect(config.memoryCost == 14)
        let hash = try #require(config.passwordHash(hash: "aGFzaA-_", salt: "c2FsdA=="))
        #expect(hash == "$firebase-scrypt$hash=aGFzaA+/$salt=c2FsdA==$sk=ab+/cd==$ss=Bw==$r=8$m=14")
        #expect(PasswordHashFormat.check(hash, as: .firebaseScrypt) == .valid)
    }

    @Test(
        "A converted firebase-scrypt hash exists exactly when the dry run's check would accept it",
        arguments: [
            ("aGFzaA==", "c2FsdA=="), ("aGFzaA-_", "c2F_dA"), ("", "c2FsdA=="), ("aGFzaA==", ""), ("==", "c2FsdA=="),
            ("aGFzaA==", "="), ("a=b", "c2FsdA=="), ("aGFz$aA", "c2FsdA=="), ("aGFzaA===", "c2FsdA=="), ("QQ", "Zg"),
        ])
    func firebaseHashMatchesCheck(hash: String, salt: String) throws {
        // A separator with no bytes ("", "==") is refused with the other parameters (see ConvertInputRulesTests).
        for (key, separator) in [("ab-_cd==", "Bw=="), ("a2V5", "AA==")] {
            let config = try FirebaseHashConfig(signerKey: key, saltSeparator: separator, rounds: 8, memoryCost: 14)
            let converted = config.passwordHash(hash: hash, salt: salt)
            // What the check says of the same parts joined without the converter's own guard.
            let standard = [hash, salt].map { Base64Text.standard($0) }
            var verdict = false
            if let standardHash = standard[0], let standardSalt = standard[1] {
                let joined =
                    "$firebase-scrypt$hash=\(standardHash)$salt=\(standardSalt)$sk=\(config.signerKey)"
                    + "$ss=\(config.saltSeparator)$r=8$m=14"
                verdict = PasswordHashFormat.check(joined, as: .firebaseScrypt) == .valid
                if let converted { #expect(converted == joined) }
            }
            #expect((converted != nil) == verdict, "hash \(hash), salt \(salt), key \(key), separator \(separator)")
        }
    }

    @Test(
        "Hash parameters that cannot be right are refused with what is wrong",
        arguments: [
            (
                "hash_config { algorithm: SCRYPT, base64_salt_separator: Bw==, rounds: 8, mem_cost: 14 }",
                "base64_signer_key is missing"
            ),
            (
                "hash_config { algorithm: HMAC_SHA256, base64_signer_key: a2V5, base64_salt_separator: Bw==, rounds: 8, mem_cost: 14 }",
                "HMAC_SHA256"
            ),
            (
                "hash_config { base64_signer_key: a2V5, base64_salt_separator: Bw==, rounds: 80, mem_cost: 14 }",
                "rounds is 80"
            ),
            (
                "hash_config { base64_signer_key: not*base64, base64_salt_separator: Bw==, rounds: 8, mem_cost: 14 }",
                "signer key is not base64"
            ),
            ("hash_config { base64_signer_key: a2V5, base64_salt_separator: Bw==, rounds: 8 }", "mem_cost is missing"),
        ])
    func badHashConfig(block: String, expected: String) {
        do {
            _ = try FirebaseHashConfig(block: block)
            Issue.record("should be refused")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
            #expect(error.description.contains("--hash-config"))
        }
    }

    // MARK: - Metadata

    @Test("Metadata follows the contract: strings kept, numbers and booleans as text, nested values as JSON")
    func metadataCarried() {
        let mapping = MetadataMapping(limits: .documented)
        let result = mapping.map([
            [
                .init(key: "plan", value: .string("pro")), .init(key: "seats", value: .number("12")),
                .init(key: "beta", value: .bool(true)),
                .init(key: "roles", value: .array([.string("admin"), .string("billing")])),
            ]
        ])
        #expect(result.values == ["plan": "pro", "seats": "12", "beta": "true", "roles": "[\"admin\",\"billing\"]"])
        #expect(result.loss == nil)
    }

    @Test(
        "The converted file's metadata is the text JSONEncoder writes, whether or not it takes the direct way",
        arguments: [
            ["plan": "pro", "tenant": "t3", "a": "x", "ab": "y", "b": "/srv/data", "seats": "12"],
            ["Zeta": "1", "org_id": "é", "k10": "a\"b", "k9": "back\\slash", "tab": "a\tb"],
            ["plan": "pro", "Plan": "team"],
        ])
    func metadataText(metadata: [String: String]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meta-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = try ConvertedCSVWriter(path: folder.appendingPathComponent("users.csv").path)
        defer { try? writer.close() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(metadata), as: UTF8.self)
        #expect(writer.metadataJSON(metadata) == expected)
    }

    @Test("What cannot be carried is named, never dropped silently")
    func metadataLosses() throws {
        let mapping = MetadataMapping(limits: .documented)
        var members: [JSONValue.Member] = [
            .init(key: "note", value: .null), .init(key: String(repeating: "k", count: 41), value: .string("x")),
            .init(key: "long", value: .string(String(repeating: "v", count: 601))),
            .init(key: "city", value: .string("Zürich")),
        ]
        members += (1...11).map { JSONValue.Member(key: "k\($0)", value: .string("v")) }
        let result = mapping.map([members, [.init(key: "k1", value: .string("from user"))]])
        #expect(result.values.count == 10)
        #expect(result.values["k1"] == "v")
        let loss = try #require(result.loss)
        let detail = try #require(loss.detail)
        for expected in [
            "\"note\" is null", "longer than 40", "601 characters", "\"city\" has non-ASCII", "\"k11\" is past",
            "\"k1\" is given twice",
        ] {
            #expect(detail.contains(expected), "\(detail)")
        }
        #expect(
            MetadataMapping(limits: .spec).map([[.init(key: "city", value: .string("Zürich"))]]).values == [
                "city": "Zürich"
            ])
    }

    @Test("Organization fields in user metadata are refused unless explicitly allowed, and the message says why")
    func userMetadataOrg() throws {
        let bare = try MetadataField("org_id", option: "--org-from", allowUserMetadata: false)
        #expect(bare.scope == .app && bare.path == "org_id")
        let prefixed = try MetadataField("app_metadata.org.id", option: "--org-from", allowUserMetadata: false)
        #expect(prefixed.scope == .app && prefixed.path == "org.id")
        do {
            _ = try MetadataField("user_metadata.org_id", option: "--org-from", allowUserMetadata: false)
            Issue.record("should be refused")
        } catch {
            #expect(error.description.contains("users can change themselves"))
            #expect(error.description.contains("--allow-user-metadata-org"))
        }
        let allowed = try MetadataField("raw_user_meta_data.org", option: "--org-from", allowUserMetadata: true)
        #expect(allowed.scope == .user && allowed.path == "org")
    }
}
