import Foundation
import Testing

@testable import ImportCore

/// Inputs that used to be read with a silent guess: hash parameters given twice, empty or saved with CRLF;
/// a Firebase export with two `users` arrays; a user with a key twice; overlapping Cognito pages; an Auth0
/// hash record whose `_id` is a plain string; JSON nested too deep.
@Suite("convert: ambiguous inputs are refused or listed, never guessed")
struct ConvertInputRulesTests {
    /// A folder with `files` written in it, removed by the caller.
    static func folder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("convert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// Runs a conversion of `inputs` in `folder` and returns what it finished with, or the error.
    static func convert(
        _ source: ConvertSource, _ inputs: [String], in folder: URL,
        configure: (inout ConvertSettings) throws -> Void = { _ in }
    ) throws -> Result<(ConvertRun.Finished, String), ConvertError> {
        var settings = ConvertSettings(
            source: source, inputs: inputs.map { folder.appendingPathComponent($0).path },
            outputPath: folder.appendingPathComponent("out.csv").path)
        settings.skippedPath = folder.appendingPathComponent("skipped.jsonl").path
        try configure(&settings)
        let finished: ConvertRun.Finished
        do throws(ConvertError) {
            finished = try ConvertRun(settings: settings, warnings: CapturedText()).run()
        } catch {
            return .failure(error)
        }
        return .success((finished, try String(contentsOfFile: settings.skippedPath!, encoding: .utf8)))
    }

    // MARK: - Firebase hash parameters

    @Test(
        "A hash_config key given twice, or with no value, is refused (exit 2) with a sentence",
        arguments: [
            (
                "hash_config { base64_signer_key: a2V5, base64_signer_key: b2V5, base64_salt_separator: Bw==, rounds: 8, mem_cost: 14 }",
                "base64_signer_key is given twice"
            ),
            (
                "hash_config {\n rounds: 8,\n base64_signer_key: a2V5,\n base64_salt_separator: Bw==,\n rounds: 8,\n mem_cost: 14\n}",
                "rounds is given twice"
            ),
            (
                "hash_config { base64_signer_key: a2V5, base64_salt_separator:, rounds: 8, mem_cost: 14 }",
                "base64_salt_separator has no value"
            ),
            (
                "hash_config { base64_signer_key: a2V5, base64_salt_separator: \"\", rounds: 8, mem_cost: 14 }",
                "base64_salt_separator has no value"
            ),
            (
                "hash_config { base64_signer_key: , base64_salt_separator: Bw==, rounds: 8, mem_cost: 14 }",
                "base64_signer_key has no value"
            ),
        ])
    func refusedBlocks(block: String, expected: String) {
        let error = #expect(throws: ConvertError.self) { _ = try FirebaseHashConfig(block: block) }
        #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
        #expect(error?.description.contains("--hash-config") == true)
    }

    @Test("The four flags refuse an empty salt separator the same way")
    func emptySeparatorFlag() {
        #expect(throws: ConvertError.badHashConfig("base64_salt_separator has no value (Firebase's default is Bw==)")) {
            _ = try FirebaseHashConfig(signerKey: "a2V5", saltSeparator: "", rounds: 8, memoryCost: 14)
        }
    }

    @Test("A hash_config block saved with CRLF line breaks reads as with LF")
    func crlfBlock() throws {
        let lf = """
            hash_config {
              algorithm: SCRYPT,
              base64_signer_key: a2V5,
              base64_salt_separator: Bw==,
              rounds: 8,
              mem_cost: 14,
            }
            """
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try FirebaseHashConfig(block: crlf) == FirebaseHashConfig(block: lf))
        // Without commas, only line breaks separate the keys.
        let bare = crlf.replacingOccurrences(of: ",", with: "")
        #expect(try FirebaseHashConfig(block: bare) == FirebaseHashConfig(block: lf))
    }

    // MARK: - Firebase export shape

    @Test("A Firebase export with the users key twice is refused rather than one array dropped")
    func usersTwice() throws {
        let folder = try Self.folder([
            "users.json":
                #"{"users":[{"localId":"1","email":"a@example.com"}],"users":[{"localId":"2","email":"b@example.com"}]}"#
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        guard case .failure(let error) = try Self.convert(.firebase, ["users.json"], in: folder) else {
            Issue.record("two users arrays should stop the conversion")
            return
        }
        #expect(error.description.contains("second \"users\" key at line 1"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.csv").path))
    }

    @Test(
        "A user with a key twice is skipped and listed, whichever provider: the converter will not pick one value",
        arguments: [
            (
                ConvertSource.firebase,
                #"{"users":[{"localId":"1","email":"a@example.com","email":"b@example.com"},{"localId":"2","email":"c@example.com"}]}"#
            ),
            (
                ConvertSource.auth0,
                #"{"user_id":"auth0|1","email":"a@example.com","email":"b@example.com"}"# + "\n"
                    + #"{"user_id":"auth0|2","email":"c@example.com"}"#
            ),
            (
                ConvertSource.cognito,
                #"{"Users":[{"Username":"1","Attributes":[{"Name":"email","Value":"a@example.com"}],"Enabled":true,"Enabled":false},{"Username":"2","Attributes":[{"Name":"email","Value":"c@example.com"}]}]}"#
            ),
        ])
    func repeatedKeyInUser(source: ConvertSource, text: String) throws {
        let folder = try Self.folder(["export": text])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (finished, skipped) = try Self.convert(source, ["export"], in: folder).get()
        #expect(finished.counts.converted == 1)
        #expect(finished.counts.skipped == 1)
        #expect(skipped.contains("twice, so which value is meant is unclear"), "\(skipped)")
        let csv = try String(contentsOf: folder.appendingPathComponent("out.csv"), encoding: .utf8)
        #expect(!csv.contains("a@example.com") && !csv.contains("b@example.com"))
    }

    @Test("A Firebase user whose key is written with an escape is still found repeated")
    func escapedRepeatedKey() throws {
        let folder = try Self.folder([
            "users.json": #"{"users":[{"localId":"1","email":"a@example.com","em\u0061il":"b@example.com"}]}"#
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (finished, skipped) = try Self.convert(.firebase, ["users.json"], in: folder).get()
        #expect(finished.counts.converted == 0 && finished.counts.skipped == 1)
        #expect(skipped.contains(#"the key \"email\" twice"#), "\(skipped)")
    }

    // MARK: - JSON too deep

    @Test("JSON nested past the limit is called too deep, with the limit, not invalid")
    func tooDeep() throws {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let folder = try Self.folder([
            "users.json": #"{"users":[{"localId":"1","email":"a@example.com","x":"# + deep + "}]}",
            "users.ndjson": #"{"user_id":"auth0|1","email":"a@example.com","x":"# + deep + "}\n"
                + #"{"user_id":"auth0|2","email":"b@example.com"}"#,
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        guard case .failure(let error) = try Self.convert(.firebase, ["users.json"], in: folder) else {
            Issue.record("a file nested too deep should stop the conversion")
            return
        }
        #expect(error.description.contains("nested more than 64 levels deep at line 1"), "\(error)")
        #expect(!error.description.contains("not valid JSON"))
        // NDJSON: the line alone is skipped, and says why.
        let (finished, skipped) = try Self.convert(.auth0, ["users.ndjson"], in: folder).get()
        #expect(finished.counts.converted == 1 && finished.counts.skipped == 1)
        #expect(skipped.contains("nested more than 64 levels deep"), "\(skipped)")
        #expect(!skipped.contains("not valid JSON"))
    }

    // MARK: - Cognito pages

    @Test(
        "One Cognito user on two overlapping pages is converted once, the repeat listed, not two users of one address")
    func cognitoOverlap() throws {
        let output = try ConvertFixture.run(.cognito, ["cognito-page1.json", "cognito-page-overlap.json"])
        defer { try? FileManager.default.removeItem(at: output.folder) }
        #expect(output.rows.filter { $0["email"] == "grace@example.com" }.count == 1)
        #expect(output.finished.counts.repeatedEmails == 0)
        #expect(!output.warnings.contains("is the address of an earlier user too"))
        let repeated = try #require(
            output.skipped.first { $0.sourceId == "3f6c1d2e-0001-4a5b-8c9d-000000000001" && $0.outcome == "skipped" })
        #expect(repeated.reason.contains("on an earlier page too"), "\(repeated.reason)")
        #expect(repeated.reason.contains("cognito-page1.json line 3"), "\(repeated.reason)")
    }

    // MARK: - Auth0 password records

    @Test("An Auth0 password record whose _id is a plain string is joined like one with $oid")
    func auth0PlainId() throws {
        let bcrypt = "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
        let folder = try Self.folder([
            "users.ndjson": #"{"user_id":"auth0|abc","email":"a@example.com"}"# + "\n"
                + #"{"user_id":"auth0|def","email":"b@example.com"}"# + "\n",
            "passwords.ndjson": #"{"_id":"abc","passwordHash":"\#(bcrypt)"}"# + "\n"
                + #"{"_id":{"$oid":"def"},"passwordHash":"\#(bcrypt)"}"# + "\n",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (finished, _) = try Self.convert(.auth0, ["users.ndjson"], in: folder) {
            $0.passwordsPath = folder.appendingPathComponent("passwords.ndjson").path
        }.get()
        #expect(finished.counts.withPassword == 2, "\(finished.counts.withoutPasswordReasons.sorted)")
        #expect(finished.notes.isEmpty, "\(finished.notes)")
    }
}
