/// The version and commit that `workos-import --version` reports.
///
/// Both come from `ReleaseStamp.swift`: `dev` and no commit for a build from source (which may hold
/// uncommitted changes, so a commit would be a guess); `scripts/release.sh` rewrites that file with the
/// release's version and the commit it builds, and puts it back afterwards.
enum BuildInfo {
    /// The line `--version` prints: `1.2.0 (commit 0123abc…)`, or `dev` for a build from source.
    static var versionLine: String {
        guard let commit else { return version }
        return "\(version) (commit \(commit))"
    }
}
