/// How long the error file and the rejects file were after the last failure the journal recorded.
///
/// A failure is written to those files before its journal line, so a crash between the two leaves a record
/// in the files whose row the journal does not know is settled; the resumed run would report that row a
/// second time. Each failed row's journal line therefore carries the files' sizes after its records, and a
/// resume cuts the files back to the last recorded sizes before it goes on: every failed row of the whole
/// import ends up in each file exactly once.
public struct OutputCheckpoint: Codable, Sendable, Equatable {
    /// The error file's size in bytes, when there is an error file.
    public var errors: Int?
    /// The rejects file's size in bytes, when there is a rejects file.
    public var rejects: Int?

    /// Creates a checkpoint from the two files' sizes.
    public init(errors: Int?, rejects: Int?) {
        self.errors = errors
        self.rejects = rejects
    }

    /// Stable JSON keys, independent of property names.
    private enum CodingKeys: String, CodingKey {
        case errors
        case rejects
    }
}
