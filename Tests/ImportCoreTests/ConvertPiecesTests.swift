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
        }
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
