import ArgumentParser
import Foundation
import ImportCore

/// How rows are judged against what WorkOS holds: the import, `plan` and `verify` take these alike.
struct BehaviourOptions: ParsableArguments {
    @Option(
        name: .customLong("if-exists"),
        help: "When the email already exists: skip, update or fail. Example: --if-exists update")
    var ifExists: ExistingUserPolicy = .skip

    @Option(
        name: .customLong("limits"),
        help:
            "Metadata and external_id limits rows must meet: 'documented' (10 ASCII metadata keys, external_id up to 64) or 'spec' (the API spec's 50 keys, any text, external_id up to 128). Example: --limits spec"
    )
    var limits: FieldLimits = .documented

    @Flag(
        name: .customLong("no-survey"),
        help:
            "Do not read what WorkOS holds before the first row; rows then create first and look up what already exists."
    )
    var noSurvey = false

    /// The run's configuration from these flags, the organization's and the pacing's; `maxFailures` is the
    /// import's stop (`plan` and `verify` stop for none).
    func configuration(
        organization: OrganizationOptions, pacing: PacingOptions, maxFailures: FailureLimit = .default
    ) -> ImportConfiguration {
        var configuration = ImportConfiguration(
            organization: organization.target, ifExists: ifExists, requireMembership: organization.requireMembership,
            concurrency: pacing.concurrency, fixedConcurrency: pacing.fixedConcurrency, maxRetries: pacing.maxRetries,
            rates: pacing.rates, maxFailures: maxFailures, limits: limits,
            createOrganizations: organization.createOrgIfMissing, roleSlugs: organization.roles)
        configuration.survey = !noSurvey
        return configuration
    }
}

extension ExistingUserPolicy: ExpressibleByArgument {}

extension FieldLimits: ExpressibleByArgument {}
