#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Everything one `convert` run needs, settled from the command line before any file is opened.
public struct ConvertSettings: Sendable {
    /// The provider the files come from.
    public var source: ConvertSource
    /// The export files, read in order.
    public var inputs: [String]
    /// Where the converted CSV goes.
    public var outputPath: String
    /// How the summary names the output when it is not ``outputPath``: the package's `users.csv` when
    /// `--package-out` alone writes the CSV to a file it then removes.
    public var shownOutputPath: String?
    /// Where the skipped-records JSONL goes, if anywhere.
    public var skippedPath: String?
    /// Firebase's project hash parameters; without them Firebase users are converted without passwords.
    public var hashConfig: FirebaseHashConfig?
    /// How a single display name becomes first and last name.
    public var nameSplit: NameSplitter = .firstSpace
    /// Converts disabled (Firebase, Cognito), blocked (Auth0) or banned (Supabase) users too.
    public var includeDisabled = false
    /// Auth0's password-hash NDJSON.
    public var passwordsPath: String?
    /// Which metadata objects are carried.
    public var metadata: MetadataSelection = .both
    /// Where the organization's external id is read.
    public var orgFrom: MetadataField?
    /// Where the organization's name is read.
    public var orgNameFrom: MetadataField?
    /// Cognito attributes carried into metadata (`custom:plan`, or `custom:*` for every custom attribute).
    public var metadataAttributes: [String] = []
    /// The metadata limits the converted values must meet.
    public var limits: FieldLimits = .documented
    /// The time a Supabase ban is compared with; the command passes the current time.
    public var now = Date(timeIntervalSince1970: 0)

    /// Settings with the defaults for everything but the source, files and output.
    public init(source: ConvertSource, inputs: [String], outputPath: String) {
        self.source = source
        self.inputs = inputs
        self.outputPath = outputPath
    }
}

/// Which of a provider's metadata objects go into WorkOS metadata (`--metadata`).
///
/// "app" is what the application set (Auth0 `app_metadata`, Supabase `raw_app_meta_data`, Firebase custom
/// claims); "user" is what the user can change themselves (Auth0 `user_metadata`, Supabase
/// `raw_user_meta_data`). The user's keys are always carried under the prefix `user.` (so `user_metadata.theme`
/// becomes `user.theme`), never beside the application's, since users can write them; with both, the
/// application's keys win a clash.
public enum MetadataSelection: String, Sendable, CaseIterable {
    case app, user, both, none

    /// Whether the application's metadata is carried.
    var includesApp: Bool { self == .app || self == .both }
    /// Whether the user's own metadata is carried.
    var includesUser: Bool { self == .user || self == .both }
}

/// A field of a user's metadata that holds a value to carry elsewhere (`--org-from`, `--org-name-from`).
///
/// Written `field`, `app_metadata.field` or `user_metadata.field` (dots go deeper: `app_metadata.org.id`);
/// Supabase's `raw_app_meta_data.` and `raw_user_meta_data.` prefixes mean the same; for Cognito it is an
/// attribute name such as `custom:tenant`. A bare field is the application's metadata. The user's own
/// metadata is refused unless explicitly allowed, because a user can write it: whoever edits their profile
/// could put themselves into another customer's organization.
public struct MetadataField: Sendable, Equatable {
    /// Whose metadata.
    public enum Scope: Sendable, Equatable {
        case app, user
    }

    /// Whose metadata it is read from.
    public var scope: Scope
    /// The path inside it (or the Cognito attribute name).
    public var path: String
    /// The field as the option gave it, for messages.
    public var text: String

    /// Parses `text`; a user-metadata field needs `allowUserMetadata`.
    public init(_ text: String, option: String, allowUserMetadata: Bool) throws(ConvertError) {
        var path = Substring(text)
        var scope = Scope.app
        for prefix in ["app_metadata.", "raw_app_meta_data."] where path.hasPrefix(prefix) {
            path = path.dropFirst(prefix.count)
        }
        for prefix in ["user_metadata.", "raw_user_meta_data."] where path.hasPrefix(prefix) {
            path = path.dropFirst(prefix.count)
            scope = .user
        }
        guard !path.isEmpty, !path.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty)
        else {
            throw .badOption("\(option) \"\(text)\" names no field; write e.g. \(option) app_metadata.org_id.")
        }
        if scope == .user && !allowUserMetadata {
            throw .badOption(
                "\(option) \"\(text)\" reads user metadata, which users can change themselves, so anyone could "
                    + "place their account in another organization. Read it from app metadata instead, or add "
                    + "--allow-user-metadata-org if every value there was set by your application.")
        }
        self.scope = scope
        self.path = String(path)
        self.text = text
    }
}
