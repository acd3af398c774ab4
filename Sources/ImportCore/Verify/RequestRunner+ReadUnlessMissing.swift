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
