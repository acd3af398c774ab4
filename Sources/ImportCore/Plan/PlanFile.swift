import Foundation

/// What a plan predicts for one row, as `--out plan.csv` writes it.
public struct RowPrediction: Sendable, Equatable {
    public var line: Int
    public var email: String
    /// `create`, `existing`, `update`, or empty when the row fails before its user.
    public var user: String
    /// `create`, `existing`, or empty when the row has no organization.
    public var organization: String
    /// `create`, `reactivate`, `existing`, `update-roles`, or empty.
    public var membership: String
    /// `enroll`, `existing`, or empty.
    public var factor: String
    /// Under `--if-exists update`, the columns whose values would change, space-separated.
    public var changes: String
    /// Why the row would fail, or a remark on what it would find.
    public var reason: String
    public var fails: Bool

    static let header = ["line", "email", "user", "organization", "membership", "factor", "changes", "reason"]

    var fields: [String] {
        [String(line), email, user, organization, membership, factor, changes, reason]
    }

    init(result: RowResult, line: Int, email: String) {
        self.line = line
        self.email = email
        switch result.outcome {
        case .imported: user = "create"
        case .existed: user = "existing"
        case .updated: user = "update"
        case .failed: user = result.userCreated ? "create" : (result.userId != nil ? "existing" : "")
        }
        organization = result.organizationCreated ? "create" : (result.organizationId != nil ? "existing" : "")
        switch result.membership {
        case .none: membership = ""
        case .created: membership = "create"
        case .reactivated: membership = "reactivate"
        case .existing: membership = "existing"
        case .rolesUpdated: membership = "update-roles"
        }
        switch result.factor {
        case .none: factor = ""
        case .enrolled: factor = "enroll"
        case .existing: factor = "existing"
        }
        changes = result.changedFields.joined(separator: " ")
        reason = result.failure?.message ?? result.note ?? ""
        fails = result.failure != nil
    }
}

/// The plan's per-row file (`--out`, CSV, created 0600: it names users) and the counts the import's
/// summary does not keep.
final class PlanFile {
    private let fd: Int32?
    private let path: String
    /// Memberships the rows would find in place.
    private(set) var membershipsExisting = 0

    init(path: String?) throws(OutputFileError) {
        self.path = path ?? ""
        if let path {
            let fd = try SecureFile.open(path: path, append: false)
            self.fd = fd
            try SecureFile.write(CSVRowEncoder.line(RowPrediction.header), to: fd, path: path)
        } else {
            fd = nil
        }
    }

    func record(_ prediction: RowPrediction) throws(OutputFileError) {
        if prediction.membership == "existing", !prediction.fails { membershipsExisting += 1 }
        guard let fd else { return }
        try SecureFile.write(CSVRowEncoder.line(prediction.fields), to: fd, path: path)
    }

    func close() throws(OutputFileError) {
        if let fd { try SecureFile.close(fd, path: path) }
    }
}

extension PlanFile: OutcomeSink {
    /// Writes the row's prediction: a failed row's from what it did before failing.
    func take(_ row: SettledRow) throws(ImportError) {
        let prediction: RowPrediction
        switch row {
        case .failed(let failure, _, _, let effects):
            prediction = RowPrediction(
                result: effects ?? RowResult(failed: failure), line: failure.line, email: failure.email)
        case .succeeded(let result, let row):
            prediction = RowPrediction(result: result, line: row.line, email: row.email)
        }
        do { try record(prediction) } catch { throw .output(error) }
    }

    /// Closes the plan file.
    func finish() throws(ImportError) {
        do { try close() } catch { throw .output(error) }
    }
}
