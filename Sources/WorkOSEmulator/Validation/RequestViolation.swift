/// A request strict mode found outside WorkOS's OpenAPI spec: a route the API does not have, a query
/// parameter or body field it does not take, a value of the wrong type or outside its enum.
///
/// Each one is a request WorkOS would refuse (or, for an unknown query parameter, one whose answer it does
/// not document), so the test suites fail on any: a client that passes them against the emulator sends
/// only what the spec allows.
public struct RequestViolation: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The request's method, `GET`, `POST`...
    public var method: String
    /// The route's template as the emulator serves it (`/user_management/users/{id}`), or the path as sent
    /// when no route matched.
    public var path: String
    /// What was wrong, in the words of the emulator's 422 answers.
    public var problem: String
    /// Whether WorkOS refuses a request for it, and strict mode with it (422, or 404 for a route WorkOS does
    /// not have); false for a problem a route answers with its own code (`invalid_metadata`) and for an
    /// unknown query parameter, which are recorded and then answered as without strict mode.
    public var refused: Bool

    /// A violation with every value given.
    public init(method: String, path: String, problem: String, refused: Bool) {
        self.method = method
        self.path = path
        self.problem = problem
        self.refused = refused
    }

    /// `POST /user_management/users: Unknown field 'x'. Remove it from the request body.`
    public var description: String {
        "\(method) \(path): \(problem)"
    }

    private enum CodingKeys: String, CodingKey {
        case method, path, problem, refused
    }
}

/// The violations strict mode recorded: the first ``limit`` kept, and how many there were in all, so a
/// long run that sends one bad request per row cannot fill the memory.
public struct ViolationLog: Codable, Sendable, Equatable {
    /// How many violations are kept.
    public static let limit = 1_000

    /// The first violations, in the order they were found.
    public private(set) var violations: [RequestViolation] = []
    /// How many violations were found, kept or not.
    public private(set) var count = 0

    /// An empty log.
    public init() {}

    /// Adds `more`, keeping the first ``limit``.
    mutating func append(_ more: [RequestViolation]) {
        count += more.count
        violations += more.prefix(max(0, Self.limit - violations.count))
    }

    private enum CodingKeys: String, CodingKey {
        case violations, count
    }
}
