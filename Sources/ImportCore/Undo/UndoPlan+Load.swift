#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension UndoPlan {
    /// Reads the import journal at `path` into a plan.
    ///
    /// A last line cut short by a crash is ignored (its row never settled, and a resumed import would redo
    /// it); a bad line anywhere else means the journal was damaged, and nothing is deleted.
    public static func load(path: String) throws(UndoError) -> UndoPlan {
        guard FileManager.default.fileExists(atPath: path) else { throw .journalMissing(path: path) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = ((error as? CocoaError)?.underlying as? POSIXError).map {
                SystemError.describe($0.code.rawValue)
            }
            throw .journal(.unreadable(path: path, reason: reason ?? "\(error)"))
        }
        let decoder = JournalLine.makeDecoder()
        var builder = Builder()
        let bytes = [UInt8](data)
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var sawHeader = false
        for (index, raw) in lines.enumerated() where !raw.isEmpty {
            let line: JournalLine? =
                if let entry = JournalLine.fastRow(raw) {
                    .row(entry)
                } else if let record = JournalLine.fastSent(raw) {
                    .sent(record: record)
                } else {
                    try? decoder.decode(JournalLine.self, from: Data(raw))
                }
            guard let line, sawHeader || isHeader(line) else {
                if index == lines.count - 1, sawHeader { break }
                throw .journal(index == 0 ? .notAJournal(path: path) : .corrupt(path: path, line: index + 1))
            }
            if case .header(_, let version) = line, version > JournalHeader.currentVersion {
                throw .journal(.newerVersion(path: path, version: version))
            }
            sawHeader = true
            builder.add(line)
        }
        guard let plan = builder.finish() else { throw .journal(.notAJournal(path: path)) }
        return plan
    }

    private static func isHeader(_ line: JournalLine) -> Bool {
        if case .header = line { return true }
        return false
    }
}
