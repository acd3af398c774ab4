import ArgumentParser
import Foundation
import ImportCore

/// `--emulator`: the import's rehearsal target. Only the import takes it: `plan` and `verify` against an
/// emulator started for them alone would read an empty environment.
struct EmulatorOption: ParsableArguments {
    @Flag(help: "Import into a built-in WorkOS emulator started for this run, then show what it holds. No key needed.")
    var emulator = false
}
