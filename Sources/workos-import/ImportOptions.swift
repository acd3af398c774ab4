import ArgumentParser
import Foundation
import ImportCore

/// Where the rows come from.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("csv"), help: "The CSV file to import (required). Example: --csv users.csv")
    var csv: String?

    @Option(name: .customLong("user-export"), help: .hidden)
    var userExport: String?

    @Option(
        help:
            "The file's encoding: utf-8, cp1252 (Windows and Excel exports) or latin1 (default utf-8). Example: --encoding cp1252"
    )
    var encoding: String?

    @Option(
        help:
            "The column separator: ',' ';' '|' or tab (also \\t). Default: a sep= first line, else detected from the header. Example: --delimiter ';'"
    )
    var delimiter: String?

    @Option(
        name: .customLong("map"),
        help:
            "Read one of our columns from a header of another name, without editing the file; repeatable. Example: --map email=\"E-mail Address\" --map first_name=\"Given Name\""
    )
    var map: [String] = []

    /// `--map`, read (checked by ``validate()``).
    var columnMapping: ColumnMapping {
        (try? ColumnMapping(arguments: map)) ?? ColumnMapping()
    }

    /// The CSV path from `--csv`, or from the deprecated `--user-export`.
    var csvPath: String { csv ?? userExport ?? "" }

    /// How to read the file, from `--encoding` and `--delimiter` (checked by ``validate()``).
    var format: CSVFormat {
        CSVFormat(
            encoding: encoding.flatMap(CSVEncoding.init(name:)) ?? .utf8,
            delimiter: delimiter.flatMap(CSVFormat.delimiter(named:)))
    }

    func validate() throws {
        if let encoding, CSVEncoding(name: encoding) == nil {
            throw ValidationError(
                "--encoding \"\(encoding)\" is not supported: use utf-8, cp1252 (Windows and Excel exports) or latin1 "
                    + "(ISO-8859-1).")
        }
        if let delimiter, CSVFormat.delimiter(named: delimiter) == nil {
            throw ValidationError(
                "--delimiter \"\(delimiter)\" is not supported: use ',' ';' '|' or tab (write it as tab or '\\t'), "
                    + "quoted so the shell keeps it, e.g. --delimiter ';'.")
        }
        do {
            _ = try ColumnMapping(arguments: map)
        } catch {
            throw ValidationError(error.description)
        }
        if csv != nil && userExport != nil {
            throw ValidationError("--user-export is the old name of --csv: give only --csv.")
        }
        guard let path = csv ?? userExport, !path.isEmpty else {
            throw ValidationError("Missing --csv: name the CSV file to import, e.g. --csv users.csv.")
        }
    }

    /// Prints the deprecation warning once, when the command runs (validation may run more than once).
    func warnAboutDeprecatedNames() {
        if userExport != nil {
            StandardError().write("warning: --user-export is deprecated; use --csv instead.\n")
        }
    }
}

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

/// How fast requests go: rows in flight, rates and retries. The import, `plan` and `verify` take these alike.
struct PacingOptions: ParsableArguments {
    @Option(
        name: .customLong("concurrency"), parsing: .unconditional,
        help: ArgumentHelp(
            "The most rows in flight at once, 1 to 500 (default 64). Example: --concurrency 20",
            discussion:
                "The import finds its own level below this ceiling: more rows in flight while the rate limit is not used up and latency is steady, fewer when latency climbs or WorkOS answers with timeouts or 5xx."
        ))
    var concurrencyCeiling: Int?

    @Flag(
        name: .customLong("fixed-concurrency"),
        help: "Keep exactly --concurrency rows in flight (default 10) instead of adapting.")
    var fixedConcurrency = false

    @Option(
        name: .customLong("rate-limit"), parsing: .unconditional,
        help:
            "User-management writes per second, averaged over 10-second windows (N × 10 per 10 s), or 'off' (which turns all pacing off). The default is WorkOS's write limit, 50 (500 per 10 s); a lower value leaves the rest to a live application. Example: --rate-limit 20"
    )
    var rateLimit: RateLimitOption = .default

    @Option(
        name: .customLong("read-rate-limit"), parsing: .unconditional,
        help:
            "User-management reads per second (look-ups), averaged over 10-second windows, or 'off'. The default is WorkOS's read limit, 100 (1,000 per 10 s). Example: --read-rate-limit 50"
    )
    var readRateLimit: RateLimitOption?

    @Option(
        name: .customLong("max-retries"), parsing: .unconditional,
        help: "Retries of a request after 429, 408, 5xx or a network error (2 to 50). Example: --max-retries 8")
    var maxRetries = 5

    /// The window `--rate-limit` and `--read-rate-limit` are averaged over: WorkOS's 10 s. Hidden: only an
    /// emulator with shorter windows (tests) needs another.
    @Option(name: .customLong("rate-window"), parsing: .unconditional, help: .hidden)
    var rateWindowSeconds: Double = 10

    /// The rows-in-flight ceiling, or the pinned number with `--fixed-concurrency`.
    var concurrency: Int {
        concurrencyCeiling
            ?? (fixedConcurrency ? ImportConfiguration.startingConcurrency : ImportConfiguration.defaultConcurrency)
    }

    /// The window limit of each budget. `--rate-limit N` allows N × 10 writes per 10-second window, and
    /// `--read-rate-limit N` N × 10 reads; `--rate-limit off` without `--read-rate-limit` turns every budget off.
    /// The general budget (every request, 6,000 per 60 s per key at WorkOS) is paced to that limit unless a
    /// rate given is above it: then the user's limits are not WorkOS's defaults, and only the given rates apply.
    var rates: PacingRates {
        if rateLimit == .off && readRateLimit == nil { return .off }
        let window = Duration.milliseconds(Int64((rateWindowSeconds * 1_000).rounded()))
        let writes = rateLimit.requestsPerSecond.map { WindowLimit.average($0, over: window) }
        let reads = (readRateLimit ?? .limited(RateLimitOption.defaultReads)).requestsPerSecond.map {
            WindowLimit.average($0, over: window)
        }
        let generalRate = PacingRates.documentedGeneral.averageRate
        let aboveGeneral = [writes, reads].contains { ($0?.averageRate ?? 0) > generalRate }
        return PacingRates(writes: writes, reads: reads, general: aboveGeneral ? nil : PacingRates.documentedGeneral)
    }

    func validate() throws {
        guard (1...500).contains(concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 500 rows in flight, got \(concurrency).")
        }
        guard maxRetries >= RetryPolicy.minimumRetries, maxRetries <= 50 else {
            throw ValidationError(
                "--max-retries must be between \(RetryPolicy.minimumRetries) and 50, got \(maxRetries).")
        }
        if case .limited(let rate) = rateLimit, !(rate >= 0.1 && rate <= 10_000) {
            throw ValidationError(
                "--rate-limit must be between 0.1 and 10000 writes per second, or 'off'; got \(rate).")
        }
        guard rateWindowSeconds >= 0.1, rateWindowSeconds <= 3_600 else {
            throw ValidationError("--rate-window must be between 0.1 and 3600 seconds, got \(rateWindowSeconds).")
        }
        if case .limited(let rate)? = readRateLimit, !(rate >= 0.1 && rate <= 10_000) {
            throw ValidationError(
                "--read-rate-limit must be between 0.1 and 10000 reads per second, or 'off'; got \(rate).")
        }
    }
}

/// What only the import has: the dry run, the stop when rows keep failing, and the journal that makes a run
/// resumable. `plan` and `verify` write nothing and keep no journal, so they do not take these.
struct ImportOnlyOptions: ParsableArguments {
    @Option(
        name: .customLong("max-failures"), parsing: .unconditional,
        help:
            "Stop (resumably) once this many rows of the run have failed, or 'off'. By default the run stops after 100 rows in a row fail at WorkOS. Example: --max-failures 500"
    )
    var maxFailures: MaxFailuresOption = .default

    @Flag(name: .customLong("dry-run"), help: "Check every row and show what would happen; call nothing, need no key.")
    var dryRun = false

    @Option(
        help:
            "The journal that makes a run resumable (default: the CSV path plus .journal). Example: --journal run.journal"
    )
    var journal: String?

    @Flag(help: "Ignore an unfinished journal and start the import over.")
    var restart = false

    func validate() throws {
        if case .total(let count) = maxFailures.limit, count < 1 {
            throw ValidationError("--max-failures must be a number of rows of at least 1, or 'off'; got \(count).")
        }
    }
}

/// What is written where.
struct OutputOptions: ParsableArguments {
    @Option(
        name: .customLong("errors-out"),
        help:
            "Write failed rows with reasons here: .csv, .jsonl, or JSON for any other ending. Example: --errors-out errors.csv"
    )
    var errorsOut: String?

    @Option(
        help: "Copy failed rows here in the input's own columns, to fix and import again. Example: --rejects fix-me.csv"
    )
    var rejects: String?

    @Flag(help: "No line per row; only the summary.")
    var quiet = false

    @Flag(help: "Print only one JSON summary object on stdout.")
    var json = false
}

/// Where WorkOS is.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .customLong("base-url"),
        help: "The WorkOS API address (default https://api.workos.com, or WORKOS_BASE_URL).")
    var baseURL: String?

    @Option(parsing: .unconditional, help: "Seconds one request may take before it is retried. Example: --timeout 30")
    var timeout: Int64 = 60

    @Option(
        name: .customLong("connect-timeout"), parsing: .unconditional,
        help: "Seconds to keep trying to connect before a request is retried. Example: --connect-timeout 5")
    var connectTimeout: Int64 = 10

    func validate() throws {
        if let baseURL, let problem = BaseURLRule.problem(baseURL, source: "--base-url") {
            throw ValidationError(problem)
        }
        guard (1...600).contains(timeout), (1...600).contains(connectTimeout) else {
            throw ValidationError("--timeout and --connect-timeout take a number of seconds from 1 to 600.")
        }
    }
}

/// `--emulator`: the import's rehearsal target. Only the import takes it: `plan` and `verify` against an
/// emulator started for them alone would read an empty environment.
struct EmulatorOption: ParsableArguments {
    @Flag(help: "Import into a built-in WorkOS emulator started for this run, then show what it holds. No key needed.")
    var emulator = false
}

/// `--rate-limit`: a number of requests per second, or `off`.
enum RateLimitOption: ExpressibleByArgument, Equatable {
    case limited(Double)
    case off

    /// WorkOS's 500 writes per 10 seconds, as an average.
    static let `default` = RateLimitOption.limited(50)

    /// WorkOS's 1,000 reads per 10 seconds, as an average.
    static let defaultReads = 100.0

    init?(argument: String) {
        if argument.lowercased() == "off" {
            self = .off
        } else if let rate = Double(argument) {
            self = .limited(rate)
        } else {
            return nil
        }
    }

    var defaultValueDescription: String { "50" }

    var requestsPerSecond: Double? {
        if case .limited(let rate) = self { return rate }
        return nil
    }
}

/// `--max-failures`: a number of failed rows, or `off`; absent means the default consecutive-failure stop.
struct MaxFailuresOption: ExpressibleByArgument, Equatable {
    var limit: FailureLimit

    static let `default` = MaxFailuresOption(limit: .default)

    init(limit: FailureLimit) {
        self.limit = limit
    }

    init?(argument: String) {
        if argument.lowercased() == "off" {
            limit = .off
        } else if let count = Int(argument) {
            limit = .total(count)
        } else {
            return nil
        }
    }

    var defaultValueDescription: String { "100 failed rows in a row" }
}

extension ExistingUserPolicy: ExpressibleByArgument {}

extension FieldLimits: ExpressibleByArgument {}
