import ImportCore
import Testing

@Suite("Idempotency keys")
struct JournalIdempotencyKeyTests {
    @Test("The key is stable for a row and operation, and differs otherwise")
    func stable() {
        let key = IdempotencyKey.make(runId: "run-1", record: 17, operation: "create-user")
        #expect(key == "wi-run-1-17-create-user")
        #expect(key == IdempotencyKey.make(runId: "run-1", record: 17, operation: "create-user"))
        #expect(key != IdempotencyKey.make(runId: "run-1", record: 18, operation: "create-user"))
        #expect(key != IdempotencyKey.make(runId: "run-1", record: 17, operation: "create-membership"))
        #expect(key != IdempotencyKey.make(runId: "run-2", record: 17, operation: "create-user"))
    }

    @Test(
        "Keys stay header-safe and at most 255 characters",
        arguments: ["create user\r\n", "é/ü", String(repeating: "x", count: 400)])
    func headerSafe(operation: String) {
        let key = IdempotencyKey.make(runId: "6f1c2f7e-0000-4000-8000-000000000001", record: 1, operation: operation)
        #expect(key.count <= 255)
        #expect(
            key.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
            })
    }
}
