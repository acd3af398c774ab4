import Foundation
import ImportCore
import Testing
import WorkOSClient

@Suite("Test-file generator")
struct GeneratorTests {
    @Test("The same seed gives the same file; another seed gives another")
    func deterministic() {
        let first = UserFileGenerator(count: 500, seed: 42, withErrors: true, orgs: 3).bytes()
        let again = UserFileGenerator(count: 500, seed: 42, withErrors: true, orgs: 3).bytes()
        let other = UserFileGenerator(count: 500, seed: 43, withErrors: true, orgs: 3).bytes()
        #expect(first == again)
        #expect(first != other)
    }

    @Test("A clean file has only valid rows with unique emails and no warnings")
    func cleanFile() throws {
        let reader = try CSVReader(bytes: UserFileGenerator(count: 2_000, seed: 9, orgs: 5).bytes())
        #expect(reader.header.joined(separator: ",") == UserFileGenerator.header)
        let validator = try RowValidator(header: reader.header)
        var emails = Set<String>()
        var domains = Set<String>()
        var hashed = 0
        while let result = reader.next() {
            guard case .record(let record) = result, case .valid(let row, let warnings) = validator.validate(record)
            else {
                Issue.record("unexpected \(result)")
                continue
            }
            #expect(warnings.isEmpty)
            emails.insert(row.email)
            domains.insert(String(row.email.split(separator: "@")[1]))
            if row.passwordHash != nil { hashed += 1 }
            #expect(row.metadata?["team"] != nil)
        }
        #expect(emails.count == 2_000)
        #expect(domains.count == 5)
        #expect(hashed > 0)
    }

    @Test("With errors, every kind of bad row appears and each is rejected with its own message")
    func everyKindOfBadRow() throws {
        let generator = UserFileGenerator(count: 300, seed: 5, withErrors: true)
        let reader = try CSVReader(bytes: generator.bytes())
        let validator = try RowValidator(header: reader.header)
        var seen = Set<GeneratedProblem>()
        var index = 0
        while let result = reader.next() {
            defer { index += 1 }
            let planted = generator.problem(atRow: index)
            switch result {
            case .record(let record):
                let validation = validator.validate(record)
                switch (validation, planted) {
                case (.valid, nil):
                    break
                case (.invalid(let problem, _), .some(let kind)):
                    #expect(!kind.isMalformedRecord)
                    #expect(problem.message.contains(kind.expectedMessageFragment), "\(kind): \(problem.message)")
                    seen.insert(kind)
                default:
                    Issue.record("row \(index): planted \(String(describing: planted)), got \(validation)")
                }
            case .malformed(_, let reason):
                guard let kind = planted else {
                    Issue.record("row \(index) unexpectedly malformed: \(reason)")
                    continue
                }
                #expect(kind.isMalformedRecord)
                #expect(reason.contains(kind.expectedMessageFragment), "\(kind): \(reason)")
                seen.insert(kind)
            }
        }
        #expect(index == 300)
        #expect(seen == Set(GeneratedProblem.allCases))
    }

    @Test("The file is written with mode 0600, replacing what was there")
    func fileMode() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("users.csv").path
        #expect(
            FileManager.default.createFile(
                atPath: path, contents: Data(repeating: 0x41, count: 100_000), attributes: [.posixPermissions: 0o644]))
        let generator = UserFileGenerator(count: 10, seed: 1)
        try generator.write(to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(generator.bytes()))
    }

    @Test("Writing into a missing folder fails with a message naming the path")
    func unwritable() {
        let path = "/nonexistent-folder-for-tests/users.csv"
        #expect {
            try UserFileGenerator(count: 1).write(to: path)
        } throws: { error in
            guard let error = error as? GeneratorError, case .cannotCreate = error else { return false }
            return error.description.contains(path)
        }
    }

    // MARK: - Identity columns

    /// The header and data rows of a generated file, each row as its cells.
    private func table(_ generator: UserFileGenerator) throws -> (header: [String], rows: [[String]]) {
        let reader = try CSVReader(bytes: generator.bytes())
        var rows: [[String]] = []
        while let result = reader.next() {
            guard case .record(let record) = result else {
                Issue.record("unexpected \(result)")
                continue
            }
            rows.append(record.fields)
        }
        return (reader.header, rows)
    }

    @Test("Identity columns come after the others and leave every other cell as it was")
    func identityColumnsAreAdditive() throws {
        let plain = try table(UserFileGenerator(count: 400, seed: 11, orgs: 6))
        let extended = try table(
            UserFileGenerator(count: 400, seed: 11, orgs: 6, roles: ["admin", "member"], withTOTP: true))
        #expect(extended.header == plain.header + ["role_slugs", "totp_secret", "totp_issuer"])
        #expect(extended.rows.map { Array($0.prefix(8)) } == plain.rows)
        let members = try table(
            UserFileGenerator(count: 400, seed: 11, orgs: 6, membershipsPerUser: 3, roles: ["admin"], withTOTP: true))
        #expect(
            members.header
                == plain.header + ["org_external_id", "org_name", "role_slugs", "totp_secret", "totp_issuer"])
        #expect(stride(from: 0, to: members.rows.count, by: 3).map { Array(members.rows[$0].prefix(8)) } == plain.rows)
    }

    @Test("Without the new settings the header and row count are as before")
    func plainFileUnchanged() {
        let generator = UserFileGenerator(count: 50, seed: 2, orgs: 4)
        #expect(generator.fileHeader == UserFileGenerator.header)
        #expect(generator.rowCount == 50)
        let text = String(decoding: generator.bytes(), as: UTF8.self)
        #expect(text.hasPrefix(UserFileGenerator.header + "\n"))
        #expect(text.split(separator: "\n").count == 51)
    }

    @Test(
        "Each user is on N adjacent rows, one per organization, with the same user fields",
        arguments: [(1, 1), (2, 5), (3, 3), (4, 20)])
    func membershipsPerUser(perUser: Int, orgs: Int) throws {
        let generator = UserFileGenerator(count: 300, seed: 4, orgs: orgs, membershipsPerUser: perUser)
        let (header, rows) = try table(generator)
        #expect(generator.rowCount == 300 * perUser)
        #expect(rows.count == 300 * perUser)
        let externalIDColumn = try #require(header.firstIndex(of: "org_external_id"))
        let nameColumn = try #require(header.firstIndex(of: "org_name"))
        let known = Dictionary(uniqueKeysWithValues: (0..<orgs).map { generator.organization($0) })
        var emails = Set<String>()
        var used = Set<String>()
        for start in stride(from: 0, to: rows.count, by: perUser) {
            let group = rows[start..<start + perUser]
            let first = group.first!
            #expect(group.allSatisfy { Array($0.prefix(8)) == Array(first.prefix(8)) })
            #expect(emails.insert(first[0]).inserted)
            let organizations = group.map { $0[externalIDColumn] }
            #expect(Set(organizations).count == perUser)
            for row in group { #expect(known[row[externalIDColumn]] == row[nameColumn]) }
            let home = first[0].split(separator: "@")[1]
            #expect(home == "\(first[nameColumn].lowercased()).example")
            used.formUnion(organizations)
        }
        #expect(used.count == orgs)
    }

    @Test("role_slugs cells hold one or more of the given slugs, without repeats, fixed by the seed")
    func roleSlugs() throws {
        let roles = ["admin", "member", "billing"]
        let generator = UserFileGenerator(count: 600, seed: 8, orgs: 4, membershipsPerUser: 2, roles: roles)
        let (header, rows) = try table(generator)
        let column = try #require(header.firstIndex(of: "role_slugs"))
        var counts: [Int: Int] = [:]
        var seen = Set<String>()
        for row in rows {
            let slugs = row[column].split(separator: ",").map(String.init)
            #expect(!slugs.isEmpty && Set(slugs).count == slugs.count)
            #expect(slugs.allSatisfy(roles.contains))
            counts[slugs.count, default: 0] += 1
            seen.formUnion(slugs)
        }
        #expect(seen == Set(roles))
        #expect(counts[1, default: 0] > rows.count / 2)
        #expect(counts[2, default: 0] + counts[3, default: 0] > 0)
        #expect(
            generator.bytes()
                == UserFileGenerator(count: 600, seed: 8, orgs: 4, membershipsPerUser: 2, roles: roles).bytes())
        let single = try table(UserFileGenerator(count: 100, seed: 8, roles: ["owner"]))
        #expect(single.rows.allSatisfy { $0.last == "owner" })
    }

    @Test("About half the users get a Base32 TOTP secret of 32 characters, the same on all their rows")
    func totpSecrets() throws {
        let generator = UserFileGenerator(count: 1_000, seed: 6, orgs: 3, membershipsPerUser: 2, withTOTP: true)
        let (header, rows) = try table(generator)
        let secretColumn = try #require(header.firstIndex(of: "totp_secret"))
        let issuerColumn = try #require(header.firstIndex(of: "totp_issuer"))
        let base32 = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var withSecret = 0
        var secrets = Set<String>()
        for start in stride(from: 0, to: rows.count, by: 2) {
            let (first, second) = (rows[start], rows[start + 1])
            #expect(first[secretColumn] == second[secretColumn])
            #expect(first[issuerColumn] == second[issuerColumn])
            let secret = first[secretColumn]
            if secret.isEmpty {
                #expect(first[issuerColumn].isEmpty)
                continue
            }
            withSecret += 1
            secrets.insert(secret)
            #expect(secret.count == 32 && secret.allSatisfy(base32.contains))
            #expect(!first[issuerColumn].isEmpty)
        }
        #expect((400...600).contains(withSecret))
        #expect(secrets.count == withSecret)
    }

    @Test(
        "Settings the file cannot have are refused with a sentence that says how to fix them",
        arguments: [
            (UserFileGenerator(count: 5, orgs: 2, membershipsPerUser: 3), "--orgs 3 or more"),
            (UserFileGenerator(count: 5, orgs: 2, membershipsPerUser: 0), "pass 1 or more"),
            (UserFileGenerator(count: 5, roles: ["admin", ""]), "--roles admin,member"),
            (UserFileGenerator(count: 5, roles: ["power user"]), "'power user'"),
        ])
    func invalidSettings(generator: UserFileGenerator, fragment: String) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("users.csv").path
        #expect {
            try generator.write(to: path)
        } throws: { error in
            (error as? GeneratorError)?.description.contains(fragment) == true
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("Bad rows are still planted when users span several rows")
    func errorsWithMemberships() throws {
        let generator = UserFileGenerator(
            count: 150, seed: 5, withErrors: true, orgs: 3, membershipsPerUser: 2, roles: ["admin"], withTOTP: true)
        let reader = try CSVReader(bytes: generator.bytes())
        var planted = Set<GeneratedProblem>()
        var index = 0
        while let result = reader.next() {
            defer { index += 1 }
            let problem = generator.problem(atRow: index)
            if let problem { planted.insert(problem) }
            switch result {
            case .malformed: #expect(problem?.isMalformedRecord == true, "row \(index)")
            case .record: #expect(problem?.isMalformedRecord != true, "row \(index)")
            }
        }
        #expect(index == 300)
        #expect(planted == Set(GeneratedProblem.allCases))
    }
}
