/// What a run did to each kind of record, or would do: one set of counts for the import's summary, the
/// journal's `end` line, the plan and the dry run.
///
/// The counts mean the same thing everywhere; only the words differ. An import reports them as what
/// happened (`imported`, `membershipsCreated`), a plan and a dry run as what would happen (`usersToCreate`,
/// `membershipsToCreate`): ``Tense`` picks the JSON keys, which are the ones users script against.
///
/// Rows add up: `total == created + existing + updated + failed + notAttempted`.
public struct Counts: Sendable, Equatable {
    /// Data rows: in the file, or read before a stop for a plan.
    public var total = 0
    /// Users created (or to create).
    public var created = 0
    /// Users found in place and left as they were.
    public var existing = 0
    /// Users found in place and updated from their row (`--if-exists update`).
    public var updated = 0
    /// Memberships created, reactivated ones included.
    public var membershipsCreated = 0
    /// Memberships found in place and left as they were.
    public var membershipsExisting = 0
    /// Memberships whose roles were set to the row's (`--if-exists update`).
    public var membershipsUpdated = 0
    /// Organizations created (`--create-org-if-missing`, or a row's organization).
    public var organizationsCreated = 0
    /// TOTP factors enrolled.
    public var factorsEnrolled = 0
    /// Rows that failed.
    public var failed = 0
    /// Rows not attempted because a stop came first.
    public var notAttempted = 0

    public init() {}

    /// Users that were there before the run, updated ones included: the import's `alreadyExisted`.
    public var alreadyExisted: Int { existing + updated }

    /// Rows that ended well: created, found or updated.
    public var succeeded: Int { created + existing + updated }

    /// Whether every row is accounted for exactly once.
    public var addUp: Bool { total == succeeded + failed + notAttempted }

    /// Counts one row's user outcome; `sign` is -1 to take back a row counted before.
    public mutating func count(_ outcome: UserOutcome, sign: Int = 1) {
        switch outcome {
        case .imported: created += sign
        case .existed: existing += sign
        case .updated: updated += sign
        case .failed: failed += sign
        }
    }

    /// Counts one row's membership outcome.
    public mutating func count(_ membership: MembershipOutcome, sign: Int = 1) {
        switch membership {
        case .created, .reactivated: membershipsCreated += sign
        case .rolesUpdated: membershipsUpdated += sign
        case .existing: membershipsExisting += sign
        case .none: break
        }
    }

    /// Counts one row's factor outcome.
    public mutating func count(_ factor: FactorOutcome, sign: Int = 1) {
        if factor == .enrolled { factorsEnrolled += sign }
    }

    /// Counts a whole row: its user, membership and factor.
    public mutating func count(_ result: RowResult) {
        count(result.outcome)
        count(result.membership)
        count(result.factor)
        if result.organizationCreated { organizationsCreated += 1 }
    }
}

extension Counts {
    /// The words the counts are reported in.
    public enum Tense: Sendable {
        /// What an import did: `imported`, `alreadyExisted` (updated ones included), `membershipsCreated`.
        case happened
        /// What a plan predicts, against the environment it read: `usersToCreate`, `usersExisting`.
        case planned
        /// What a dry run can tell without reading WorkOS: `usersToCreate`, `repeatedEmails`.
        case checked
    }

    /// The published JSON keys and values for `tense`, in a fixed set: every key is written, zero or not.
    public func fields(_ tense: Tense) -> KeyValuePairs<String, Int> {
        switch tense {
        case .happened:
            return [
                "total": total, "imported": created, "alreadyExisted": alreadyExisted, "updated": updated,
                "failed": failed, "notAttempted": notAttempted, "membershipsCreated": membershipsCreated,
                "membershipsUpdated": membershipsUpdated, "organizationsCreated": organizationsCreated,
                "factorsEnrolled": factorsEnrolled,
            ]
        case .planned:
            return [
                "total": total, "usersToCreate": created, "usersExisting": existing, "usersToUpdate": updated,
                "organizationsToCreate": organizationsCreated, "membershipsToCreate": membershipsCreated,
                "membershipsExisting": membershipsExisting, "membershipsToUpdate": membershipsUpdated,
                "factorsToEnroll": factorsEnrolled, "failed": failed, "notAttempted": notAttempted,
            ]
        case .checked:
            return [
                "total": total, "usersToCreate": created, "repeatedEmails": existing,
                "membershipsToCreate": membershipsCreated, "factorsToEnroll": factorsEnrolled, "failed": failed,
            ]
        }
    }

    /// The counts as people read them, in the words of `tense`, in the order the summaries show them: the
    /// report page lists them all.
    public func labelled(_ tense: Tense) -> [(label: String, value: Int)] {
        switch tense {
        case .happened:
            return [
                ("Users created", created), ("Already existed", existing), ("Updated", updated),
                ("Memberships created", membershipsCreated), ("Memberships updated", membershipsUpdated),
                ("Organizations created", organizationsCreated), ("TOTP factors enrolled", factorsEnrolled),
                ("Failed rows", failed), ("Not attempted", notAttempted),
            ]
        case .planned:
            return [
                ("Users to create", created), ("Users already there", existing), ("Users to update", updated),
                ("Organizations to create", organizationsCreated), ("Memberships to create", membershipsCreated),
                ("Memberships already there", membershipsExisting), ("Memberships to update", membershipsUpdated),
                ("TOTP factors to enroll", factorsEnrolled), ("Rows that would fail", failed),
                ("Not planned", notAttempted),
            ]
        case .checked:
            return [
                ("Valid rows (users to create)", created), ("Rows repeating an email", existing),
                ("Memberships to create", membershipsCreated), ("TOTP factors to enroll", factorsEnrolled),
                ("Invalid rows", failed),
            ]
        }
    }

    /// Writes ``fields(_:)`` into a keyed container, for the summaries' `encode(to:)`.
    public func encode(_ tense: Tense, into container: inout KeyedEncodingContainer<JSONKey>) throws {
        for (key, value) in fields(tense) { try container.encode(value, forKey: JSONKey(key)) }
    }
}

/// The journal's `end` line carries the counts in the import's words; lines written before a count existed
/// lack its key, which reads as zero.
extension Counts: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: JSONKey.self)
        func value(_ key: String) throws -> Int { try container.decodeIfPresent(Int.self, forKey: JSONKey(key)) ?? 0 }
        self.init()
        total = try value("total")
        created = try value("imported")
        updated = try value("updated")
        existing = try value("alreadyExisted") - updated
        failed = try value("failed")
        notAttempted = try value("notAttempted")
        membershipsCreated = try value("membershipsCreated")
        membershipsUpdated = try value("membershipsUpdated")
        organizationsCreated = try value("organizationsCreated")
        factorsEnrolled = try value("factorsEnrolled")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try encode(.happened, into: &container)
    }
}

/// A JSON key named at run time, for formats whose key set depends on a value (``Counts/Tense``).
public struct JSONKey: CodingKey, Sendable {
    public let stringValue: String
    public var intValue: Int? { nil }

    public init(_ name: String) { stringValue = name }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}
