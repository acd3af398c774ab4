import Foundation
import Testing

@testable import ImportCore

@Suite("The target line and the JSON members added to a summary")
struct TargetDescriptionTests {
    @Test(
        "the key's prefix names the environment",
        arguments: [
            ("sk_live_abc", TargetDescription.Environment.production), ("sk_test_abc", .test), ("sk_abc", .unknown),
            ("SK_LIVE_abc", .unknown), ("", .unknown),
        ])
    func environment(key: String, expected: TargetDescription.Environment) {
        #expect(TargetDescription.Environment(key: key) == expected)
    }

    @Test("the line shows the fingerprint's start and never the key")
    func lineHidesTheKey() {
        let key = "sk_live_0123456789abcdef"
        let target = TargetDescription(baseURL: "HTTPS://API.workos.com/", apiKey: key, keySource: .environment)
        let journal = JournalEnvironment(baseURL: "https://api.workos.com", apiKey: key)
        #expect(journal.keyFingerprint.hasPrefix("sha256:" + target.keyFingerprint))
        #expect(target.keyFingerprint.count == 8)
        #expect(
            target.line
                == "Target: https://api.workos.com, production environment (sk_live_ key), key from "
                + "WORKOS_SECRET_KEY in the environment, fingerprint \(target.keyFingerprint).\n")
        #expect(!target.line.contains(key) && !target.json.contains(key))
        #expect(
            target.json
                == #"{"baseUrl":"https://api.workos.com","environment":"production","keyFile":null,"#
                + #""keyFingerprint":"\#(target.keyFingerprint)","keySource":"environment"}"#)
    }

    @Test(
        "a .env path is made absolute against the working folder",
        arguments: [
            (".env", "/home/me/project", "/home/me/project/.env"), ("./.env", "/home/me/", "/home/me/.env"),
            ("/etc/app/.env", "/home/me", "/etc/app/.env"),
        ])
    func dotEnvFolder(path: String, folder: String, expected: String) {
        #expect(TargetDescription.keySource(.dotEnv(path: path), folder: folder) == .dotEnv(path: expected))
    }

    @Test(
        "members join a sorted summary where their keys sort; anything else is left as it was",
        arguments: [
            (#"{"a":1,"c":2}"#, #"{"a":1,"b":true,"c":2}"#),
            (#"{}"#, #"{"b":true}"#),
            ("{\"a\":1}\n", "{\"a\":1,\"b\":true}\n"),
            (#"{"c":{"x":[1,{"y":"}"}]},"d":"a,\"b"}"#, #"{"b":true,"c":{"x":[1,{"y":"}"}]},"d":"a,\"b"}"#),
            (#"{"a":"\\","z":null}"#, #"{"a":"\\","b":true,"z":null}"#),
            (#"{"b":false}"#, #"{"b":false}"#),
            ("[1,2]", "[1,2]"),
            (#"{"a":1"#, #"{"a":1"#),
        ])
    func inserting(object: String, expected: String) {
        #expect(JSONObjectText.inserting([("b", "true")], into: object) == expected)
    }
}
