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

    @Test(
        "spaces, tabs and line breaks around the key are dropped, in the environment and in .env alike",
        arguments: ["\r", "\n", "\r\n", " ", "\t", " \t\r\n"])
    func surroundingWhitespace(around: String) throws {
        let found = try SecretKeySource.read(
            environment: ["WORKOS_SECRET_KEY": around + "sk_test_trim" + around], dotEnvPath: "/nonexistent")
        #expect(found.key == "sk_test_trim")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let dotEnv = folder.appendingPathComponent(".env").path
        // Unquoted, as a .env saved on Windows has it: the line ends in a carriage return before its newline.
        try ("WORKOS_SECRET_KEY=sk_test_file" + around + "\n").write(
            toFile: dotEnv, atomically: true, encoding: .utf8)
        #expect(try SecretKeySource.read(environment: [:], dotEnvPath: dotEnv).key == "sk_test_file")
    }

    @Test(
        "a key with a character no header can carry inside it is refused, naming the character, never the key",
        arguments: [
            ("\u{01}", "a control character (U+0001)"), (" ", "a space"), ("\t", "a tab"), ("\r", "a carriage return"),
            ("\n", "a line feed"), ("\u{7F}", "a control character (U+007F)"),
            ("é", "a character that is not plain ASCII"),
        ])
    func characterInside(inside: String, named: String) {
        let key = "sk_test_front" + inside + "back_part"
        #expect {
            try SecretKeySource.read(environment: ["WORKOS_SECRET_KEY": key], dotEnvPath: "/nonexistent")
        } throws: { error in
            guard let problem = error as? SecretKeyProblem else { return false }
            let text = problem.description
            return problem == .unusable(origin: .environment, character: named, position: 14)
                && text.contains("WORKOS_SECRET_KEY in the environment has \(named) inside it (character 14)")
                && !text.contains("sk_test_front") && !text.contains("back_part")
        }
        #expect(throws: SecretKeyProblem.missing) {
            try SecretKeySource.read(environment: [:], dotEnvPath: "/nonexistent")
        }
    }
}
