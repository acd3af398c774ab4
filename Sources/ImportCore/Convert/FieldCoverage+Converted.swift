extension FieldCoverage {
    /// Counts a converted (or exported) user. `email_verified` counts when it is true: a false one carries
    /// nothing the import would not assume.
    public mutating func add(_ user: ConvertedUser) {
        add(
            emailVerified: user.emailVerified == true, password: false,
            passwordHash: user.passwordHash == nil ? nil : user.passwordHashType,
            firstName: user.firstName?.isEmpty == false, lastName: user.lastName?.isEmpty == false,
            externalId: user.externalId?.isEmpty == false, metadata: !user.metadata.isEmpty,
            organization: user.orgId?.isEmpty == false || user.orgExternalId?.isEmpty == false,
            roles: user.roleSlugs?.isEmpty == false, totpSecret: user.totpSecret?.isEmpty == false)
    }
}
