import ArgumentParser
import ImportCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where the rows come from.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("csv"), help: "The CSV file to import (required). Example: --csv users.csv")
    var csv: String?

    @Option(name: .customLong("user-export"), help: .hidden)
    var userExport: String?

    @Option(
        help:
            "A migration package folder as WorkOS's toolkit writes it, instead of --csv: its users, organizations, role definitions, memberships, role assignments and TOTP secrets are imported. Example: --package migration-auth0-2026"
    )
    var package: String?

    @Flag(
        name: .customLong("ignore-unsupported"),
        help:
            "Go on with a package whose SSO files this version does not carry yet, without them."
    )
    var ignoreUnsupported = false

    @Option(help: "The file's encoding (default utf-8). Example: --encoding cp1252")
    var encoding: CSVEncoding?

    @Option(
        help:
            "The column separator. Default: a sep= first line, else detected from the header. Quote it for the shell. Example: --delimiter ';'"
    )
    var delimiter: DelimiterChoice?

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

    /// The CSV path from `--csv`, from the deprecated `--user-export`, or the package's `users.csv` (a
    /// manifest names it nowhere else), or the file its side files are joined into (``PackageJoin``).
    var csvPath: String {
        if let package {
            if let opened = try? MigrationPackage.open(directory: package) { return opened.importedUsersPath }
            return package.hasSuffix("/") ? package + "users.csv" : package + "/users.csv"
        }
        return csv ?? userExport ?? ""
    }

    /// How to read the file, from `--encoding` and `--delimiter`.
    var format: CSVFormat {
        CSVFormat(encoding: encoding ?? .utf8, delimiter: delimiter?.byte)
    }

    func validate() throws {
        do {
            _ = try ColumnMapping(arguments: map)
        } catch {
            throw ValidationError(error.description)
        }
        if csv != nil && userExport != nil {
            throw ValidationError("--user-export is the old name of --csv: give only --csv.")
        }
        if package != nil && (csv ?? userExport) != nil {
            throw ValidationError("--package reads the package's users.csv: give --package or --csv, not both.")
        }
        if ignoreUnsupported && package == nil {
            throw ValidationError("--ignore-unsupported is about a package's files: add --package DIR, or drop it.")
        }
        if let package {
            if package.isEmpty { throw ValidationError("--package is empty: name the package folder.") }
            return
        }
        guard let path = csv ?? userExport, !path.isEmpty else {
            throw ValidationError("Missing --csv: name the CSV file to import, e.g. --csv users.csv.")
        }
    }

    /// Opens `--package` (nil without it), before anything is sent: a malformed manifest is fatal, and so
    /// are files this version does not import, unless `--ignore-unsupported` (then they are named once on
    /// stderr).
    func openPackage(stderr: any TextSink) throws -> MigrationPackage? {
        guard let package else { return nil }
        let opened = try fatalOnError { () throws(ImportError) in try MigrationPackage.open(directory: package) }
        try refuseUnsupported(opened, stderr: stderr)
        if !opened.sidePaths.isEmpty {
            let joined = try fatalOnError { () throws(ImportError) in try PackageJoin.write(opened) }
            stderr.write(joined.report)
            if !joined.notCarried.isEmpty {
                try fatalOnError { () throws(ImportError) in try joined.writeNotCarried() }
            }
        }
        return opened
    }

    /// Stops before anything is sent when the package has files this version does not import, unless
    /// `--ignore-unsupported` (then they are named once on stderr).
    private func refuseUnsupported(_ opened: MigrationPackage, stderr: any TextSink) throws {
        guard !opened.unsupported.isEmpty else { return }
        guard ignoreUnsupported else {
            throw Fatal(
                opened.unsupportedSentence.prefix(1).uppercased() + opened.unsupportedSentence.dropFirst()
                    + ". Nothing was sent. Run with --ignore-unsupported to import its users and organizations "
                    + "without them.")
        }
        stderr.write("note: \(opened.unsupportedSentence); going on without them (--ignore-unsupported).\n")
    }

    /// Prints the deprecation warning once, when the command runs (validation may run more than once).
    func warnAboutDeprecatedNames() {
        if userExport != nil {
            StandardError().write("warning: --user-export is deprecated; use --csv instead.\n")
        }
    }
}

/// `--encoding`: parsed by the argument parser, which lists the values in `--help` and refuses any other with
/// exit 2 and the list. Every spelling ``CSVEncoding/init(name:)`` knows is accepted (`utf8`,
/// `windows-1252`, `iso-8859-1`…); `--help` shows the three canonical ones.
extension CSVEncoding: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(name: argument)
    }

    public static var allValueStrings: [String] { [Self.utf8, .cp1252, .latin1].map(\.rawValue) }

    public static var allValueDescriptions: [String: String] {
        [
            Self.utf8.rawValue: "UTF-8, with or without a byte order mark (also utf8)",
            Self.cp1252.rawValue: "Windows-1252, as Windows and Excel export (also windows-1252)",
            Self.latin1.rawValue: "ISO-8859-1 (also iso-8859-1, latin-1)",
        ]
    }
}

/// `--delimiter`: one of the separators the reader knows, written as the character or by name (`tab`, `\\t`,
/// `comma`, `semicolon`, `pipe`); `--help` lists them, and any other value is refused with exit 2 and the list.
enum DelimiterChoice: String, ExpressibleByArgument, CaseIterable {
    case comma = ","
    case semicolon = ";"
    case pipe = "|"
    case tab

    init?(argument: String) {
        guard let byte = CSVFormat.delimiter(named: argument),
            let choice = Self.allCases.first(where: { $0.byte == byte })
        else { return nil }
        self = choice
    }

    /// The byte the reader splits on.
    var byte: UInt8 {
        switch self {
        case .comma: return 0x2C
        case .semicolon: return 0x3B
        case .pipe: return 0x7C
        case .tab: return 0x09
        }
    }

    static var allValueDescriptions: [String: String] {
        [
            Self.comma.rawValue: "comma", Self.semicolon.rawValue: "semicolon", Self.pipe.rawValue: "pipe",
            Self.tab.rawValue: "a tab character (also '\\t')",
        ]
    }
}
