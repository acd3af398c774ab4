import ArgumentParser
import ImportCore

/// The roles file the import and `plan` settle before the first user, and `verify` checks.
struct RoleFileOptions: ParsableArguments {
    @Option(
        help:
            "Roles with their permissions, created before the users (verify checks them): a CSV with role_slug,role_name,role_type,permissions,org_id,org_external_id. Example: --roles role_definitions.csv"
    )
    var roles: String?

    /// Checks the flag with the input's: a package brings its own roles file.
    func validate(input: InputOptions) throws {
        if roles != nil && input.package != nil {
            throw ValidationError(
                "--package reads the package's role_definitions.csv: give --package or --roles, not both.")
        }
        if roles?.isEmpty == true {
            throw ValidationError("--roles is empty: name the roles file, e.g. role_definitions.csv.")
        }
    }

    /// The roles file to read: `--roles`, or the package's.
    func path(package: MigrationPackage?) -> String? {
        roles ?? package?.rolesPath
    }
}
