import Foundation
import Testing

@testable import ImportCore

@Suite("Finding the secret key")
struct SecretKeySourceTests {
    @Test(
        ".env lines are read the way shells write them",
        arguments: [
            ("WORKOS_SECRET_KEY=sk_test_1", "sk_test_1"),
            ("export WORKOS_SECRET_KEY=sk_test_2", "sk_test_2"),
            ("WORKOS_SECRET_KEY=\"sk_test_3\"", "sk_test_3"),
            ("WORKOS_SECRET_KEY='sk_test_4'", "sk_test_4"),
            ("WORKOS_SECRET_KEY = sk_test_5 # comment", "sk_test_5"),
            ("# WORKOS_SECRET_KEY=commented\nWORKOS_SECRET_KEY=sk_test_6", "sk_test_6"),
        ])
    func dotEnvLines(text: String, expected: String) {
        #expect(DotEnv.parse(text)["WORKOS_SECRET_KEY"] == expected)
    }

    @Test("the environment wins over .env, and .env is used when the environment has none")
    func precedence() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let dotEnv = folder.appendingPathComponent(".env").path
        try "WORKOS_SECRET_KEY=sk_from_file\n".write(toFile: dotEnv, atomically: true, encoding: .utf8)

        let fromEnvironment = SecretKeySource.find(
            environment: ["WORKOS_SECRET_KEY": "sk_from_env"], dotEnvPath: dotEnv)
        #expect(fromEnvironment?.key == "sk_from_env")
        #expect(fromEnvironment?.origin == .environment)
        let fromFile = SecretKeySource.find(environment: [:], dotEnvPath: dotEnv)
        #expect(fromFile?.key == "sk_from_file")
        #expect(SecretKeySource.find(environment: ["WORKOS_SECRET_KEY": " "], dotEnvPath: "/nonexistent") == nil)
    }
}
