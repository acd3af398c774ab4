// scripts/release.sh rewrites this file for the build of a release and restores it afterwards.
extension BuildInfo {
    /// The release's version; `dev` for a build from source.
    static let version = "dev"

    /// The commit a release was built from; nil for a build from source.
    static let commit: String? = nil
}
