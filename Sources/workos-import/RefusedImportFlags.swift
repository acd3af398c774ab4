import ArgumentParser

/// The import's flags that `plan` and `verify` do not take, each refused with what to do instead.
struct RefusedImportFlags: ParsableArguments {
    @Flag(name: .customLong("dry-run")) var dryRun = false
    @Option(name: .customLong("journal")) var journal: String?
    @Flag(name: .customLong("restart")) var restart = false
    @Option(name: .customLong("max-failures")) var maxFailures: String?
    @Option(name: .customLong("errors-out")) var errorsOut: String?
    @Option(name: .customLong("rejects")) var rejects: String?
    @Flag(name: .customLong("emulator")) var emulator = false

    /// The sentence for the first import flag given to `command`, or `nil` when none was.
    func problem(command: String) -> String? {
        if dryRun { return "\(command) writes nothing already; drop --dry-run." }
        if journal != nil || restart { return "\(command) keeps no journal; drop --journal and --restart." }
        if maxFailures != nil { return "\(command) does not stop when rows would fail; drop --max-failures." }
        if errorsOut != nil || rejects != nil {
            return "\(command) writes its rows with --out; drop --errors-out and --rejects."
        }
        if emulator {
            return "\(command) --emulator would read an emulator started for this command alone, which holds "
                + "nothing, so every row would read as new. Start one with workos-import emulate, import into it "
                + "with --base-url, then run \(command) with the same --base-url."
        }
        return nil
    }
}
