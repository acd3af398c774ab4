import ArgumentParser

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate")

    func run() async throws {
        throw ValidationError("not implemented yet")
    }
}
