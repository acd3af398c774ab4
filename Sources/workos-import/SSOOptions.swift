import ArgumentParser
import ImportCore

/// The SSO connections a run reads (import, `--dry-run` and `plan`): created after the organizations.
struct SSOInputOptions: ParsableArguments {
    @Option(
        name: .customLong("sso-connections"),
        help:
            "SSO connections to create after the organizations: a SAML or OIDC connections CSV in the headers of WorkOS's toolkit (told by the header); repeat for both. Example: --sso-connections saml_connections.csv"
    )
    var ssoConnections: [String] = []

    @Option(
        name: .customLong("sso-secrets"),
        help:
            "The SSO secrets a package redacted (clientSecret, requestSigningKey, …), by externalId: a CSV with an externalId column, or a JSON object keyed by externalId."
    )
    var ssoSecrets: String?

    /// Checks these flags with the input's: secrets need connections.
    func validate(input: InputOptions) throws {
        if ssoConnections.contains(where: \.isEmpty) {
            throw ValidationError("--sso-connections is empty: name the connections file, e.g. saml_connections.csv.")
        }
        if ssoSecrets != nil && ssoConnections.isEmpty && input.package == nil {
            throw ValidationError(
                "--sso-secrets goes with SSO connections: add --sso-connections FILE (or --package DIR).")
        }
    }

    /// Sets the run's SSO files: `--sso-connections`, then the package's.
    func apply(to options: inout ImportRunOptions, package: MigrationPackage?) {
        options.ssoConnectionPaths = ssoConnections + (package?.ssoConnectionPaths ?? [])
        options.ssoSecretsPath = ssoSecrets
    }
}

/// The import's SSO flags: the connections, and the cutover checklist it writes.
struct SSOOptions: ParsableArguments {
    @OptionGroup var files: SSOInputOptions

    @Option(
        name: .customLong("sso-out"),
        help:
            "Write the SSO cutover checklist here (CSV, 0600): per connection row its connection id, state, addresses, next step and what failed."
    )
    var ssoOut: String?

    /// Checks these flags with the input's: the checklist needs connections.
    func validate(input: InputOptions) throws {
        try files.validate(input: input)
        if ssoOut != nil && files.ssoConnections.isEmpty && input.package == nil {
            throw ValidationError("--sso-out lists SSO connections: add --sso-connections FILE (or --package DIR).")
        }
    }

    /// Sets the run's SSO options.
    func apply(to options: inout ImportRunOptions, package: MigrationPackage?) {
        files.apply(to: &options, package: package)
        options.ssoOut = ssoOut
    }
}
