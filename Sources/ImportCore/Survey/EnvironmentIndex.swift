import Foundation
import SortedRecordFile
import WorkOSClient

/// What a survey learned of one user or membership.
public enum Knowledge<Value: Sendable>: Sendable {
    /// WorkOS holds it, as it was when the survey read it.
    case present(Value)
    /// The survey read the whole list, and it was not there.
    case absent
    /// The survey did not read that list to its end: ask WorkOS.
    case unknown
}

/// What exists in the environment, as ``EnvironmentSurvey`` read it: every user by email and by external id
/// (when the survey paged them all) and every membership of the organizations it paged, kept in ``SortedRecordFile``s on disk so a
/// million users cost no memory.
///
/// It answers for the moment of the survey only: a row that creates a user or a membership must not ask it
/// again about what it created.
public final class EnvironmentIndex: Sendable {
    /// Every user by email; nil when the survey did not read them all.
    let users: SortedRecordFile?
    /// The memberships of ``surveyedOrganizations``, by user and organization.
    let memberships: SortedRecordFile?
    /// The organizations whose memberships were read to the end.
    public let surveyedOrganizations: Set<String>

    init(users: SortedRecordFile?, memberships: SortedRecordFile?, surveyedOrganizations: Set<String>) {
        self.users = users
        self.memberships = memberships
        self.surveyedOrganizations = surveyedOrganizations
    }

    /// An index that knows nothing: every question is answered `.unknown`.
    public static let empty = EnvironmentIndex(users: nil, memberships: nil, surveyedOrganizations: [])

    /// Whether the survey read every user of the environment.
    public var knowsAllUsers: Bool { users != nil }

    /// The user with this email.
    public func user(email: String) -> Knowledge<WorkOSUser> {
        guard let users else { return .unknown }
        return Self.look(users, Self.userKey(email: email), as: WorkOSUser.self)
    }

    /// The user who holds this external id.
    public func user(externalId: String) -> Knowledge<WorkOSUser> {
        guard let users else { return .unknown }
        return Self.look(users, Self.userKey(externalId: externalId), as: WorkOSUser.self)
    }

    /// The user's membership of the organization, of any status.
    public func membership(userId: String, organizationId: String) -> Knowledge<WorkOSMembership> {
        guard let memberships, surveyedOrganizations.contains(organizationId) else { return .unknown }
        return Self.look(
            memberships, Self.membershipKey(userId: userId, organizationId: organizationId), as: WorkOSMembership.self)
    }

    /// Ends the index's lookups; its files, nameless since they were created, go with the index.
    public func close() {
        users?.close()
        memberships?.close()
    }

    static func userKey(email: String) -> RecordKey {
        RecordKey(hashing: "user\n" + email.lowercased())
    }

    static func userKey(externalId: String) -> RecordKey {
        RecordKey(hashing: "user-external-id\n" + externalId)
    }

    static func membershipKey(userId: String, organizationId: String) -> RecordKey {
        RecordKey(hashing: "membership\n" + userId + "\n" + organizationId)
    }

    /// A record that cannot be read or decoded is `.unknown`: WorkOS is asked instead.
    private static func look<Value: Decodable>(_ file: SortedRecordFile, _ key: RecordKey, as: Value.Type)
        -> Knowledge<Value>
    {
        let payload: [UInt8]?
        do {
            payload = try file.payload(for: key)
        } catch {
            return .unknown
        }
        guard let payload else { return .absent }
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(payload)) else { return .unknown }
        return .present(value)
    }
}
