import ImportCore
import Testing

@Suite("Retryable HTTP answers")
struct RetryableFailureTests {
    @Test(
        "429, 408 and 5xx are retried; other answers are final",
        arguments: [
            (429, RetryableFailure?.some(.rateLimited(retryAfter: .seconds(2)))),
            (408, .timeout),
            (500, .serverError(status: 500)),
            (503, .serverError(status: 503)),
            (599, .serverError(status: 599)),
            (200, nil),
            (400, nil),
            (401, nil),
            (404, nil),
            (409, nil),
            (422, nil),
        ])
    func classify(status: Int, expected: RetryableFailure?) {
        #expect(RetryableFailure(status: status, retryAfter: .seconds(2)) == expected)
    }
}
