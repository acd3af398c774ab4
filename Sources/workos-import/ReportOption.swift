import ArgumentParser
import ImportCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `--report`: the run's HTML page, as `import`, `plan` and `verify` take it.
struct ReportOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Write a self-contained HTML page of the run here: target, file, counts, failures, field coverage, "
                + "and for an import writes and rows in flight over time. Example: --report run.html",
            valueName: "file"))
    var report: String?

    /// Refuses a page whose folder does not exist, or that is the input or another output, before anything runs.
    func validate(input: String, outputs: [(flag: String, path: String)]) throws {
        guard let report else { return }
        let slash = report.lastIndex(of: "/")
        let folder = slash.map { $0 == report.startIndex ? "/" : String(report[..<$0]) } ?? "."
        #if canImport(FoundationEssentials)
            var isFolder = false
            let exists = FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder)
        #else
            var folderFlag: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: folder, isDirectory: &folderFlag)
            let isFolder = folderFlag.boolValue
        #endif
        if !exists || !isFolder {
            throw ValidationError(
                "--report \(report): the folder \(folder) does not exist; create it, or choose a path in a folder "
                    + "that does.")
        }
        if let problem = OutputPaths.problem(input: input, outputs: outputs + [("--report", report)]) {
            throw ValidationError(problem)
        }
    }

    /// Writes the page when `--report` was given; `false` (and a sentence on `stderr`) when it could not be
    /// written, so the command ends with exit 2 after its summary.
    func write(_ page: () -> RunReport, stderr: any TextSink) -> Bool {
        guard let report else { return true }
        do {
            try ReportFile.write(page(), to: report)
            return true
        } catch {
            stderr.write(
                "error: \(error.description) The run itself is over and its summary is above; run the command "
                    + "again with another --report path for the page.\n")
            return false
        }
    }
}
