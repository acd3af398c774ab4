import Foundation
import Testing

@testable import ImportCore

/// Each provider's converter over a fixture written from its documented export format, with the awkward
/// cases: URL-safe base64, every bcrypt prefix, unicode names, missing fields, repeated and missing emails,
/// disabled users.
@Suite("Convert: provider exports into the importer's CSV")
struct ConvertProviderTests {
    // MARK: - Firebase

    @Test("Firebase: hashes become firebase-scrypt in standard base64, names split, claims into metadata")
    func firebase() throws {
        let config = try ConvertFixture.firebaseConfig()
        let output = try ConvertFixture.run(.firebase, ["firebase-users.json"]) { $0.hashConfig = config }
        defer { try? FileManager.default.removeItem(at: output.folder) }
        #expect(output.header == ConvertedCSVWriter.columns)
        #expect(output.rows.count == 7)
        let ada = try #require(output.row("ada@example.com"))
        #expect(ada["external_id"] == "fb-ada-001")
        #expect(ada["email_verified"] == "true")
        #expect(ada["first_name"] == "Ada")
        #expect(ada["last_name"] == "King Lovelace")
        #expect(ada["metadata"] == #"{"plan":"pro","seats":"12","tenant":"acme"}"#)
        #expect(ada["password_hash_type"] == "firebase-scrypt")
        let hash = try #require(ada["password_hash"])
        let export = try String(contentsOfFile: ConvertFixture.path("firebase-users.json"), encoding: .utf8)
        let urlSafe = "5-7nYV7zXzDkm0guFcrnUAcgHhJhew_tp-Fkd5b_AivqjtAqgqF1kw8jN803lMUiCABtaxrwwMvWJWWKrCyfqg=="
        #expect(export.contains(urlSafe))
        let standard = urlSafe.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        #expect(
            hash == "$firebase-scrypt$hash=\(standard)$salt=B9E8RH4zBR7u+Vpg$sk=\(config.signerKey)$ss=Bw==$r=8$m=14")
        #expect(PasswordHashFormat.check(hash, as: .firebaseScrypt) == .valid)
        let jose = try #require(output.row("jose@example.com"))
        #expect(jose["first_name"] == "José")
        #expect(jose["last_name"] == "María Núñez")
        #expect(jose["email_verified"] == "false")
        let claims = try #require(output.row("claims@example.com"))
        #expect(claims["first_name"] == "Chen" && claims["last_name"] == "Wei")
        #expect(claims["metadata"] == #"{"roles":"[\"admin\",\"billing\"]"}"#)
        #expect(output.row("mfa@example.com")?["email_verified"] == "")
    }

    @Test("Firebase: disabled users and users without email are skipped, each with its reason")
    func firebaseSkipped() throws {
        let config = try ConvertFixture.firebaseConfig()
        let output = try ConvertFixture.run(.firebase, ["firebase-users.json"]) { $0.hashConfig = config }
        defer { try? FileManager.default.removeItem(at: output.folder) }
        let counts = output.finished.counts
        #expect(counts.users == 9)
        #expect(counts.converted == 7)
        #expect(counts.skipped == 2)
        #expect(counts.withPassword == 5)
        #expect(counts.withoutPassword == 2)
        #expect(output.row("disabled@example.com") == nil)
        #expect(output.skippedLine("fb-off-003")?.outcome == "skipped")
        #expect(output.skippedLine("fb-off-003")?.reason.contains("--include-disabled") == true)
        #expect(output.skippedLine("fb-phone-004")?.reason.contains("no email address") == true)
        #expect(output.skippedLine("fb-google-005")?.outcome == "converted_without_password")
        #expect(output.skippedLine("fb-google-005")?.reason.contains("google.com") == true)
        #expect(output.skippedLine("fb-empty-007")?.reason.contains("empty password hash") == true)
        #expect(output.skippedLine("fb-mfa-008")?.outcome == "converted_with_losses")
        #expect(output.skippedLine("fb-claims-009")?.reason.contains("longer than 40") == true)
        #expect(output.skippedLine("fb-claims-009")?.reason.contains("\"note\" is null") == true)
        #expect(output.skippedLine("fb-dup-006")?.outcome == "converted_repeated_email")
        #expect(output.warnings.contains("ADA@example.com is the address of an earlier user"))
        #expect(output.skippedLine("fb-ada-001") == nil)
        #expect(output.summary.contains("1 user: disabled in Firebase (--include-disabled converts them), first at"))
        #expect(output.summary.contains("repeated emails          1"))
    }

    @Test("Firebase: the skipped file and the summary never hold a hash, a salt or the signer key")
    func firebaseNoSecrets() throws {
        let config = try ConvertFixture.firebaseConfig()
        let output = try ConvertFixture.run(.firebase, ["firebase-users.json"]) { $0.hashConfig = config }
        defer { try? FileManager.default.removeItem(at: output.folder) }
        let skippedText = try String(contentsOfFile: output.settings.skippedPath!, encoding: .utf8)
        let data = try Data(contentsOf: URL(fileURLWithPath: ConvertFixture.path("firebase-users.json")))
        let export = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [[String: Any]]])
        var secrets = [config.signerKey]
        for user in export["users"] ?? [] {
            for key in ["passwordHash", "salt"] {
                if let value = user[key] as? String, value.count > 8 { secrets.append(value) }
            }
        }
        #expect(secrets.count > 10)
        for secret in secrets {
            #expect(!skippedText.contains(secret))
            #expect(!output.summary.contains(secret))
            #expect(!output.warnings.contains(secret))
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: output.settings.outputPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let skippedAttributes = try FileManager.default.attributesOfItem(atPath: output.settings.skippedPath!)
        #expect((skippedAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test(
        "Firebase: without hash parameters users keep everything but the password, and the summary says how to fix it")
    func firebaseWithoutConfig() throws {
        let output = try ConvertFixture.run(.firebase, ["firebase-users.json"]) {
            $0.nameSplit = .lastSpace
            $0.includeDisabled = true
            $0.orgFrom = try MetadataField("tenant", option: "--org-from", allowUserMetadata: false)
        }
        defer { try? FileManager.default.removeItem(at: output.folder) }
        #expect(output.rows.count == 8)
        #expect(output.rows.allSatisfy { $0["password_hash"] == "" })
        let ada = try #require(output.row("ada@example.com"))
        #expect(ada["first_name"] == "Ada King" && ada["last_name"] == "Lovelace")
        #expect(ada["org_external_id"] == "acme")
        #expect(output.row("disabled@example.com") != nil)
        #expect(output.summary.contains("no --hash-config was given (add it to keep passwords)"))
    }

    @Test("Firebase: a file that is not an export, or breaks off, stops with exit-2 material and leaves no CSV")
    func firebaseNotAnExport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("convert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text, expected) in [
            ("a.json", "{\"accounts\": []}", "no \"users\" array"),
            ("b.json", "{\"users\": [{\"localId\": \"1\", \"email\": \"a@example.com\"},\n{\"localId\": ", "line 2"),
        ] {
            let path = folder.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let out = folder.appendingPathComponent("out.csv").path
            do {
                _ = try ConvertRun(
                    settings: ConvertSettings(source: .firebase, inputs: [path], outputPath: out),
                    warnings: CapturedText()
                ).run()
                Issue.record("\(name) should stop the conversion")
            } catch {
                #expect(error.description.contains(expected), "\(error)")
                #expect(error.description.contains("firebase auth:export"))
            }
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        do {
            _ = try ConvertRun(
                settings: ConvertSettings(
                    source: .firebase, inputs: [folder.appendingPathComponent("missing.json").path],
                    outputPath: folder.appendingPathComponent("out.csv").path),
                warnings: CapturedText()
            ).run()
            Issue.record("a missing file should stop the conversion")
        } catch {
            #expect(error == .inputNotFound(path: folder.appendingPathComponent("missing.json").path))
        }
    }

    // MARK: - Auth0

    private func auth0(
        _ files: [String] = ["auth0-users.ndjson"], configure: (inout ConvertSettings) throws -> Void = { _ in }
    ) throws -> ConvertFixture.Output {
        try ConvertFixture.run(.auth0, files) { settings in
            settings.passwordsPath = ConvertFixture.path("auth0-passwords.ndjson")
            try configure(&settings)
        }
    }

    @Test("Auth0: hashes are joined by user id, never by the email the hash record carries")
    func auth0JoinByUserId() throws {
        let output = try auth0()
        defer { try? FileManager.default.removeItem(at: output.folder) }
        let alice = try #require(output.rows.first { $0["external_id"] == "auth0|60425dc43519d90068f82973" })
        let bob = try #require(output.row("bob@example.com"))
        // Bob's hash record names alice@example.com; joined by id it is Bob's and never Alice's.
        #expect(alice["password_hash"] == "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy")
        #expect(bob["password_hash"] == "$2b$12$fgPOubgdJs90F1GK2u.Qye7Xyyi2ajrQJoB5LDG5bnITEvFR/xhZ.")
        #expect(bob["password_hash_type"] == "bcrypt")
        let carol = try #require(output.row("carol@example.com"))
        #expect(carol["password_hash"]?.hasPrefix("$2y$10$") == true)
        #expect(carol["last_name"] == "Åström")
        let google = try #require(output.rows.first { $0["external_id"] == "google-oauth2|112233445566778899" })
        #expect(google["password_hash"] == "")
        #expect(output.summary.contains("1 password hash in --passwords matched no user"))
        #expect(output.warnings.contains("alice@example.com is the address of an earlier user"))
        #expect(output.skippedLine("google-oauth2|112233445566778899")?.reason.contains("earlier user") == true)
    }

    @Test("Auth0: names, verification and metadata carried; blocked, broken and email-less users listed")
    func auth0Fields() throws {
        let output = try auth0()
        defer { try? FileManager.default.removeItem(at: output.folder) }
        let alice = try #require(output.rows.first { $0["external_id"] == "auth0|60425dc43519d90068f82973" })
        #expect(alice["first_name"] == "Alice" && alice["last_name"] == "Liddell")
        #expect(alice["email_verified"] == "true")
        // The user's own metadata is kept apart under "user.", so a user's org_id cannot pass for the
        // application's.
        #expect(
            alice["metadata"]
                == #"{"org_id":"acme","org_name":"Acme Inc","plan":"pro","roles":"[\"admin\"]","user.org_id":"evil-corp","user.theme":"dark"}"#
        )
        #expect(output.skippedLine("auth0|60425dc43519d90068f82973") == nil)
        let bob = try #require(output.row("bob@example.com"))
        #expect(bob["first_name"] == "Bob" && bob["last_name"] == "Marley Jr")
        let dave = try #require(output.row("dave@example.com"))
        #expect(dave["first_name"] == "" && dave["password_hash"] == "")
        // Only user_metadata has an org_id: it is not carried as the application's key.
        #expect(dave["metadata"] == #"{"user.org_id":"evil-corp"}"#)
        #expect(output.skippedLine("auth0|60425dc43519d90068f82978")?.reason.contains("bcrypt form") == true)
        #expect(output.skippedLine("auth0|60425dc43519d90068f82976")?.reason.contains("blocked") == true)
        #expect(output.skipped.contains { $0.position.hasSuffix("line 6") && $0.reason.contains("not valid JSON") })
        #expect(output.skippedLine("sms|60425dc43519d90068f82977")?.reason.contains("no email") == true)
        #expect(output.finished.counts.users == 8)
        #expect(output.finished.counts.converted == 5)
        #expect(output.finished.counts.skipped == 3)
    }

    @Test("Auth0: the organization comes from app_metadata; user_metadata only with the explicit allowance")
    func auth0Organization() throws {
        let fromApp = try auth0 {
            $0.orgFrom = try MetadataField("org_id", option: "--org-from", allowUserMetadata: false)
            $0.orgNameFrom = try MetadataField(
                "app_metadata.org_name", option: "--org-name-from", allowUserMetadata: false)
        }
        defer { try? FileManager.default.removeItem(at: fromApp.folder) }
        #expect(fromApp.row("bob@example.com")?["org_external_id"] == "acme")
        #expect(fromApp.rows.first { $0["external_id"] == "auth0|60425dc43519d90068f82973" }?["org_name"] == "Acme Inc")
        // Dave wrote an organization into his own user_metadata: it is not read.
        #expect(fromApp.row("dave@example.com")?["org_external_id"] == "")
        let fromUser = try auth0 {
            $0.orgFrom = try MetadataField("user_metadata.org_id", option: "--org-from", allowUserMetadata: true)
            $0.metadata = .none
        }
        defer { try? FileManager.default.removeItem(at: fromUser.folder) }
        #expect(fromUser.row("dave@example.com")?["org_external_id"] == "evil-corp")
        #expect(fromUser.rows.allSatisfy { $0["metadata"] == "" })
    }

    @Test("Auth0: a JSON array export reads like NDJSON; without --passwords users are listed as having none")
    func auth0Array() throws {
        let output = try ConvertFixture.run(.auth0, ["auth0-users-array.json"])
        defer { try? FileManager.default.removeItem(at: output.folder) }
        #expect(output.rows.map { $0["email"] } == ["alice@example.com", "bob@example.com", "carol@example.com"])
        #expect(output.finished.counts.withoutPassword == 3)
        #expect(output.summary.contains("no --passwords file was given"))
    }

    // MARK: - Clerk

    @Test("Clerk: bcrypt and argon2 pass through, TOTP secrets go to totp_secret, verification from the verified list")
    func clerk() throws {
        let output = try ConvertFixture.run(.clerk, ["clerk-users.csv"])
        defer { try? FileManager.default.removeItem(at: output.folder) }
        let bea = try #require(output.row("bea@example.com"))
        #expect(bea["password_hash_type"] == "bcrypt" && bea["password_hash"]?.hasPrefix("$2a$10$") == true)
        #expect(bea["email_verified"] == "true")
        #expect(bea["external_id"] == "user_2aBcD1")
        #expect(bea["metadata"] == #"{"username":"bea"}"#)
        let ari = try #require(output.row("ari@example.com"))
        #expect(ari["password_hash_type"] == "argon2")
        #expect(ari["totp_secret"] == "JBSWY3DPEHPK3PXP")
        #expect(ari["metadata"]?.contains("JBSWY3DPEHPK3PXP") == false)
        #expect(output.row("uma@example.com")?["email_verified"] == "false")
        let zoe = try #require(output.row("zoe@example.com"))
        #expect(zoe["first_name"] == "Zoë" && zoe["last_name"] == "Ærøskøbing")
        #expect(zoe["password_hash"]?.hasPrefix("$2y$10$") == true)
        #expect(zoe["totp_secret"] == "")
        #expect(output.row("tom@example.com")?["last_name"] == "Too,Many")
    }

    @Test(
        "Clerk: a scrypt_firebase digest's six values become a firebase-scrypt hash; a digest short of them is listed")
    func clerkFirebaseScrypt() throws {
        let output = try ConvertFixture.run(.clerk, ["clerk-users.csv"])
        defer { try? FileManager.default.removeItem(at: output.folder) }
        let fern = try #require(output.row("fern@example.com"))
        #expect(fern["password_hash_type"] == "firebase-scrypt")
        let hash = try #require(fern["password_hash"])
        #expect(hash.hasPrefix("$firebase-scrypt$hash=OLTmUuRNp/I3DZ4mDicTZVCko6bQf1wMMy+LEiQIP9Irk"))
        #expect(hash.contains("$salt=2FCZCVqjABZaZwNv$sk=m1QNa48L4hEkF5w92fc4F85u"))
        #expect(hash.hasSuffix("$ss=Bw==$r=8$m=14"))
        #expect(PasswordHashFormat.check(hash, as: .firebaseScrypt) == .valid)
        #expect(output.skippedLine("user_2aBcD10") == nil)
        let flo = try #require(output.row("flo@example.com"))
        #expect(flo["password_hash"] == "")
        let reason = try #require(output.skippedLine("user_2aBcD11")?.reason)
        #expect(reason.contains("not the six values Clerk documents"))
        #expect(!reason.contains("OLTmUuRNp"))
    }

    @Test(
        "Clerk: pbkdf2_sha256 (base64 salt) and pbkdf2_sha256_django (text salt) become WorkOS's pbkdf2 form; an argon2 hash outside WorkOS's ranges is listed with the range"
    )
    func clerkPBKDF2() throws {
        let output = try ConvertFixture.run(.clerk, ["clerk-pbkdf2.csv"])
        defer { try? FileManager.default.removeItem(at: output.folder) }
        let pia = try #require(output.row("pia@example.com"))
        #expect(pia["password_hash"] == "$pbkdf2$i=600000,d=sha256$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
        #expect(pia["password_hash_type"] == "pbkdf2")
        let dan = try #require(output.row("dan@example.com"))
        #expect(
            dan["password_hash"]
                == "$pbkdf2$i=870000,d=sha256$cmdqU0ZCM3h3c3hrZmNMMWlFOHdxNg$bDtiRY0+gtE4ahFdfDeHwy0tzLb8McDRnppS8kD8QJs"
        )
        let amy = try #require(output.row("amy@example.com"))
        #expect(amy["password_hash"] == "")
        let reason = try #require(output.skippedLine("user_p3")?.reason)
        #expect(reason.contains("WorkOS accepts 4,096 to 262,144 KiB"), "\(reason)")
        #expect(!reason.contains("c29tZXNhbHQ"))
        for hash in [pia["password_hash"], dan["password_hash"]] {
            #expect(PasswordHashFormat.check(hash ?? "", as: .pbkdf2) == .valid)
        }
    }

    @Test("Clerk: other hashers, missing addresses, unreadable rows and what is left out are listed")
    func clerkListed() throws {
        let output = try ConvertFixture.run(.clerk, ["clerk-users.csv"])
        defer { try? FileManager.default.removeItem(at: output.folder) }
        let pat = try #require(output.row("pat@example.com"))
        #expect(pat["password_hash"] == "")
        #expect(output.skippedLine("user_2aBcD4")?.reason.contains("pbkdf2-sha256 with 260,000 iterations") == true)
        #expect(output.skippedLine("user_2aBcD4")?.reason.contains("pbkdf2_sha256$") == false)
        #expect(output.skippedLine("user_2aBcD6")?.reason.contains("not Base32") == true)
        #expect(output.skippedLine("user_2aBcD6")?.reason.contains("non-ASCII") == true)
        #expect(output.skippedLine("user_2aBcD6")?.reason.contains("not base32!") == false)
        #expect(output.skippedLine("user_2aBcD2")?.reason.contains("other than the primary") == true)
        #expect(output.skippedLine("user_2aBcD5")?.reason.contains("phone numbers") == true)
        #expect(output.skippedLine("user_2aBcD7")?.outcome == "skipped")
        #expect(output.skipped.contains { $0.position.hasSuffix("line 10") && $0.reason.contains("cannot be read") })
        #expect(output.finished.counts.converted == 9)
        #expect(output.finished.counts.skipped == 2)
        let skippedText = try String(contentsOfFile: output.settings.skippedPath!, encoding: .utf8)
        #expect(!skippedText.contains("JBSWY3DPEHPK3PXP"))
        #expect(!skippedText.contains("$2a$10$"))
    }

    // MARK: - Cognito

    @Test("Cognito: attributes by name across pages, custom attributes on request, no passwords said once")
    func cognito() throws {
        let output = try ConvertFixture.run(.cognito, ["cognito-page1.json", "cognito-page2.json"]) {
            $0.metadataAttributes = ["custom:plan"]
            $0.orgFrom = try MetadataField("custom:tenant", option: "--org-from", allowUserMetadata: false)
        }
        defer { try? FileManager.default.removeItem(at: output.folder) }
        let grace = try #require(output.row("grace@example.com"))
        #expect(grace["external_id"] == "3f6c1d2e-0001-4a5b-8c9d-000000000001")
        #expect(grace["email_verified"] == "true")
        #expect(grace["first_name"] == "Grace" && grace["last_name"] == "Hopper")
        #expect(grace["metadata"] == #"{"plan":"enterprise"}"#)
        #expect(grace["org_external_id"] == "navy")
        let soren = try #require(output.row("soren@example.com"))
        #expect(soren["first_name"] == "Søren" && soren["last_name"] == "Aabye Kierkegaard")
        #expect(soren["email_verified"] == "false")
        #expect(output.row("off@example.com") == nil)
        #expect(output.finished.counts.converted == 3)
        #expect(output.finished.counts.skipped == 2)
        #expect(output.skipped.allSatisfy { $0.outcome != "converted_without_password" })
        #expect(output.summary.components(separatedBy: "Cognito cannot export password hashes").count == 2)
        #expect(output.summary.contains("none of the 3 converted users has a password"))
        #expect(output.warnings.contains("Grace@Example.com"))
    }

    // MARK: - Supabase

    @Test("Supabase: bcrypt passes through, verified when confirmed, names from user metadata")
    func supabase() throws {
        let output = try ConvertFixture.run(.supabase, ["supabase-users.csv"]) {
            $0.orgFrom = try MetadataField("raw_app_meta_data.org", option: "--org-from", allowUserMetadata: false)
        }
        defer { try? FileManager.default.removeItem(at: output.folder) }
        let sam = try #require(output.row("sam@example.com"))
        #expect(sam["password_hash"] == "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy")
        #expect(sam["email_verified"] == "true")
        #expect(sam["first_name"] == "Samir" && sam["last_name"] == "Nagheenanajar")
        #expect(sam["org_external_id"] == "initech")
        #expect(sam["metadata"]?.contains(#""user.full_name":"Samir Nagheenanajar""#) == true)
        #expect(sam["metadata"]?.contains(#""full_name""#) == false)
        #expect(sam["external_id"] == "9d1a7c3e-0000-4000-8000-000000000001")
        let una = try #require(output.row("una@example.com"))
        #expect(una["email_verified"] == "false")
        #expect(una["first_name"] == "Úna" && una["last_name"] == "Ní Bhraonáin")
        #expect(una["password_hash"]?.hasPrefix("$2b$") == true)
        // A ban that ended in 2020 no longer stops the user.
        let gita = try #require(output.row("gita@example.com"))
        #expect(gita["password_hash"] == "" && gita["first_name"] == "Gita")
        #expect(output.row("banned@example.com") == nil)
        #expect(output.row("gone@example.com") == nil)
        #expect(output.finished.counts.converted == 3)
        #expect(output.finished.counts.skipped == 3)
        #expect(output.skippedLine("9d1a7c3e-0000-4000-8000-000000000003")?.reason.contains("banned") == true)
        #expect(output.skippedLine("9d1a7c3e-0000-4000-8000-000000000004")?.reason.contains("deleted") == true)
        #expect(output.skippedLine("9d1a7c3e-0000-4000-8000-000000000002")?.reason.contains("non-ASCII") == true)
    }

    @Test("The output may not overwrite an export file")
    func outputIsInput() throws {
        let path = ConvertFixture.path("clerk-users.csv")
        do {
            _ = try ConvertRun(
                settings: ConvertSettings(source: .clerk, inputs: [path], outputPath: path), warnings: CapturedText()
            ).run()
            Issue.record("should be refused")
        } catch {
            #expect(error.description.contains("is the export file"))
        }
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
