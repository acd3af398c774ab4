import ArgumentParser

struct EmulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "emulate")

    func run() async throws {
        throw ValidationError("not implemented yet")
    }
}
