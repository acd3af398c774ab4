import WorkOSClient

extension RequestRunner {
    /// A read for `verify`, with retries: nil when WorkOS answers 404, since a missing object is a difference
    /// to report, not a failure.
    func readUnlessMissing<Value: Sendable>(
        _ operation: @escaping @Sendable () async throws(WorkOSClientError) -> Value
    ) async throws(WorkOSClientError) -> Value? {
        switch await send(.generalOnly, operation) {
        case .success(let value), .settled(let value): return value
        case .failure(let error, _):
            if error.httpStatus == 404 { return nil }
            throw error
        }
    }
}

extension RowDrift {
    /// The verdicts on a file `verify` reads beside the users' (an organizations or a roles file), in line
    /// order: each row the file gets wrong as `invalid-row`, each other row as `check` reads it back. The
    /// `email` column holds the file's path, so these rows read apart from the users'.
    static func fileRows<Definition>(
        path: String, problems: [(line: Int, message: String)], definitions: [Definition],
        check: (Definition) async -> RowDrift
    ) async -> [RowDrift] {
        var drifts = problems.map {
            RowDrift(
                line: $0.line, email: path,
                differences: [Difference(kind: "invalid-row", expected: "", found: $0.message)])
        }
        for definition in definitions { drifts.append(await check(definition)) }
        return drifts.sorted { $0.line < $1.line }
    }
}
