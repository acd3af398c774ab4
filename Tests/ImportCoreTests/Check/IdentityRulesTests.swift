import Foundation
import Testing

@testable import ImportCore

@Suite("Organization, role and TOTP rules")
struct IdentityRulesTests {
    @Test(
        "role_slugs reads comma lists and JSON arrays, keeps the order written and drops repeats",
        arguments: [
            ("admin", ["admin"]), ("admin,billing", ["admin", "billing"]), (" admin , billing ", ["admin", "billing"]),
            (#"["admin","billing"]"#, ["admin", "billing"]), (#"[ "a-1" , "b_2" ]"#, ["a-1", "b_2"]), ("[]", []),
            ("admin,admin,member", ["admin", "member"]),
        ])
    func roleSlugsParse(text: String, expected: [String]) throws {
        #expect(try RoleSlugList.parse(text).get() == RoleSlugList.Parsed(slugs: expected, normalized: false))
    }

    @Test(
        "role_slugs in another case or with empty entries are read as lower-case slugs, marked as changed",
        arguments: [
            ("Admin", ["admin"]), ("auditor ,", ["auditor"]), ("admin,,member", ["admin", "member"]),
            (" ADMIN , Auditor ", ["admin", "auditor"]), (#"["Admin",""]"#, ["admin"]), ("Admin,admin", ["admin"]),
        ])
    func roleSlugsNormalised(text: String, expected: [String]) throws {
        #expect(try RoleSlugList.parse(text).get() == RoleSlugList.Parsed(slugs: expected, normalized: true))
    }

    @Test(
        "role_slugs that are not slugs fail with a reason that leaves the value out",
        arguments: ["admin;member", #"["admin""#, #"["a\"b"]"#, "admin billing", "[1]", ",", " , ", "Ädmin"])
    func roleSlugsRefused(text: String) {
        guard case .failure(let problem) = RoleSlugList.parse(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(!problem.reason.contains(text))
    }

    @Test("a row whose role_slugs were normalised goes on with the slugs and one warning naming them")
    func roleSlugsWarning() throws {
        let validator = try RowValidator(header: ["email", "org_external_id", "role_slugs"])
        let validation = validator.validate(
            CSVRecord(recordNumber: 1, line: 7, byteOffset: 0, fields: ["a@b.io", "acme", "Admin, auditor ,"]))
        guard case .valid(let row, let warnings) = validation else {
            Issue.record("expected a valid row: \(validation)")
            return
        }
        #expect(row.roleSlugs == ["admin", "auditor"])
        #expect(warnings.map(\.kind) == [.roleSlugsNormalized])
        #expect(warnings.first?.message.contains(#"role_slugs "Admin, auditor ," read as admin,auditor"#) == true)
    }

    @Test(
        "TOTP secrets are Base32 of at least 16 characters; spaces, hyphens, case and padding do not count",
        arguments: [
            ("JBSWY3DPEHPK3PXP", "JBSWY3DPEHPK3PXP"), ("jbsw y3dp ehpk 3pxp", "JBSWY3DPEHPK3PXP"),
            ("JBSWY3DP-EHPK3PXP", "JBSWY3DPEHPK3PXP"), ("JBSWY3DPEHPK3PXPJB======", "JBSWY3DPEHPK3PXPJB"),
        ])
    func secretsNormalised(text: String, expected: String) {
        #expect(TOTPSecret.normalized(text) == expected)
    }

    @Test(
        "TOTP secrets that are not Base32, too short or of an impossible length are refused",
        arguments: [
            "JBSWY3DPEHPK3PX", "JBSWY3DPEHPK3PX0", "JBSWY3DPEHPK3PXP1", "JBSWY3DPEHPK3PXPA", "JB==SWY3DPEHPK3PXP",
        ])
    func secretsRefused(text: String) {
        #expect(TOTPSecret.normalized(text) == nil)
    }

    @Test(
        "a refused TOTP secret's message states the rule it breaks: its length, or the lengths Base32 has",
        arguments: [
            (17, "has 17 Base32 characters, a length no secret has"),
            (30, "has 30 Base32 characters, a length no secret has"),
            (19, "a multiple of 8 characters, or 2, 4, 5 or 7 more"), (15, "has 15 Base32 characters; at least 16"),
        ])
    func secretLengthMessages(length: Int, message: String) throws {
        let secret = String(String(repeating: "JBSWY3DPEHPK3PXP", count: 2).prefix(length))
        guard case .failure(let problem) = TOTPSecret.read(secret) else {
            Issue.record("a secret of \(length) characters was accepted")
            return
        }
        #expect(problem.message.contains(message), "\(problem.message)")
        #expect(!problem.message.contains(secret) && !problem.reason.contains(secret))
        #expect(!problem.message.contains("not a Base32 secret of at least"), "the rule is stated, not a wrong one")
    }

    @Test("every length whole bytes encode to is taken, from 16 characters up", arguments: 10...40)
    func secretLengthsOfWholeBytes(bytes: Int) {
        // Base32 writes n bytes as ceil(8n / 5) characters.
        let length = (bytes * 8 + 4) / 5
        let secret = String(String(repeating: "JBSWY3DPEHPK3PXP", count: 5).prefix(length))
        #expect(TOTPSecret.normalized(secret) == secret, "\(bytes) bytes are \(length) characters")
    }

    @Test("the row rules read organizations, roles and TOTP columns, and refuse what cannot be applied")
    func rowRules() throws {
        let validator = try RowValidator(header: [
            "email", "org_id", "org_external_id", "org_name", "role_slug", "totp_secret", "totp_issuer",
        ])
        func check(_ cells: [String]) -> RowValidation {
            validator.validate(CSVRecord(recordNumber: 1, line: 2, byteOffset: 0, fields: ["a@b.io"] + cells))
        }
        guard case .valid(let row, _) = check(["", "acme", "Acme", "admin,billing", "JBSWY3DPEHPK3PXP", "Acme"]) else {
            Issue.record("expected a valid row")
            return
        }
        #expect(row.organization == .externalId("acme", name: "Acme"))
        #expect(row.roleSlugs == ["admin", "billing"])
        #expect(row.totp == TOTPEnrollment(secret: "JBSWY3DPEHPK3PXP", issuer: "Acme"))

        for (cells, message) in [
            (["org_1", "acme", "", "", "", ""], "org_id and org_external_id are both set"),
            (["", "", "Acme", "", "", ""], "org_name needs org_external_id"),
            (["", "", "", "admin", "", ""], "role_slugs is set but the row has no organization"),
            (["", "acme", "", "", "", "Acme"], "totp_issuer or totp_user is set but totp_secret is blank"),
            (["", "acme", "", "", "0000000000000000", ""], "totp_secret is not a Base32 secret"),
        ] {
            guard case .invalid(let problem, _) = check(cells) else {
                Issue.record("\(cells) was accepted")
                continue
            }
            #expect(problem.message.contains(message), "\(problem.message)")
            #expect(!problem.message.contains("0000000000000000"))
        }
        var withRunOrganization = validator
        withRunOrganization.runHasOrganization = true
        let validation = withRunOrganization.validate(
            CSVRecord(recordNumber: 1, line: 2, byteOffset: 0, fields: ["a@b.io", "", "", "", "admin", "", ""]))
        guard case .valid(let row, _) = validation else {
            Issue.record("role_slugs with the run's organization was refused: \(validation)")
            return
        }
        #expect(row.organization == nil && row.roleSlugs == ["admin"])
    }

    @Test("a bounded cache keeps what was used recently and never more than its capacity")
    func boundedCache() {
        var cache = BoundedCache<Int, Int>(capacity: 100)
        for key in 0..<1_000 {
            cache.set(key, key * 2)
            #expect(cache.get(0) == 0, "the entry used all along stays")
        }
        #expect(cache.count <= 100)
        #expect(cache.get(999) == 1_998)
        #expect(cache.get(1) == nil)
    }

    @Test("row lines with organizations, memberships and factors read back the same through the fast reader")
    func journalRoundTrip() throws {
        let entries = [
            JournalEntry(
                record: 7, outcome: .imported, userId: "user_7", membership: .created, organizationId: "org_1",
                membershipId: "om_7", factor: .enrolled, factorId: "auth_factor_7"),
            JournalEntry(
                record: 8, outcome: .existed, userId: "user_8", membership: .rolesUpdated, organizationId: "org_1"),
            JournalEntry(
                record: 9, outcome: .failed, userId: "user_9", membership: .reactivated, organizationId: "org_2",
                membershipId: "om_9", line: 10, reason: "WorkOS refused the TOTP factor: HTTP 422"),
        ]
        let encoder = JournalLine.makeEncoder()
        for entry in entries {
            let bytes = Array(try encoder.encode(JournalLine.row(entry)))
            #expect(JournalLine.fastRow(bytes[...]) == entry, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test("a journal counts memberships, roles, factors and organizations once each, the latest line winning")
    func journalCounts() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        try writer.recordOrganizationSent(externalId: "acme")
        try writer.recordOrganizationCreated(id: "org_1", externalId: "acme")
        try writer.recordSent(1, step: .membership)
        try writer.recordSent(1, step: .factor)
        try writer.record(
            JournalEntry(record: 1, outcome: .imported, userId: "user_1", membership: .created, factor: .enrolled))
        try writer.record(JournalEntry(record: 2, outcome: .existed, userId: "user_1", membership: .rolesUpdated))
        try writer.record(JournalEntry(record: 2, outcome: .existed, userId: "user_1", membership: .rolesUpdated))
        try writer.record(JournalEntry(record: 3, outcome: .existed, userId: "user_3", membership: .reactivated))
        try writer.finish(complete: true)
        let state = try #require(try JournalReplay.load(path: path))
        #expect(state.counts.membershipsCreated == 2)
        #expect(state.counts.membershipsUpdated == 1)
        #expect(state.counts.factorsEnrolled == 1)
        #expect(state.organizationsCreated == ["acme"])
        #expect(state.organizationsSent == ["acme"])
        #expect(state.membershipsSent.contains(1) && state.factorsSent.contains(1))
        #expect(!state.membershipsSent.contains(2))
    }

    @Test("an organization found missing leaves the journal's count until it is created again")
    func missingOrganizationCount() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        try writer.recordOrganizationSent(externalId: "acme")
        try writer.recordOrganizationCreated(id: "org_1", externalId: "acme")
        try writer.recordOrganizationMissing(externalId: "acme")
        try writer.finish(complete: false)
        let missing = try #require(try JournalReplay.load(path: path))
        #expect(missing.organizationsCreated.isEmpty)
        // Still sent: a resume must not send the first create's key again.
        #expect(missing.organizationsSent == ["acme"])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("{\"external\":\"acme\",\"type\":\"organization-missing\"}"))
    }
}
