/// What happened to a row's user: the one vocabulary the executor, the journal and the reports share.
///
/// The raw values are the journal's, so journals written before organizations and factors read unchanged.
public enum UserOutcome: String, Sendable, Codable, CaseIterable {
    /// This import created the user.
    case imported
    /// The user was already in WorkOS (before this import, or from an earlier row of the file) and was left
    /// as it was.
    case existed
    /// The user was already in WorkOS and `--if-exists update` updated it from the row.
    case updated
    /// The row failed; its ``RowFailure`` says at which stage and why.
    case failed
}

/// What happened to a row's organization membership.
public enum MembershipOutcome: String, Sendable, Codable, CaseIterable {
    /// No membership was involved (no organization, or the row failed before it).
    case none
    /// This import created the membership.
    case created
    /// The user was already an active member, with the row's roles or without `--if-exists update`.
    case existing
    /// An inactive membership was made active again (WorkOS does this when the membership is created).
    case reactivated
    /// The user was already a member with other roles, and `--if-exists update` set the row's.
    case rolesUpdated = "roles-updated"

    /// Whether this import changed the membership (created, reactivated or gave it other roles).
    public var changed: Bool { self != .none && self != .existing }
}

/// What happened to a row's TOTP factor.
public enum FactorOutcome: String, Sendable, Codable, CaseIterable {
    /// The row has no TOTP secret, or failed before the factor.
    case none
    /// This import enrolled the row's secret.
    case enrolled
    /// The user already had a TOTP factor, so none was added (WorkOS allows several; a second would be a
    /// duplicate the user never asked for).
    case existing
}
