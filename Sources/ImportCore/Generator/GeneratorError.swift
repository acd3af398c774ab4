/// Why ``UserFileGenerator`` could not write its file; each description says how to fix it.
public enum GeneratorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The count was negative.
    case invalidCount(Int)
    /// The number of organizations was below 1.
    case invalidOrganizationCount(Int)
    /// Memberships per user below 1, or more than there are organizations.
    case invalidMembershipsPerUser(Int, orgs: Int)
    /// A role slug that is empty or holds a space or comma.
    case invalidRoleSlug(String)
    /// The output file could not be created; `reason` is the system's message.
    case cannotCreate(path: String, reason: String)
    /// Writing failed part way; `reason` is the system's message.
    case writeFailed(path: String, reason: String)

    /// One sentence for the user: what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .invalidCount(let count):
            return "The row count \(count) is negative; pass 0 or more."
        case .invalidOrganizationCount(let count):
            return "--orgs \(count) is not allowed; pass 1 or more organizations."
        case .invalidMembershipsPerUser(let count, let orgs):
            return count < 1
                ? "--memberships-per-user \(count) is not allowed; pass 1 or more."
                : "--memberships-per-user \(count) needs at least \(count) organizations; pass --orgs \(count) or more (now \(orgs))."
        case .invalidRoleSlug(let slug):
            return
                "The role slug '\(slug)' is empty or holds a space or comma; pass slugs such as --roles admin,member."
        case .cannotCreate(let path, let reason):
            return "Cannot create \(path) (\(reason)); check that the folder exists and is writable."
        case .writeFailed(let path, let reason):
            return "Writing \(path) failed (\(reason)); check the free disk space and try again."
        }
    }
}
