/// Failed rows counted by reason (``RowFailure/reasonText``), with the first line of each, for a summary a
/// person can act on: `412 rows: metadata is invalid JSON, first at line 17`.
///
/// Memory stays bounded whatever the file: at most ``maximumReasons`` reasons are told apart, and rows of
/// any further reason are counted under ``otherReasons``.
public struct FailureTally: Sendable, Equatable {
    /// The rows that failed for one reason.
    public struct Group: Sendable, Equatable {
        /// The failure's kind, without any row's own details.
        public var reason: String
        /// Rows that failed for it.
        public var count: Int
        /// The first (lowest) line that failed for it; `nil` when only rows whose line the journal did not
        /// record failed for it.
        public var firstLine: Int?
        /// The reason as it read on ``firstLine``, with that row's numbers (`expected 5 fields, found 4`)
        /// where ``reason`` has `N`s; `nil` when the reason has none, or the first row is from an earlier run.
        public var example: String?

        /// Describes one group.
        public init(reason: String, count: Int, firstLine: Int?, example: String? = nil) {
            self.reason = reason
            self.count = count
            self.firstLine = firstLine
            self.example = example
        }
    }

    /// How many reasons are told apart.
    public static let maximumReasons = 100
    /// The reason that collects the rows of every reason past ``maximumReasons``.
    public static let otherReasons = "other reasons (more kinds than the summary tells apart)"

    /// The groups in the order their reasons first came; a group whose rows were all taken back has count 0.
    private var groups: [Group] = []
    private var indexOf: [String: Int] = [:]

    /// No failures.
    public init() {}

    /// Counts `count` rows failed for `reason`, the first of them at `line`, where it read as `example`;
    /// returns the group's index, for ``remove(from:)``.
    @discardableResult
    public mutating func add(reason: String, line: Int?, count: Int = 1, example: String? = nil) -> Int {
        let index: Int
        if let known = indexOf[reason] {
            index = known
        } else if groups.count < Self.maximumReasons {
            index = groups.count
            groups.append(Group(reason: reason, count: 0, firstLine: nil))
            indexOf[reason] = index
        } else if let other = indexOf[Self.otherReasons] {
            index = other
        } else {
            index = groups.count
            groups.append(Group(reason: Self.otherReasons, count: 0, firstLine: nil))
            indexOf[Self.otherReasons] = index
        }
        groups[index].count += count
        if let line, groups[index].firstLine.map({ line < $0 }) ?? true {
            groups[index].firstLine = line
            // The rows past the reasons told apart have reasons of their own: no one example stands for them.
            groups[index].example = groups[index].reason == reason ? example : nil
        }
        return index
    }

    /// Takes one row back from the group at `index` (a journal row settled again). Its first line stays.
    public mutating func remove(from index: Int) {
        guard groups.indices.contains(index), groups[index].count > 0 else { return }
        groups[index].count -= 1
    }

    /// Adds every group of `other`.
    public mutating func add(_ other: FailureTally) {
        for group in other.groups where group.count > 0 {
            add(reason: group.reason, line: group.firstLine, count: group.count, example: group.example)
        }
    }

    /// Rows counted, all reasons together.
    public var total: Int { groups.reduce(0) { $0 + $1.count } }

    /// The groups with rows, most rows first, then by first line (unknown lines last), then by reason.
    public var sorted: [Group] {
        groups.filter { $0.count > 0 }.sorted { left, right in
            if left.count != right.count { return left.count > right.count }
            if left.firstLine != right.firstLine { return (left.firstLine ?? .max) < (right.firstLine ?? .max) }
            return left.reason < right.reason
        }
    }
}
