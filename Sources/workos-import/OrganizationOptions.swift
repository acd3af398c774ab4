import ArgumentParser
import Foundation
import ImportCore

/// Which organization users join.
struct OrganizationOptions: ParsableArguments {
    @Option(
        name: .customLong("org-id"),
        help: "Add every user to this organization (must exist). Example: --org-id org_01H...")
    var orgId: String?

    @Option(
        name: .customLong("org-external-id"),
        help: "Add every user to the organization with this external id. Example: --org-external-id acme")
    var orgExternalId: String?

    @Flag(
        name: .customLong("create-org-if-missing"),
        help: ArgumentHelp(
            "Create a missing organization: --org-external-id's (with --org-name), or each org_external_id "
                + "of the file's rows (with the row's org_name)."))
    var createOrgIfMissing = false

    @Option(
        name: .customLong("role"),
        help: ArgumentHelp(
            "A role of every membership whose row gives none in role_slugs (repeat for several). Example: "
                + "--role admin --role billing"))
    var roles: [String] = []

    @Option(
        name: .customLong("org-name"),
        help: "The name of the organization --create-org-if-missing creates. Example: --org-name \"Acme Inc\"")
    var orgName: String?

    @Flag(
        name: .customLong("require-membership"),
        help: "Fail a row whose membership cannot be created, deleting the user if this import created it.")
    var requireMembership = false

    var target: OrganizationTarget {
        if let orgId { return .id(orgId) }
        if let orgExternalId { return .externalId(orgExternalId, createWithName: createOrgIfMissing ? orgName : nil) }
        return .none
    }

    func validate() throws {
        if orgId != nil && orgExternalId != nil {
            throw ValidationError("--org-id and --org-external-id cannot be used together: pick one.")
        }
        if orgId?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            throw ValidationError("--org-id is empty: give the organization's id, e.g. --org-id org_01H...")
        }
        if orgExternalId?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            throw ValidationError(
                "--org-external-id is empty: give the organization's external id, e.g. --org-external-id acme")
        }
        if createOrgIfMissing && orgId != nil {
            throw ValidationError(
                "--create-org-if-missing cannot create an organization by --org-id; use --org-external-id and "
                    + "--org-name.")
        }
        if createOrgIfMissing && orgExternalId != nil && (orgName ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--create-org-if-missing needs --org-name \"Name\" for the new organization.")
        }
        if orgName != nil && (!createOrgIfMissing || orgExternalId == nil) {
            throw ValidationError(
                "--org-name names the organization --create-org-if-missing creates for --org-external-id: add "
                    + "both or drop --org-name (rows name theirs in org_name).")
        }
        for role in roles where role.isEmpty || !role.utf8.allSatisfy(Self.isSlugByte) {
            throw ValidationError(
                "--role \"\(role)\" is not a role slug: lower-case letters, digits, - and _, e.g. --role admin.")
        }
    }

    private static func isSlugByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F
    }
}
