import ArgumentParser
import Foundation
import ImportCore

/// What is written where.
struct OutputOptions: ParsableArguments {
    @Option(
        name: .customLong("errors-out"),
        help:
            "Write failed rows with reasons here: .csv, .jsonl, or JSON for any other ending. Example: --errors-out errors.csv"
    )
    var errorsOut: String?

    @Option(
        help: "Copy failed rows here in the input's own columns, to fix and import again. Example: --rejects fix-me.csv"
    )
    var rejects: String?

    @Flag(help: "No line per row; only the summary.")
    var quiet = false

    @Flag(help: "Print only one JSON summary object on stdout.")
    var json = false
}
