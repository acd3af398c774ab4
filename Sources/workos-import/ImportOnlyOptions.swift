import ArgumentParser
import Foundation
import ImportCore

/// What only the import has: the dry run, the stop when rows keep failing, and the journal that makes a run
/// resumable. `plan` and `verify` write nothing and keep no journal, so they do not take these.
struct ImportOnlyOptions: ParsableArguments {
    @Option(
        name: .customLong("max-failures"), parsing: .unconditional,
        help:
            "Stop (resumably) once this many rows of the run have failed, or 'off'. By default the run stops after 100 rows in a row fail at WorkOS. Example: --max-failures 500"
    )
    var maxFailures: MaxFailuresOption = .default

    @Flag(name: .customLong("dry-run"), help: "Check every row and show what would happen; call nothing, need no key.")
    var dryRun = false

    @Option(
        help:
            "The journal that makes a run resumable (default: the CSV path plus .journal). Example: --journal run.journal"
    )
    var journal: String?

    @Flag(help: "Ignore an unfinished journal and start the import over.")
    var restart = false

    func validate() throws {
        if case .total(let count) = maxFailures.limit, count < 1 {
            throw ValidationError("--max-failures must be a number of rows of at least 1, or 'off'; got \(count).")
        }
    }
}

/// `--max-failures`: a number of failed rows, or `off`; absent means the default consecutive-failure stop.
struct MaxFailuresOption: ExpressibleByArgument, Equatable {
    var limit: FailureLimit

    static let `default` = MaxFailuresOption(limit: .default)

    init(limit: FailureLimit) {
        self.limit = limit
    }

    init?(argument: String) {
        if argument.lowercased() == "off" {
            limit = .off
        } else if let count = Int(argument) {
            limit = .total(count)
        } else {
            return nil
        }
    }

    var defaultValueDescription: String { "100 failed rows in a row" }
}
