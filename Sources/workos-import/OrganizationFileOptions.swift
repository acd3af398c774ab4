import ArgumentParser
import ImportCore

/// The organizations file the import and `plan` settle before the first user.
struct OrganizationFileOptions: ParsableArguments {
    @Option(
        help:
            "Organizations to find or create (with their domains and metadata) before the users: a CSV with org_id,org_external_id,org_name,domains,metadata. Example: --organizations organizations.csv"
    )
    var organizations: String?

    @Flag(
        name: .customLong("verify-domains"),
        help: "Mark every domain of the organizations file verified, not only those written domain:verified.")
    var verifyDomains = false

    /// Checks these flags with the input's: a package brings its own organizations file.
    func validate(input: InputOptions) throws {
        if organizations != nil && input.package != nil {
            throw ValidationError(
                "--package reads the package's organizations.csv: give --package or --organizations, not both.")
        }
        if organizations?.isEmpty == true {
            throw ValidationError("--organizations is empty: name the organizations file, e.g. organizations.csv.")
        }
        if verifyDomains && organizations == nil && input.package == nil {
            throw ValidationError("--verify-domains marks an organizations file's domains: add --organizations FILE.")
        }
    }

    /// The organizations file to read: `--organizations`, or the package's.
    func path(package: MigrationPackage?) -> String? {
        organizations ?? package?.organizationsPath
    }
}
