#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension FieldCoverage {
    /// The table for a person, e.g.
    /// ```
    /// Field coverage (2,000 users):
    ///   first_name              1,990  99%
    ///   password (plaintext)        0   0%  ← most users lack it
    /// ```
    public var table: String {
        guard users > 0 else { return "Field coverage: no \(noun)s.\n" }
        let rows = self.rows
        let nameWidth = TextColumns.width(of: rows.map(\.field.name))
        let countWidth = TextColumns.width(of: rows.map { ReportText.grouped($0.count) })
        var text = "Field coverage (\(ReportText.grouped(users)) \(noun)\(users == 1 ? "" : "s")):\n"
        for (field, count) in rows {
            text += "  \(TextColumns.left(field.name, width: nameWidth))"
            text += "  \(TextColumns.right(ReportText.grouped(count), width: countWidth))"
            text += "  \(TextColumns.right("\(count * 100 / users)%", width: 4))"
            text += isThin(count) ? "  ← most users lack it\n" : "\n"
        }
        return text
    }

    /// The `coverage` object of `--json`:
    /// `{"fields":[{"count":1990,"field":"first_name","thin":false},…],"users":2000}`.
    public var json: String {
        SummaryFormatter.encode(CoverageJSON(self))
    }
}

/// The `coverage` object's shape, with explicit keys.
struct CoverageJSON: Encodable {
    struct Entry: Encodable {
        let field: String
        let count: Int
        let thin: Bool

        enum CodingKeys: String, CodingKey {
            case field, count, thin
        }
    }

    let users: Int
    let fields: [Entry]

    enum CodingKeys: String, CodingKey {
        case users, fields
    }

    init(_ coverage: FieldCoverage) {
        users = coverage.users
        fields = coverage.rows.map { Entry(field: $0.field.name, count: $0.count, thin: coverage.isThin($0.count)) }
    }
}
