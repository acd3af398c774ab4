extension SummaryFormatter {
    /// The box rows of an organizations file's counts: none without a file. `planned` words them as what
    /// the import would do (a plan). The organizations it created are in the box's own created count.
    static func organizationFileRows(_ counts: OrganizationFileCounts?, planned: Bool) -> [BoxRow] {
        guard let counts else { return [] }
        let would = planned ? " (planned)" : ""
        var rows = [
            BoxRow("Organization rows", ReportText.grouped(counts.rows)),
            BoxRow("Organizations updated" + would, ReportText.grouped(counts.updated)),
            BoxRow("Organizations unchanged", ReportText.grouped(counts.unchanged)),
            BoxRow("Domains added" + would, ReportText.grouped(counts.domainsAdded)),
        ]
        if counts.differing > 0 {
            rows.append(
                BoxRow(
                    "Organizations differing",
                    "\(ReportText.grouped(counts.differing)) (--if-exists update updates them)",
                    style: .yellow))
        }
        rows.append(
            BoxRow("Organization rows failed", ReportText.grouped(counts.failed), style: counts.failed > 0 ? .red : nil)
        )
        return rows
    }

    /// The dry run's rows for an organizations file: its rows and those that break a rule.
    static func checkedOrganizationFileRows(_ counts: OrganizationFileCounts?) -> [BoxRow] {
        guard let counts else { return [] }
        return [
            BoxRow("Organization rows checked", ReportText.grouped(counts.rows)),
            BoxRow(
                "Invalid organization rows", ReportText.grouped(counts.failed), style: counts.failed > 0 ? .red : nil),
        ]
    }
}

extension SummaryFormatter {
    /// The box rows of a roles file's counts: none without a file. `planned` words them as what the import
    /// would do (a plan).
    static func roleFileRows(_ counts: RoleFileCounts?, planned: Bool) -> [BoxRow] {
        guard let counts else { return [] }
        let would = planned ? " (planned)" : ""
        var rows = [
            BoxRow("Role rows", ReportText.grouped(counts.rows)),
            BoxRow("Permissions created" + would, ReportText.grouped(counts.permissionsCreated)),
            BoxRow("Roles created" + would, ReportText.grouped(counts.created)),
            BoxRow("Roles updated" + would, ReportText.grouped(counts.updated)),
            BoxRow("Roles unchanged", ReportText.grouped(counts.unchanged)),
        ]
        if counts.differing > 0 {
            rows.append(
                BoxRow(
                    "Roles differing", "\(ReportText.grouped(counts.differing)) (--if-exists update updates them)",
                    style: .yellow))
        }
        rows.append(
            BoxRow("Role rows failed", ReportText.grouped(counts.failed), style: counts.failed > 0 ? .red : nil))
        return rows
    }

    /// The dry run's rows for a roles file: its rows and those that break a rule.
    static func checkedRoleFileRows(_ counts: RoleFileCounts?) -> [BoxRow] {
        guard let counts else { return [] }
        return [
            BoxRow("Role rows checked", ReportText.grouped(counts.rows)),
            BoxRow("Invalid role rows", ReportText.grouped(counts.failed), style: counts.failed > 0 ? .red : nil),
        ]
    }

    /// The box rows of the SSO connection rows: none without SSO files; `checked` for the dry run's,
    /// `planned` for a plan's (which cannot tell an existing connection: WorkOS lists no external id).
    static func ssoConnectionRows(_ counts: SSOConnectionCounts?, checked: Bool = false, planned: Bool = false)
        -> [BoxRow]
    {
        guard let counts else { return [] }
        let failed = BoxRow(
            checked ? "Invalid SSO connection rows" : "SSO connection rows failed", ReportText.grouped(counts.failed),
            style: counts.failed > 0 ? .red : nil)
        if checked { return [BoxRow("SSO connection rows checked", ReportText.grouped(counts.rows)), failed] }
        if planned {
            return [BoxRow("SSO connections to create or find", ReportText.grouped(counts.created)), failed]
        }
        var rows = [
            BoxRow("SSO connections created", ReportText.grouped(counts.created)),
            BoxRow("SSO connections existing", ReportText.grouped(counts.existing)),
        ]
        if counts.notCreated > 0 {
            rows.append(
                BoxRow(
                    "SSO connections not created", "\(ReportText.grouped(counts.notCreated)) (feature not enabled)",
                    style: .yellow))
        }
        return rows + [failed]
    }
}
