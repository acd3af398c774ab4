import ArgumentParser
import Dispatch
import ImportCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `workos-import convert <source> <file>... --out users.csv`: turns another provider's export into the
/// importer's CSV. Flags and wiring only; the work is `ConvertRun` in ImportCore's Convert/.
struct ConvertCommand: ParsableCommand {
    /// Name, abstract and help text of the subcommand.
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a \(listed(ConvertSource.allCases.map(\.displayName))) export into a CSV file to import.",
        discussion: """
            Sources and their files:
            \(sourceTable)

            The CSV (mode 0600) has the importer's columns; import it with `workos-import --csv <out>`. \
            With --package-out DIR the users are written as a migration package instead (or as well, with \
            --out): users.csv, organizations.csv, totp_secrets.csv and manifest.json, as WorkOS's toolkit \
            writes them; import it with `workos-import --package DIR`. \
            The summary counts users converted, converted without a password and skipped, with every reason; \
            --skipped lists each such user as a JSON line (never a password hash or secret). Exit code 0 when \
            the file was written, 2 when nothing could be converted (a missing file, bad hash parameters, a \
            file that is not the source's export).
            """
    )

    @Argument(help: "The provider: \(ConvertCommand.listed(ConvertSource.allCases.map(\.rawValue))).")
    var source: String

    /// "a, b or c", as help and messages list the sources.
    private static func listed(_ names: [String]) -> String {
        names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    /// One line per source, its name and what its files are, as `--help` lists them.
    private static var sourceTable: String {
        let width = (ConvertSource.allCases.map(\.rawValue.count).max() ?? 0) + 2
        return ConvertSource.allCases.map { source in
            "  " + source.rawValue + String(repeating: " ", count: width - source.rawValue.count) + source.files
        }.joined(separator: "\n")
    }

    @Argument(help: "The export file(s), read in order.")
    var files: [String] = []

    @Option(help: "Where to write the converted CSV (replaced if it exists, mode 0600).")
    var out: String?

    @Option(
        name: .customLong("package-out"),
        help:
            "Write the users as a migration package in this folder (created 0700 if missing): users.csv, organizations.csv, totp_secrets.csv and manifest.json, as WorkOS's toolkit writes them. Example: --package-out migration-auth0"
    )
    var packageOut: String?

    /// Where the converted CSV goes: `--out`, or a file in the package folder that is removed once the
    /// package is written.
    private var convertedPath: String {
        out ?? (packageOut ?? ".") + "/.users.converted.csv"
    }

    func validate() throws {
        if out == nil && packageOut == nil {
            throw ValidationError(
                "Missing --out: name the CSV to write, e.g. --out users.csv (or --package-out DIR for a package).")
        }
    }

    @Option(help: "Write one JSON line per skipped or degraded user here (mode 0600).")
    var skipped: String?

    @Option(help: "firebase: a file holding the hash_config block from the Firebase console.")
    var hashConfig: String?

    @Option(help: "firebase: the project's base64_signer_key (instead of --hash-config).")
    var signerKey: String?

    @Option(help: "firebase: the project's base64_salt_separator.")
    var saltSeparator: String?

    @Option(help: "firebase: the project's scrypt rounds.")
    var rounds: Int?

    @Option(help: "firebase: the project's scrypt mem_cost.")
    var memCost: Int?

    @Option(
        help:
            "firebase, auth0, cognito, supabase: how a single name becomes first and last name: first-space (the default), last-space or none."
    )
    var nameSplit: String?

    @Flag(
        help:
            "firebase, auth0, cognito, supabase: also convert users that are disabled (Firebase, Cognito), blocked (Auth0) or banned (Supabase)."
    )
    var includeDisabled = false

    @Option(help: "auth0: the NDJSON of password hashes from Auth0 support; joined by user id, never by email.")
    var passwords: String?

    @Option(
        help:
            "auth0, supabase, firebase: which metadata to carry: app, user, both (the default) or none. The user's own metadata (user_metadata, raw_user_meta_data) goes under keys prefixed user., so it cannot pass for the application's."
    )
    var metadata: String?

    @Option(
        help:
            "The metadata field (auth0, supabase: app_metadata.<field>; firebase: a custom claim) or Cognito attribute (custom:<name>) holding the organization's external id."
    )
    var orgFrom: String?

    @Option(help: "The field holding the organization's name, written like --org-from.")
    var orgNameFrom: String?

    @Flag(
        help: """
            Allow --org-from and --org-name-from to read user_metadata. Dangerous: users can edit their own \
            metadata, so a user could place their account in another customer's organization.
            """
    )
    var allowUserMetadataOrg = false

    @Option(help: "cognito: an attribute to carry into metadata (repeatable); custom:* carries every custom attribute.")
    var metadataAttribute: [String] = []

    @Option(help: "Metadata limits the converted values must meet: documented or spec.")
    var limits = "documented"

    @Flag(help: "Print only the counts, as one JSON object on stdout (warnings stay on stderr).")
    var json = false

    /// Settles the flags and runs the conversion.
    func run() throws {
        let settings: ConvertSettings
        do {
            settings = try makeSettings()
        } catch {
            throw Fatal(error.description)
        }
        let stop = StopSignal()
        let interrupts = ConvertInterrupts(stop: stop)
        interrupts.install()
        defer { withExtendedLifetime(interrupts) {} }
        let run = ConvertRun(settings: settings, warnings: StandardError(), stop: stop)
        do throws(ConvertError) {
            if let packageOut { try PackageOutput.prepareFolder(packageOut) }
            let finished = try run.run()
            StandardOutput().write(json ? finished.json(settings: settings) : finished.summary(settings: settings))
            if let packageOut { try writePackage(packageOut, source: settings.source) }
        } catch .interrupted {
            let written = out ?? packageOut ?? ""
            StandardError().write("\(ConvertError.interrupted(output: written).description)\n")
            if json {
                StandardOutput().write(
                    #"{"error":"interrupted: \#(written) was not written","exitCode":130,"status":"interrupted"}"#
                        + "\n")
            }
            throw ExitCode(130)
        } catch {
            throw Fatal(error.description)
        }
    }

    /// Writes the package from the converted CSV, says what it holds on stderr, and removes the CSV when
    /// only the package was asked for.
    private func writePackage(_ directory: String, source: ConvertSource) throws(ConvertError) {
        defer { if out == nil { try? FileManager.default.removeItem(atPath: convertedPath) } }
        let written = try PackageOutput.write(
            converted: convertedPath, provider: source.rawValue, to: directory, generatedAt: Date())
        StandardError().write(
            "Wrote the migration package \(directory): \(written.users) user rows, \(written.organizations) "
                + "organizations and \(written.totpSecrets) TOTP secrets (manifest.json, users.csv, organizations.csv, "
                + "totp_secrets.csv; mode 0600). Import it with: workos-import --package \(directory)\n")
    }

    private func makeSettings() throws(ConvertError) -> ConvertSettings {
        guard let source = ConvertSource(rawValue: source.lowercased()) else {
            throw .badOption(
                "\"\(self.source)\" is not a source convert knows; use "
                    + "\(Self.listed(ConvertSource.allCases.map(\.rawValue))).")
        }
        var settings = ConvertSettings(source: source, inputs: files, outputPath: convertedPath)
        if out == nil, let packageOut { settings.shownOutputPath = packageOut + "/users.csv" }
        settings.skippedPath = skipped
        settings.includeDisabled = includeDisabled
        settings.now = Date()
        let nameSplit = self.nameSplit ?? "first-space"
        guard let split = NameSplitter(rawValue: nameSplit) else {
            throw .badOption("--name-split \"\(nameSplit)\" is not one of first-space, last-space or none.")
        }
        settings.nameSplit = split
        let metadata = self.metadata ?? "both"
        guard let selection = MetadataSelection(rawValue: metadata) else {
            throw .badOption("--metadata \"\(metadata)\" is not one of app, user, both or none.")
        }
        settings.metadata = selection
        guard let fieldLimits = FieldLimits(rawValue: limits) else {
            throw .badOption("--limits \"\(limits)\" is not one of documented or spec.")
        }
        settings.limits = fieldLimits
        try refuseFlags(source: source)
        if let orgFrom {
            settings.orgFrom = try MetadataField(orgFrom, option: "--org-from", allowUserMetadata: allowUserMetadataOrg)
        }
        if let orgNameFrom {
            settings.orgNameFrom = try MetadataField(
                orgNameFrom, option: "--org-name-from", allowUserMetadata: allowUserMetadataOrg)
        }
        settings.metadataAttributes = metadataAttribute
        settings.passwordsPath = passwords
        settings.hashConfig = try firebaseHashConfig()
        return settings
    }

    /// Flags that mean nothing for `source` are refused, so a mistyped command does not silently do less:
    /// each source declares the options it reads (``ConvertSource/options``).
    private func refuseFlags(source: ConvertSource) throws(ConvertError) {
        var given: Set<ConvertOption> = []
        if hashConfig != nil { given.insert(.hashConfig) }
        if signerKey != nil || saltSeparator != nil || rounds != nil || memCost != nil { given.insert(.hashParameters) }
        if passwords != nil { given.insert(.passwords) }
        if metadata != nil { given.insert(.metadata) }
        if orgFrom != nil { given.insert(.orgFrom) }
        if orgNameFrom != nil { given.insert(.orgNameFrom) }
        if allowUserMetadataOrg { given.insert(.allowUserMetadataOrg) }
        if !metadataAttribute.isEmpty { given.insert(.metadataAttribute) }
        if nameSplit != nil { given.insert(.nameSplit) }
        if includeDisabled { given.insert(.includeDisabled) }
        let refused = given.subtracting(source.options).sorted().map(\.rawValue)
        guard refused.isEmpty else {
            throw .badOption(
                "\(refused.joined(separator: ", ")) \(refused.count == 1 ? "does" : "do") not apply to "
                    + "\(source.rawValue) exports; remove \(refused.count == 1 ? "it" : "them") (see "
                    + "`workos-import convert --help`).")
        }
    }

    private func firebaseHashConfig() throws(ConvertError) -> FirebaseHashConfig? {
        let anyFlag = signerKey != nil || saltSeparator != nil || rounds != nil || memCost != nil
        if let hashConfig {
            guard !anyFlag else {
                throw .badOption("Give the hash parameters either with --hash-config or as the four flags, not both.")
            }
            guard let data = FileManager.default.contents(atPath: hashConfig) else {
                throw .badHashConfig("the file \(hashConfig) cannot be read")
            }
            return try FirebaseHashConfig(block: String(decoding: data, as: UTF8.self))
        }
        guard anyFlag else { return nil }
        guard let signerKey, let saltSeparator, let rounds, let memCost else {
            throw .badHashConfig("--signer-key, --salt-separator, --rounds and --mem-cost must all be given")
        }
        return try FirebaseHashConfig(
            signerKey: signerKey, saltSeparator: saltSeparator, rounds: rounds, memoryCost: memCost)
    }
}

/// Ctrl-C for `convert`: the first SIGINT, SIGTERM or SIGHUP stops the run before the next user (it then
/// removes its temporary files and exits 130, the previous output untouched); a second one removes the
/// temporary files and exits 130 at once, for a run stuck on a slow read.
private final class ConvertInterrupts {
    private let stop: StopSignal
    private let sources: [any DispatchSourceSignal]
    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    init(stop: StopSignal) {
        self.stop = stop
        sources = Self.signals.map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
    }

    /// Starts listening; the handler lives for the rest of the process.
    func install() {
        for (signalNumber, source) in zip(Self.signals, sources) {
            signal(signalNumber, SIG_IGN)
            source.setEventHandler { [stop] in
                if stop.isRequested {
                    TemporaryOutputFiles.shared.removeAll()
                    StandardError().write("\nStopped at once; nothing was written. Run the same command again.\n")
                    _exit(130)
                }
                stop.request()
                StandardError().write(
                    "\nStopping: the output will not be written. Press Ctrl-C again to quit at once.\n")
            }
            source.resume()
        }
    }
}
