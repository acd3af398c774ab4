import Foundation
import Testing
import WorkOSClient

@testable import ImportCore

/// The roles file's rows (WorkOS's toolkit's `role_definitions.csv`), an existing role's difference from a
/// row, and the journal lines that make its writes exactly once.
@Suite("Roles file: rows, differences and journal lines")
struct RoleFileUnitTests {
    @Test(
        "a row fails with its reason: a bad slug, an organization role without org-, an unknown role_type",
        arguments: [
            ("Admin", "Admin", "environment", "", "", "role_slug is not a role slug"),
            ("admin role", "Admin", "environment", "", "", "role_slug is not a role slug"),
            ("", "Admin", "environment", "", "", "the row has no role_slug"),
            ("auditor", "Auditor", "organization", "", "acme", "an organization role's slug lacks the org- prefix"),
            ("org-", "Auditor", "organization", "", "acme", "an organization role's slug lacks the org- prefix"),
            ("org-auditor", "Auditor", "organization", "", "", "an organization role names no organization"),
            (
                "org-auditor", "Auditor", "organization", "org_1", "acme",
                "the row gives both org_id and org_external_id"
            ),
            ("admin", "Admin", "tenant", "", "", "role_type is unknown"),
            ("admin", "Admin", "", "", "", "role_type is unknown"),
            ("admin", "Admin", "environment", "", "acme", "an environment role names an organization"),
            ("admin", "", "environment", "", "", "role_name is missing or too long"),
            ("admin", String(repeating: "n", count: 49), "environment", "", "", "role_name is missing or too long"),
        ])
    func rowRefused(slug: String, name: String, type: String, orgId: String, orgExternalId: String, reason: String) {
        let result = RoleFile.check(
            line: 7, slug: slug.isEmpty ? nil : slug, name: name.isEmpty ? nil : name, type: type.isEmpty ? nil : type,
            permissions: nil, orgId: orgId.isEmpty ? nil : orgId,
            orgExternalId: orgExternalId.isEmpty ? nil : orgExternalId)
        guard case .failure(let problem) = result else {
            Issue.record("the row was taken")
            return
        }
        #expect(problem.reason == reason)
        #expect(problem.line == 7)
    }

    @Test(
        "permissions are a JSON array or a comma list, each a permission slug, each once",
        arguments: [
            ("docs:read,docs:write", ["docs:read", "docs:write"]),
            (#"["docs:read", "billing.*"]"#, ["docs:read", "billing.*"]),
            (" docs:read , ,docs:read ", ["docs:read"]),
            ("", []),
        ])
    func permissions(cell: String, expected: [String]) throws {
        #expect(try RoleFile.parsePermissions(cell).get() == expected)
    }

    @Test(
        "a permission that is not a slug, or a malformed JSON array, fails the row",
        arguments: ["Docs Read", "[docs:read"])
    func permissionRefused(cell: String) {
        let result = RoleFile.check(
            line: 3, slug: "admin", name: "Admin", type: "environment", permissions: cell, orgId: nil,
            orgExternalId: nil)
        guard case .failure(let problem) = result else {
            Issue.record("the row was taken")
            return
        }
        #expect(problem.line == 3)
    }

    @Test("a file's rows: environment and organization roles taken, a role defined twice fails with its line")
    func fileRows() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("roles-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
        role_slug,role_name,role_type,permissions,org_id,org_external_id
        editor,Editor,environment,"docs:read,docs:write",,
        org-auditor,Auditor,organization,"[""reports:read""]",,acme
        editor,Editor again,environment,,,
        org-auditor,Auditor,organization,,,globex
        auditor,Auditor,organization,,,acme
        org-auditor,Auditor,organization,,,acme

        """.write(toFile: path, atomically: true, encoding: .utf8)
        let file = try RoleFile.read(path: path)
        #expect(file.definitions.map(\.line) == [2, 3, 5])
        #expect(file.definitions[0].scope == .environment)
        #expect(file.definitions[1].organization == .externalId("acme", name: nil))
        #expect(file.permissions == ["docs:read", "docs:write", "reports:read"])
        #expect(file.problems.map(\.line) == [4, 6, 7])
        #expect(
            file.problems.map(\.reason) == [
                "defines a role an earlier row defines", "an organization role's slug lacks the org- prefix",
                "defines a role an earlier row defines",
            ])
    }

    @Test("a header without the toolkit's columns is refused before any row")
    func header() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("roles-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "slug,name\nadmin,Admin\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ImportError.self) { try RoleFile.read(path: path) }
    }

    @Test("an existing role differs by the permissions it lacks and its name; permissions it has beyond the row stay")
    func difference() {
        let definition = RoleDefinition(
            line: 2, slug: "editor", name: "Editor", scope: .environment, permissions: ["docs:read", "docs:write"])
        let role = WorkOSRole(slug: "editor", name: "Writer", permissions: ["docs:read", "admin:all"])
        let difference = RoleDifference(role: role, definition: definition)
        #expect(difference.missingPermissions == ["docs:write"])
        #expect(difference.name == "Editor")
        #expect(!difference.isEmpty)
        let same = WorkOSRole(slug: "editor", name: "Editor", permissions: ["docs:write", "docs:read", "x:y"])
        #expect(RoleDifference(role: same, definition: definition).isEmpty)
    }

    @Test("a permission's name comes from its slug as the toolkit makes it")
    func permissionName() {
        #expect(RoleFileImport.permissionName("docs:read") == "Docs Read")
        #expect(RoleFileImport.permissionName("billing.invoices_manage") == "Billing Invoices Manage")
    }

    @Test("roles file journal lines round-trip and replay into what was sent, created and updated")
    func journalLines() throws {
        let entries = [
            AuthorizationEntry(kind: .permissionSent, slug: "docs:read"),
            AuthorizationEntry(kind: .permissionCreated, slug: "docs:read", id: "perm_1"),
            AuthorizationEntry(kind: .roleSent, slug: "org-auditor", organizationId: "org_1"),
            AuthorizationEntry(kind: .roleCreated, slug: "org-auditor", organizationId: "org_1", id: "role_1"),
            AuthorizationEntry(kind: .rolePermissionsSent, slug: "org-auditor", organizationId: "org_1"),
            AuthorizationEntry(kind: .roleUpdateSent, slug: "editor"),
        ]
        let encoder = JournalLine.makeEncoder()
        var state = AuthorizationJournalState()
        for entry in entries {
            let data = try encoder.encode(JournalLine.authorization(entry))
            let decoded = try JournalLine.makeDecoder().decode(JournalLine.self, from: data)
            #expect(decoded == .authorization(entry))
            if case .authorization(let read) = decoded { state.apply(read) }
        }
        let permission = String(decoding: try encoder.encode(JournalLine.authorization(entries[1])), as: UTF8.self)
        #expect(permission == #"{"id":"perm_1","permission":"docs:read","type":"permission"}"#)
        #expect(state.createdPermission("docs:read"))
        #expect(state.createdRole("org_1/org-auditor"))
        #expect(state.rolePermissionsSent == ["org_1/org-auditor"])
        #expect(state.rolePermissionsSet.isEmpty)
        #expect(state.roleUpdatesSent == ["editor"])
        #expect(state.rolesUpdated.isEmpty)
        // An older reader's line types still decode as before.
        let old = try JournalLine.makeDecoder().decode(
            JournalLine.self, from: Data(#"{"external":"acme","type":"organization-sent"}"#.utf8))
        #expect(old == .organizationSent(externalId: "acme"))
    }
}
