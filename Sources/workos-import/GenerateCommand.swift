import ArgumentParser
import ImportCore

/// `workos-import generate <count> <path>`: writes a realistic test file of users, for rehearsals
/// against the emulator and for speed measurements. The same options always give the same file.
struct GenerateCommand: AsyncParsableCommand {
    /// Name, help text and discussion shown by `workos-import generate --help`.
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a CSV file of realistic test users.",
        discussion: """
            Each row has a unique email, names, email_verified, an external_id and metadata JSON; a few \
            carry a bcrypt, argon2 or firebase-scrypt hash. With --with-errors, rows of every kind the \
            importer rejects are mixed in. --memberships-per-user, --roles and --with-totp add the \
            org_external_id and org_name, role_slugs, and totp_secret and totp_issuer columns. The file \
            is created with mode 0600.
            """
    )

    /// Number of data rows.
    @Argument(help: "Number of users (data rows) to write.")
    var count: Int

    /// Where to write; an existing file is replaced.
    @Argument(help: "Path of the CSV file to write (replaced if it exists).")
    var path: String

    /// Mixes in bad rows.
    @Flag(help: "Mix in rows of every kind the importer rejects.")
    var withErrors = false

    /// Organizations the users are spread over.
    @Option(help: "Spread users over this many organizations (each with its own email domain).")
    var orgs = 1

    /// Puts each user in this many organizations, one row each.
    @Option(
        help: ArgumentHelp(
            "Write each user on N adjacent rows, one per organization, with org_external_id and org_name columns (needs --orgs N or more).",
            valueName: "N"))
    var membershipsPerUser: Int?

    /// Role slugs the rows' `role_slugs` cells are drawn from.
    @Option(
        help: ArgumentHelp(
            "Give every row a role_slugs cell of one or more of these comma-separated role slugs.",
            valueName: "slugs"))
    var roles: String?

    /// Gives about half the users a TOTP secret.
    @Flag(
        name: .customLong("with-totp"),
        help: "Give about half the users a Base32 totp_secret (the same on all their rows) and a totp_issuer.")
    var withTOTP = false

    /// Fixes every random choice.
    @Option(help: "Seed for the random choices; the same seed gives the same file.")
    var seed: UInt64 = 1

    /// The generator these options describe.
    private var generator: UserFileGenerator {
        UserFileGenerator(
            count: count, seed: seed, withErrors: withErrors, orgs: orgs, membershipsPerUser: membershipsPerUser,
            roles: roles.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? [],
            withTOTP: withTOTP)
    }

    /// Refuses a negative count, fewer than one organization, more memberships per user than
    /// organizations, or a bad role slug, before anything is written.
    func validate() throws {
        guard count >= 0 else { throw ValidationError("<count> must be 0 or more.") }
        guard orgs >= 1 else { throw ValidationError("--orgs must be 1 or more.") }
        do {
            try generator.validate()
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// Writes the file and says where it went.
    func run() async throws {
        let generator = self.generator
        try generator.write(to: path)
        let rows = generator.membershipsPerUser.map { _ in " on \(generator.rowCount) rows" } ?? ""
        print("Wrote \(count) users\(rows) to \(path)\(withErrors ? " (with bad rows mixed in)" : "").")
    }
}
