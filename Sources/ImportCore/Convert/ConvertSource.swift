/// The providers whose exports `convert` reads.
public enum ConvertSource: String, Sendable, CaseIterable, Codable {
    /// `firebase auth:export --format=json`.
    case firebase
    /// An Auth0 user export job (NDJSON or a JSON array), with the password hashes Auth0 support provides.
    case auth0
    /// The Clerk dashboard's CSV export.
    case clerk
    /// `aws cognito-idp list-users` JSON pages.
    case cognito
    /// A CSV export of Supabase's `auth.users` table.
    case supabase

    /// The provider-specific options this source's converter reads. Every other one is refused when given,
    /// so a mistyped command does not silently do less (`--out`, `--skipped`, `--limits` and `--json` apply
    /// to every source).
    public var options: Set<ConvertOption> {
        switch self {
        case .firebase:
            return [.hashConfig, .hashParameters, .metadata, .orgFrom, .orgNameFrom, .nameSplit, .includeDisabled]
        case .auth0:
            return [.passwords, .metadata, .orgFrom, .orgNameFrom, .allowUserMetadataOrg, .nameSplit, .includeDisabled]
        case .clerk:
            return []
        case .cognito:
            return [.metadataAttribute, .orgFrom, .orgNameFrom, .nameSplit, .includeDisabled]
        case .supabase:
            return [.metadata, .orgFrom, .orgNameFrom, .allowUserMetadataOrg, .nameSplit, .includeDisabled]
        }
    }

    /// What the export is, for messages ("is not …").
    var exportDescription: String {
        switch self {
        case .firebase: return "a Firebase export (the JSON `firebase auth:export --format=json` writes)"
        case .auth0: return "an Auth0 user export (NDJSON or a JSON array)"
        case .clerk: return "a Clerk dashboard CSV export"
        case .cognito: return "an `aws cognito-idp list-users` JSON page"
        case .supabase: return "a CSV export of Supabase's auth.users table"
        }
    }

    /// How to get the right file, for messages.
    var exportHint: String {
        switch self {
        case .firebase: return "Export again with `firebase auth:export users.json --format=json`."
        case .auth0: return "Export again with an Auth0 user export job in JSON format."
        case .clerk: return "Download the CSV from the Clerk dashboard (Settings → User exports)."
        case .cognito:
            return "Save each page of `aws cognito-idp list-users --user-pool-id … --output json` to its own file."
        case .supabase: return "Export auth.users as CSV with a header (see docs/providers/supabase.md)."
        }
    }
}

/// A `convert` option that only some sources take (``ConvertSource/options``); the raw value is how the
/// command line spells it.
public enum ConvertOption: String, Sendable, CaseIterable, Comparable {
    case hashConfig = "--hash-config"
    case hashParameters = "--signer-key/--salt-separator/--rounds/--mem-cost"
    case passwords = "--passwords"
    case metadata = "--metadata"
    case orgFrom = "--org-from"
    case orgNameFrom = "--org-name-from"
    case allowUserMetadataOrg = "--allow-user-metadata-org"
    case metadataAttribute = "--metadata-attribute"
    case nameSplit = "--name-split"
    case includeDisabled = "--include-disabled"

    /// In declaration order, so messages list them the same way every time.
    public static func < (left: ConvertOption, right: ConvertOption) -> Bool {
        allCases.firstIndex(of: left)! < allCases.firstIndex(of: right)!
    }
}
