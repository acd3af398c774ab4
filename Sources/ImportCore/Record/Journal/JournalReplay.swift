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

/// Rebuilds a `JournalState` from a journal file, streaming it line by line.
///
/// The last line may be cut short or garbled (the process died, or the machine lost power, in the middle of
/// a write): it is ignored, and its row, having no complete line, counts as unsettled and is processed again.
/// A bad line anywhere else means the file was damaged or edited, and the journal is refused.
public enum JournalReplay {
    /// The largest record number a journal line may carry; anything above is treated as damage rather than
    /// allocating a gigantic bitset.
    static let maxRecord = 1 << 32

    /// Reads the journal at `path`.
    /// - Returns: the replayed state, or nil when there is no journal yet (no file, an empty file, or a file
    ///   whose only line, the header, was cut short by a crash right after it was created).
    /// - Throws: `JournalError` when the file cannot be read, is not a journal, is damaged before its last
    ///   line, or was written by a newer version.
    public static func load(path: String) throws(JournalError) -> JournalState? {
        let descriptor: Int32
        do throws(FileCallError) {
            descriptor = try FileIO.open(path, O_RDONLY | O_CLOEXEC)
        } catch {
            let code = error.code
            if code == ENOENT { return nil }
            if SystemError.isPermission(code) { throw .permissionDenied(path: path) }
            throw .unreadable(path: path, reason: SystemError.describe(code))
        }
        defer { close(descriptor) }
        var replayer = Replayer(path: path)
        var pending: [UInt8] = []
        let chunkSize = 1 << 20
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let read = chunk.withUnsafeMutableBytes { buffer in
                Result { () throws(FileCallError) in try FileIO.read(descriptor, into: buffer) }
            }
            let count: Int
            switch read {
            case .success(let got): count = got
            case .failure(let error): throw .unreadable(path: path, reason: error.description)
            }
            if count == 0 { break }
            var start = 0
            for index in 0..<count where chunk[index] == UInt8(ascii: "\n") {
                if pending.isEmpty {
                    try replayer.consume(chunk[start..<index])
                } else {
                    pending.append(contentsOf: chunk[start..<index])
                    try replayer.consume(pending[...])
                    pending.removeAll(keepingCapacity: true)
                }
                start = index + 1
            }
            pending.append(contentsOf: chunk[start..<count])
        }
        if !pending.isEmpty {
            try replayer.consume(pending[...])
        }
        return try replayer.finish()
    }
}

/// The line-by-line state of one replay.
private struct Replayer {
    /// The journal path, for error messages.
    let path: String
    /// The state built so far; nil until the header is read.
    var state: JournalState?
    /// The number of the line being read (1-based).
    var lineNumber = 0
    /// A line that could not be read; harmless if no other line follows it.
    var badLine: (number: Int, bytes: [UInt8])?
    /// Decodes each line.
    let decoder = JournalLine.makeDecoder()

    /// Creates a replayer for the journal at `path`.
    init(path: String) {
        self.path = path
    }

    /// Reads one line (without its newline). A complete last line without its newline (the write was cut
    /// just before it) is still a good line.
    mutating func consume(_ bytes: ArraySlice<UInt8>) throws(JournalError) {
        lineNumber += 1
        if bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { return }
        if let bad = badLine {
            // A line follows the unreadable one, so it was not the last: the file is damaged.
            if bad.number == 1 { throw .notAJournal(path: path) }
            throw .corrupt(path: path, line: bad.number)
        }
        guard state != nil else {
            try readHeader(bytes)
            return
        }
        let decoded: JournalLine? =
            if let entry = JournalLine.fastRow(bytes) {
                .row(entry)
            } else if let record = JournalLine.fastSent(bytes) {
                .sent(record: record)
            } else {
                try? decoder.decode(JournalLine.self, from: Data(bytes))
            }
        guard let line = decoded else {
            badLine = (lineNumber, Array(bytes))
            return
        }
        apply(line, bytes: bytes)
    }

    /// Applies one decoded line to the state; a line out of range is kept as the bad line.
    private mutating func apply(_ line: JournalLine, bytes: ArraySlice<UInt8>) {
        // `state!` mutates in place; copying the state out and back would copy its storage on every line.
        switch line {
        case .header:
            badLine = (lineNumber, Array(bytes))
        case .row(let entry):
            guard entry.record >= 0, entry.record <= JournalReplay.maxRecord else {
                badLine = (lineNumber, Array(bytes))
                return
            }
            state!.apply(entry)
        case .sent(let record):
            guard record >= 0, record <= JournalReplay.maxRecord else {
                badLine = (lineNumber, Array(bytes))
                return
            }
            state!.sent.insert(record)
        case .stepSent(let record, let step):
            guard record >= 0, record <= JournalReplay.maxRecord else {
                badLine = (lineNumber, Array(bytes))
                return
            }
            switch step {
            case .membership: state!.membershipsSent.insert(record)
            case .factor: state!.factorsSent.insert(record)
            }
        case .organizationSent(let externalId):
            state!.organizationsSent.insert(externalId)
        case .organizationCreated(_, let externalId):
            state!.organizationsCreated.insert(externalId)
        case .organizationMissing(let externalId):
            state!.organizationsCreated.remove(externalId)
        case .organizationUpdateSent(let id):
            state!.organizationUpdatesSent.insert(id)
        case .organizationUpdated(let id):
            state!.organizationsUpdated.insert(id)
        case .authorization(let entry):
            state!.authorization.apply(entry)
        case .ssoSent:
            break
        case .ssoConnection(let id, _, _, let created):
            if created { state!.ssoConnectionsCreated.insert(id) } else { state!.ssoConnectionsCreated.remove(id) }
        case .checkpoint(let outputs):
            state!.outputs = outputs
        case .resume:
            state!.resumeCount += 1
            state!.isComplete = false
        case .end(_, let complete, _):
            state!.isComplete = complete
        case .unknown:
            break
        }
    }

    /// Reads the first line, which must be a header this version understands.
    private mutating func readHeader(_ bytes: ArraySlice<UInt8>) throws(JournalError) {
        struct Probe: Decodable {
            let type: String
            let version: Int?
        }
        guard let probe = try? decoder.decode(Probe.self, from: Data(bytes)), probe.type == "header" else {
            badLine = (lineNumber, Array(bytes))
            return
        }
        if let version = probe.version, version > JournalHeader.currentVersion {
            throw .newerVersion(path: path, version: version)
        }
        guard let line = try? decoder.decode(JournalLine.self, from: Data(bytes)), case .header(let header, _) = line
        else {
            badLine = (lineNumber, Array(bytes))
            return
        }
        state = JournalState(header: header)
    }

    /// Ends the replay, deciding what a trailing unreadable line means.
    func finish() throws(JournalError) -> JournalState? {
        if let state { return state }
        guard let bad = badLine else { return nil }
        // Only the header, cut short right after the journal was created: no row was ever settled.
        if bad.number == 1, JournalWriter.looksLikeHeader(bad.bytes[...]) { return nil }
        throw .notAJournal(path: path)
    }
}
