import Foundation
import Testing
import WorkOSClient

@testable import ImportCore

@Suite("Checks across rows")
struct CrossRowChecksTests {
    static func scan(
        _ text: String, hash: (UnsafeBufferPointer<UInt8>) -> UInt64 = DuplicateEmails.defaultHash
    ) throws -> DuplicateEmails {
        try DuplicateEmails.scan(hash: hash) { () throws -> (CSVReader, RowValidator) in
            let reader = try CSVReader(bytes: Array(text.utf8))
            return (reader, try RowValidator(header: reader.header))
        }
    }

    @Test("rows of one email whose user fields differ fail from the second on, naming the first row's line")
    func fieldsDiffer() throws {
        let found = try Self.scan(
            """
            email,first_name,last_name,metadata
            ann@example.com,Ann,Lee,
            bob@example.com,Bob,Roe,
            ANN@example.com ,Ann,Leigh,
            ann@example.com,Anne,Lee,"{""a"":""1""}"

            """)
        #expect(found.contradictingRecords.map(\.record) == [3, 4])
        let third = try #require(found.finding(for: 3))
        #expect(third.kind == .userFieldsDiffer(["last_name"]))
        #expect(
            third.message
                == "line 4 repeats the email of line 2 with different last_name; which row should win is a guess: "
                + "make them agree")
        #expect(found.finding(for: 4)?.kind == .userFieldsDiffer(["first_name", "metadata"]))
        // The repeats keep their group, as before.
        #expect(found.group(of: 3) == 1)
        #expect(found.earlier(than: 4)?.line == 2)
    }

    @Test("rows of one email that agree stay allowed: spacing, yes/true and JSON spelling do not count")
    func agreeingRowsAllowed() throws {
        let found = try Self.scan(
            """
            email,first_name,email_verified,metadata,password
            ann@example.com,Ann,yes,"{""a"":""1"",""b"":""2""}",pw-one
            ann@example.com, Ann ,TRUE,"{ ""b"": ""2"", ""a"": ""1"" }",pw-one

            """)
        #expect(found.contradictingRecords.isEmpty)
        #expect(found.repeatedRows == 1)
    }

    @Test("a different password or hash is named by its column, never by its value")
    func secretsDiffer() throws {
        let found = try Self.scan(
            """
            email,password,password_hash,password_hash_type
            ann@example.com,first-secret,,
            ann@example.com,second-secret,,
            bob@example.com,,$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy,bcrypt
            bob@example.com,,$2b$10$M9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy,bcrypt

            """)
        let ann = try #require(found.finding(for: 2))
        #expect(ann.kind == .userFieldsDiffer(["password"]))
        #expect(!ann.message.contains("secret"))
        #expect(found.finding(for: 4)?.kind == .userFieldsDiffer(["password_hash"]))
    }

    @Test("one external_id on two emails fails the later row, naming both lines")
    func externalIdOnTwoEmails() throws {
        let found = try Self.scan(
            """
            email,external_id
            ann@example.com,u-1
            bob@example.com,u-2
            cat@example.com, u-1

            """)
        let finding = try #require(found.finding(for: 3))
        #expect(finding.kind == .externalIdOnAnotherEmail)
        #expect(finding.line == 4)
        #expect(finding.earlierLine == 2)
        #expect(finding.message.hasPrefix("line 4 has the external_id of line 2"))
        #expect(found.contradictingRecords.count == 1)
    }

    @Test("the same email and organization with another role fails; another organization is fine")
    func roleDiffers() throws {
        let found = try Self.scan(
            """
            email,org_external_id,role_slugs
            ann@example.com,acme,admin
            ann@example.com,globex,member
            ann@example.com,acme,"member"
            ann@example.com,globex,member

            """)
        #expect(found.contradictingRecords.map(\.record) == [3])
        let finding = try #require(found.finding(for: 3))
        #expect(finding.kind == .roleDiffers)
        #expect(finding.earlierLine == 2)
        #expect(finding.line == 4)
    }

    @Test("role lists compare as sets, and org_id and role_slug are read too")
    func roleSets() throws {
        let found = try Self.scan(
            """
            email,org_id,role_slug
            ann@example.com,org_1,"admin, member"
            ann@example.com,org_1,"member,admin"
            ann@example.com,org_1,owner

            """)
        #expect(found.contradictingRecords.map(\.record) == [3])
    }

    @Test("hash collisions never join different users: every row colliding gives the same findings as real hashes")
    func forcedCollisions() throws {
        let text = """
            email,first_name,external_id
            ann@example.com,Ann,u-1
            bob@example.com,Bob,u-2
            cat@example.com,Cat,u-3
            ann@example.com,Ann,u-1
            dan@example.com,Dan,u-2

            """
        let colliding = try Self.scan(text, hash: { _ in 42 })
        let real = try Self.scan(text)
        #expect(colliding.repeatedRows == 1)
        #expect(colliding.group(of: 2) == nil)
        #expect(colliding.group(of: 4) == 1)
        #expect(colliding.contradictingRecords.map(\.record) == [5])
        #expect(colliding.finding(for: 5)?.kind == .externalIdOnAnotherEmail)
        #expect(colliding.contradictingRecords.map(\.record) == real.contradictingRecords.map(\.record))
        #expect(colliding.repeatedRecords.map(\.record) == real.repeatedRecords.map(\.record))
    }

    @Test("a small budget reads the file once per part of the buckets and finds exactly what one pass finds")
    func budgetedScan() throws {
        var lines = ["email,first_name,external_id,org_external_id,org_name"]
        for index in 0..<300 {
            // Every seventh address repeats an earlier one, every eleventh external_id is on another address,
            // and every organization is named on several rows, some with another name.
            let email = index % 7 == 6 ? "user\(index - 3)@example.com" : "user\(index)@example.com"
            let externalId = index % 11 == 10 ? "u-\(index - 1)" : "u-\(index)"
            let name = index % 13 == 12 ? "Other" : "Org \(index % 20)"
            lines.append("\(email),Name\(index % 7 == 6 ? index - 3 : index),\(externalId),org-\(index % 20),\(name)")
        }
        let text = lines.joined(separator: "\n") + "\n"
        var opened = 0
        func scan(budget: Int) throws -> DuplicateEmails {
            opened = 0
            return try DuplicateEmails.scan(budget: budget) { () throws -> (CSVReader, RowValidator) in
                opened += 1
                let reader = try CSVReader(bytes: Array(text.utf8))
                return (reader, try RowValidator(header: reader.header))
            }
        }
        let whole = try scan(budget: .max)
        let openedWhole = opened
        let parts = try scan(budget: 40)
        // Three columns of 300 hashes, at most 40 held a pass: at least 8 passes each, and the reads after.
        #expect(opened >= openedWhole + 3 * 7)
        #expect(whole.repeatedRows > 0 && !whole.contradictingRecords.isEmpty && !whole.nameConflictRecords.isEmpty)
        #expect(parts.repeatedRecords.map(\.record) == whole.repeatedRecords.map(\.record))
        #expect(parts.repeatedRecords.map(\.earlierLine) == whole.repeatedRecords.map(\.earlierLine))
        #expect(parts.contradictingRecords.map(\.record) == whole.contradictingRecords.map(\.record))
        #expect(parts.contradictingRecords.map(\.finding) == whole.contradictingRecords.map(\.finding))
        #expect(parts.nameConflictRecords.map(\.record) == whole.nameConflictRecords.map(\.record))
        #expect(parts.organizationName(forExternalId: "org-12") == whole.organizationName(forExternalId: "org-12"))
    }

    @Test("a different TOTP secret, issuer or user is named by its column; the secret never by its value")
    func factorsDiffer() throws {
        let found = try Self.scan(
            """
            email,totp_secret,totp_issuer,totp_user
            ann@example.com,JBSWY3DPEHPK3PXP,Acme,ann
            ann@example.com,KRSXG5CTMVRXEZLU,Acme,ann
            ann@example.com,jbswy3dp-ehpk3pxp,Acme,ann
            ann@example.com,JBSWY3DPEHPK3PXP,Globex,ann
            ann@example.com,JBSWY3DPEHPK3PXP,Acme,ann.lee
            ann@example.com,,,

            """)
        let secret = try #require(found.finding(for: 2))
        #expect(secret.kind == .userFieldsDiffer(["totp_secret"]))
        #expect(secret.earlierLine == 2)
        #expect(!secret.message.contains("KRSXG5CTMVRXEZLU") && !secret.message.contains("JBSWY3DPEHPK3PXP"))
        // The same secret in lower case with a hyphen is the same secret, as the validator reads it.
        #expect(found.finding(for: 3) == nil)
        #expect(found.finding(for: 4)?.kind == .userFieldsDiffer(["totp_issuer"]))
        #expect(found.finding(for: 5)?.kind == .userFieldsDiffer(["totp_user"]))
        #expect(found.finding(for: 6)?.kind == .userFieldsDiffer(["totp_secret", "totp_issuer", "totp_user"]))
    }

    @Test("the first org_name of an organization is its name: rows without one or with another get it")
    func organizationNames() throws {
        let found = try Self.scan(
            """
            email,org_external_id,org_name
            bob@example.com,acme,
            ann@example.com,acme,Acme
            cat@example.com, acme ,Acme Corporation
            dan@example.com,globex,Globex
            eve@example.com,globex,Globex
            fay@example.com,initech,

            """)
        #expect(found.organizationName(forExternalId: "acme") == "Acme")
        // Every row of globex already gives its name, and nobody names initech.
        #expect(found.organizationName(forExternalId: "globex") == nil)
        #expect(found.organizationName(forExternalId: "initech") == nil)
        #expect(found.nameConflictRecords.map(\.record) == [3])
        let conflict = try #require(found.organizationNameConflict(for: 3))
        #expect(conflict == OrganizationNameConflict(line: 4, earlierLine: 3, externalId: "acme", name: "Acme"))
        #expect(conflict.warning.kind == .organizationNameDiffers)
        #expect(found.contradictingRecords.isEmpty)
    }

    @Test("an org_id and an org_external_id of one email with other roles are kept to compare once resolved")
    func organizationsNamedTwoWays() throws {
        let found = try Self.scan(
            """
            email,org_id,org_external_id,role_slugs
            ann@example.com,,acme,admin
            ann@example.com,org_01ACME,,member
            ann@example.com,org_01ACME,,member
            bob@example.com,,acme,admin
            bob@example.com,org_01ACME,,admin
            cat@example.com,org_01ACME,,admin
            cat@example.com,,globex,member
            cat@example.com,,acme,member

            """)
        let expected = [OrganizationCandidate(line: 2, organization: .externalId("acme", name: nil), rolesDiffer: true)]
        #expect(found.sameOrganizationCandidates(for: 2) == expected)
        // Line 4 spells line 3's organization the same way, but line 2 may still name it first.
        #expect(found.sameOrganizationCandidates(for: 3) == expected)
        // Bob's rows agree whatever they name; cat's rows by org_external_id are compared with the one by org_id.
        #expect(found.sameOrganizationCandidates(for: 5) == nil)
        let cat = [OrganizationCandidate(line: 7, organization: .id("org_01ACME"), rolesDiffer: true)]
        #expect(found.sameOrganizationCandidates(for: 7) == cat)
        #expect(found.sameOrganizationCandidates(for: 8) == cat)
        #expect(found.contradictingRecords.isEmpty)
    }

    @Test("every column has a rule across rows, and the user fields are the ones a profile compares")
    func rulesCoverEveryColumn() {
        for column in ImportColumn.allCases where CrossRowRule.rule(for: column) == .userField {
            #expect(ColumnsWithDigests.profileCompares(column), "\(column.rawValue) is a user field the scan ignores")
        }
    }

    @Test("a warning prints its line once, whether or not its message names it")
    func warningLine() {
        let named = RowWarning(kind: .other, line: 4, message: "line 4: metadata \"a\" is null and left out")
        #expect(RowLineFormatter.line(for: named) == "! line 4  metadata \"a\" is null and left out\n")
        let plain = RowWarning(kind: .repeatedEmail, line: 4, message: "line 2 has it too")
        #expect(RowLineFormatter.line(for: plain) == "! line 4  line 2 has it too\n")
    }

    @Test("verify compares a factor's issuer and user where the row gives them; one matching factor is enough")
    func factorDrift() {
        let old = WorkOSAuthFactor(id: "f1", type: "totp", totp: .init(issuer: "Old", user: "ann"))
        let new = WorkOSAuthFactor(id: "f2", type: "totp", totp: .init(issuer: "Acme", user: "ann"))
        let row = TOTPEnrollment(secret: "JBSWY3DPEHPK3PXP", issuer: "Acme", user: "ann")
        #expect(RowChecker.factorDifferences(first: old, all: [old, new], row).isEmpty)
        #expect(
            RowChecker.factorDifferences(first: old, all: [old], row) == [
                Difference(kind: "totp_issuer", expected: "Acme", found: "Old")
            ])
        let unnamed = TOTPEnrollment(secret: "JBSWY3DPEHPK3PXP")
        #expect(RowChecker.factorDifferences(first: old, all: [old], unnamed).isEmpty)
    }

    @Test("a file without repeats finds nothing")
    func nothing() throws {
        let found = try Self.scan("email,external_id\na@example.com,1\nb@example.com,2\n")
        #expect(found.contradictingRecords.isEmpty)
        #expect(found.repeatedRows == 0)
    }
}

/// Whether ``DuplicateEmails/Profile`` keeps a digest of a column.
enum ColumnsWithDigests {
    static func profileCompares(_ column: ImportColumn) -> Bool {
        guard let reader = try? CSVReader(bytes: Array("email\na@example.com\n".utf8)),
            let validator = try? RowValidator(header: reader.header)
        else { return false }
        var compares = false
        reader.forEachRow { _, _, cells in
            let profile = DuplicateEmails.Profile(cells, DuplicateEmails.Columns(validator: validator))
            compares = profile.digest(of: column) != nil
        }
        return compares
    }
}

@Suite("Mapping their columns onto ours (--map)")
struct ColumnMappingTests {
    static func validator(_ header: [String], _ maps: [String]) throws -> RowValidator {
        try RowValidator(header: header, mapping: try ColumnMapping(arguments: maps))
    }

    @Test("mapped headers are read as our columns; unmapped known columns still work")
    func maps() throws {
        let reader = try CSVReader(bytes: Array("E-mail Address,Given Name,last_name\nann@example.com,Ann,Lee\n".utf8))
        let validator = try Self.validator(reader.header, ["email=E-mail Address", "first_name= given name "])
        guard case .record(let record) = reader.next(), case .valid(let row, _) = validator.validate(record) else {
            Issue.record("the row should be valid")
            return
        }
        #expect(row.email == "ann@example.com")
        #expect(row.firstName == "Ann")
        #expect(row.lastName == "Lee")
        #expect(validator.unknownColumns.isEmpty)
    }

    @Test("a column of ours that is mapped elsewhere makes the file's own column of that name an unknown one")
    func nativeColumnIgnored() throws {
        let validator = try Self.validator(["email", "Work Email"], ["email=Work Email"])
        #expect(validator.emailColumn == 1)
        #expect(validator.unknownColumns == ["email"])
    }

    @Test(
        "bad maps are refused with a sentence",
        arguments: [
            (["emial=Mail"], "is not one of our columns"),
            (["email"], "is not ours=theirs"),
            (["email="], "names no header"),
            (["email=A", "email=B"], "gives the column email twice"),
        ])
    func refused(maps: [String], expected: String) {
        #expect(throws: ColumnMappingError.self) { try ColumnMapping(arguments: maps) }
        do {
            _ = try ColumnMapping(arguments: maps)
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test("a map naming a header the file lacks is a header error that lists the file's columns")
    func missingHeader() {
        do {
            _ = try Self.validator(["mail", "name"], ["email=E-mail"])
            Issue.record("the header should be refused")
        } catch let error as HeaderError {
            #expect(error == .mappedColumnNotInHeader(column: "email", header: "E-mail", found: ["mail", "name"]))
            #expect(error.description.contains("\"mail\", \"name\""))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("the journal records maps sorted, so their order does not matter but their content does")
    func journalSettings() throws {
        let one = try ColumnMapping(arguments: ["first_name=Given", "email=Mail"])
        let two = try ColumnMapping(arguments: ["email=Mail", "first_name=Given"])
        #expect(one.journalDescription == ["email=Mail", "first_name=Given"])
        #expect(one.journalDescription == two.journalDescription)
        let before = JournalSettings(org: "none", ifExists: "skip", requireMembership: false, columnMap: ["email=Mail"])
        let after = JournalSettings(org: "none", ifExists: "skip", requireMembership: false, columnMap: nil)
        #expect(before.differences(from: after) == ["--map (journal: email=Mail, now: none)"])
    }
}

@Suite("Failures grouped by reason")
struct FailureTallyTests {
    @Test("rows group by reason, most first, then by first line; each group keeps its lowest line")
    func grouping() {
        var tally = FailureTally()
        tally.add(reason: "metadata is invalid JSON", line: 17)
        tally.add(reason: "email is missing", line: 5)
        tally.add(reason: "metadata is invalid JSON", line: 9)
        tally.add(reason: "external_id is not ASCII", line: 3)
        let sorted = tally.sorted
        #expect(sorted.map(\.reason) == ["metadata is invalid JSON", "external_id is not ASCII", "email is missing"])
        #expect(sorted[0].count == 2)
        #expect(sorted[0].firstLine == 9)
        #expect(tally.total == 4)
    }

    @Test("the number of reasons told apart is capped; the rest are counted together")
    func capped() {
        var tally = FailureTally()
        for index in 0..<(FailureTally.maximumReasons + 30) { tally.add(reason: "reason \(index)", line: index + 2) }
        #expect(tally.sorted.count == FailureTally.maximumReasons + 1)
        #expect(tally.sorted[0].reason == FailureTally.otherReasons)
        #expect(tally.sorted[0].count == 30)
        #expect(tally.total == FailureTally.maximumReasons + 30)
    }

    @Test("reasons drop the row's own details, so different bad rows of one kind group together")
    func reasonsHaveNoRowDetails() throws {
        let reader = try CSVReader(
            bytes: Array(
                "email,metadata\nann@example.com,{oops\nbob@example.com,\"{\"\"a\"\":}\"\nnot-an-email,\n".utf8))
        let validator = try RowValidator(header: reader.header)
        var reasons: [String] = []
        while case .record(let record) = reader.next() {
            if case .invalid(let problem, _) = validator.validate(record) { reasons.append(problem.reason) }
        }
        #expect(reasons == ["metadata is invalid JSON", "metadata is invalid JSON", "email is not a valid address"])
        #expect(RowFailure.generalReason(of: "line 12: expected 5 fields, found 7") == "expected N fields, found N")
        #expect(
            RowFailure.generalReason(of: "a user with this email already exists (user_01H) and --if-exists is fail")
                == "a user with this email already exists and --if-exists is fail")
        #expect(RowFailure.generalReason(of: "network error: connection reset by peer") == "network error")
        #expect(!RowFailure.generalReason(of: "WorkOS says ann@example.com is taken").contains("@"))
    }

    @Test("WorkOS refusals group by status and code")
    func workosReasons() {
        let failure = RowFailure(
            recordNumber: 1, line: 2, email: "a@example.com", stage: .user, message: "HTTP 422: taken (user_1)",
            httpStatus: 422, workosCode: "email_not_available", timestamp: Date(timeIntervalSince1970: 0))
        #expect(failure.reasonText == "WorkOS refused the user: HTTP 422 email_not_available")
    }

    @Test("the summary lists at most ten reasons under the box, then says how many more")
    func summaryText() {
        var summary = DryRunSummary(total: 40, failed: 40)
        for index in 0..<12 {
            summary.failuresByReason.add(reason: "reason \(index)", line: 100 + index, count: index + 1)
        }
        let text = SummaryFormatter.box(summary)
        #expect(text.contains("Failures by reason:\n  12 rows: reason 11, first at line 111\n"))
        #expect(text.contains("  and 2 more reasons"))
        #expect(!text.contains("reason 1,"))
        let json = SummaryFormatter.json(summary)
        #expect(json.contains(#""failuresByReason":[{"count":12,"example":null,"firstLine":111,"reason":"reason 11"}"#))
    }

    @Test("a journal's failed rows keep their reasons and lines, and a row settled again moves between groups")
    func journalReplay() throws {
        var state = JournalState(header: JournalFixtures.header())
        state.apply(JournalEntry(record: 1, outcome: .failed, line: 2, reason: "email is missing"))
        state.apply(JournalEntry(record: 2, outcome: .failed, line: 3, reason: "email is missing"))
        state.apply(JournalEntry(record: 3, outcome: .failed))
        state.apply(JournalEntry(record: 2, outcome: .imported))
        #expect(state.counts.failed == 2)
        #expect(state.failureReasons.total == 2)
        let groups = state.failureReasons.sorted
        #expect(groups.map(\.reason) == ["email is missing", JournalState.unrecordedReason])
        #expect(groups[1].firstLine == nil)
    }

    @Test("failed row lines with a reason read back the same through the fast reader and the decoder")
    func fastRowReadsReasons() throws {
        let entry = JournalEntry(record: 18, outcome: .failed, line: 19, reason: "metadata is invalid JSON")
        let encoded = try JournalLine.makeEncoder().encode(JournalLine.row(entry))
        let bytes = Array(encoded)
        #expect(JournalLine.fastRow(bytes[...]) == entry)
        #expect(try JournalLine.makeDecoder().decode(JournalLine.self, from: encoded) == .row(entry))
    }
}
