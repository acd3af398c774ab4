import Foundation

/// Writes `--skipped`: one JSON line for every user that was skipped, converted without a password, or
/// converted with something left behind, so no user is dropped silently.
///
/// Each line is `{"email":…,"outcome":…,"position":…,"reason":…,"source":…,"sourceId":…}` with sorted
/// keys. `outcome` is `skipped` (not in the CSV), `converted_without_password` (in the CSV, no password
/// hash: the user must reset it) or `converted_with_losses` (in the CSV, some field not carried);
/// `reason` is every reason for the user, joined with "; ". Nothing secret is ever written: no hash, no
/// salt, no TOTP secret. The file is 0600, since it holds addresses.
public final class SkippedRecordWriter {
    /// One line of the file.
    public struct Line: Codable, Sendable, Equatable {
        /// The address in the export, if any.
        public var email: String?
        /// `skipped`, `converted_without_password` or `converted_with_losses`.
        public var outcome: String
        /// Where the user is in the input.
        public var position: String
        /// Why, in words.
        public var reason: String
        /// The provider.
        public var source: String
        /// The user's id in the source, if any.
        public var sourceId: String?

        enum CodingKeys: String, CodingKey {
            case email, outcome, position, reason, source, sourceId
        }
    }

    private let path: String
    private let descriptor: Int32
    private var closed = false
    private var pending: [UInt8] = []
    private let encoder = DeterministicJSON.makeEncoder()

    /// Creates (or replaces) the file.
    public convenience init(path: String) throws(OutputFileError) {
        self.init(descriptor: try SecureFile.open(path: path, append: false), path: path)
    }

    /// Writes to an open `descriptor` (which it closes); `path` names the file in error messages.
    init(descriptor: Int32, path: String) {
        self.path = path
        self.descriptor = descriptor
    }

    /// The line for an outcome, or `nil` when the user was converted whole.
    public static func line(for outcome: ConversionOutcome, source: ConvertSource) -> Line? {
        let kind: String
        let reasons: [ConversionReason]
        switch outcome.result {
        case .skipped(let reason):
            kind = "skipped"
            reasons = [reason]
        case .converted(_, let withoutPassword, let losses):
            if let withoutPassword {
                kind = "converted_without_password"
                reasons = [withoutPassword] + losses
            } else if !losses.isEmpty {
                kind = "converted_with_losses"
                reasons = losses
            } else {
                return nil
            }
        }
        return Line(
            email: outcome.email, outcome: kind, position: outcome.position.description,
            reason: reasons.map(\.text).joined(separator: "; "), source: source.rawValue, sourceId: outcome.sourceId)
    }

    /// Writes one line (gathered in a buffer, written in large pieces and on ``close()``).
    public func write(_ line: Line) throws(OutputFileError) {
        guard let data = try? encoder.encode(line) else { return }
        pending.append(contentsOf: data)
        pending.append(0x0A)
        if pending.count >= ConvertedCSVWriter.flushThreshold { try flush() }
    }

    private func flush() throws(OutputFileError) {
        let code = pending.withUnsafeBufferPointer { SecureFile.writeAll($0, to: descriptor) }
        if let code { throw .cannotWrite(path: path, code: code) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Closes the file.
    public func close() throws(OutputFileError) {
        guard !closed else { return }
        closed = true
        try flush()
        try SecureFile.close(descriptor, path: path)
    }

    deinit {
        if !closed { _ = try? SecureFile.close(descriptor, path: path) }
    }
}
