import ImportCore
import WorkOSEmulator

/// What `--emulator` prints after the import: what the built-in emulator now holds.
enum EmulatorReport {
    /// Users listed one per line before the rest are only counted.
    static let usersShown = 25

    static func render(_ snapshot: EmulatorSnapshot) -> String {
        var text = "\nThe emulator now holds \(count(snapshot.users.count, "user")), "
        text += "\(count(snapshot.organizations.count, "organization")) and "
        text += "\(count(snapshot.memberships.count, "membership")).\n"
        for user in snapshot.users.prefix(usersShown) {
            let name = [user.firstName, user.lastName].compactMap { $0 }.joined(separator: " ")
            var details = [String]()
            if !name.isEmpty { details.append(name) }
            if user.emailVerified { details.append("verified") }
            if let externalID = user.externalID { details.append("external id \(externalID)") }
            if !user.metadata.isEmpty { details.append("metadata \(user.metadata.count) keys") }
            if user.hasPassword { details.append("password set") }
            let memberships = snapshot.memberships(userID: user.id).count
            if memberships > 0 { details.append(count(memberships, "membership")) }
            text += "  \(user.id)  \(ReportText.singleLine(user.email))  \(details.joined(separator: ", "))\n"
        }
        if snapshot.users.count > usersShown {
            text += "  … and \(snapshot.users.count - usersShown) more users\n"
        }
        for organization in snapshot.organizations {
            let members = snapshot.memberships.filter { $0.organizationID == organization.id }.count
            let external = organization.externalID.map { ", external id \($0)" } ?? ""
            text += "  \(organization.id)  \(ReportText.singleLine(organization.name))\(external): "
            text += "\(count(members, "member"))\n"
        }
        return text + "\n"
    }

    private static func count(_ value: Int, _ noun: String) -> String {
        "\(ReportText.grouped(value)) \(noun)\(value == 1 ? "" : "s")"
    }
}

extension EmulatorConfiguration {
    /// The emulator `--emulator` starts: a free loopback port, WorkOS's real rate limits, the import's own
    /// `--limits` and strict mode, so a rehearsal behaves like the real thing, refuses what the dry run
    /// refuses, and refuses any request WorkOS's spec does not allow.
    static func forImportRehearsal(limits: FieldLimits) -> EmulatorConfiguration {
        var configuration = EmulatorConfiguration()
        configuration.port = 0
        configuration.fieldLimits = EmulatorFieldLimits(limits)
        configuration.strict = true
        return configuration
    }
}

extension EmulatorFieldLimits {
    /// The emulator's name for the importer's `--limits` choice.
    init(_ limits: FieldLimits) {
        switch limits {
        case .documented: self = .documented
        case .spec: self = .spec
        }
    }
}
