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
            importer rejects are mixed in. The file is created with mode 0600.
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

    /// Fixes every random choice.
    @Option(help: "Seed for the random choices; the same seed gives the same file.")
    var seed: UInt64 = 1

    /// Refuses a negative count or fewer than one organization before anything is written.
    func validate() throws {
        guard count >= 0 else { throw ValidationError("<count> must be 0 or more.") }
        guard orgs >= 1 else { throw ValidationError("--orgs must be 1 or more.") }
    }

    /// Writes the file and says where it went.
    func run() async throws {
        let generator = UserFileGenerator(count: count, seed: seed, withErrors: withErrors, orgs: orgs)
        try generator.write(to: path)
        print("Wrote \(count) users to \(path)\(withErrors ? " (with bad rows mixed in)" : "").")
    }
}
