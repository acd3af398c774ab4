/// The layout of the `--errors-out` file, chosen by the file name's extension.
public enum ErrorFileFormat: String, Sendable, Equatable, CaseIterable {
    /// `.csv`: a header and one line per failure, for spreadsheets.
    case csv
    /// `.jsonl` or `.ndjson` (two names for JSON Lines): one JSON object per line, readable even if the
    /// run was cut short.
    case jsonLines
    /// Any other extension: one JSON array, closed when the run ends.
    case jsonArray

    /// The format the path's extension asks for (case-insensitive).
    public init(path: String) {
        let name = path.split(separator: "/").last.map(String.init)?.lowercased() ?? ""
        if name.hasSuffix(".csv") {
            self = .csv
        } else if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") {
            self = .jsonLines
        } else {
            self = .jsonArray
        }
    }
}
