import Synchronization

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

/// The undo's own journal (`<import journal>.undo`, JSON Lines, 0600): one line per deletion done, so an
/// interrupted undo resumes where it stopped and a second undo deletes nothing.
///
/// ```
/// {"at":"…","runId":"…","type":"header"}
/// {"id":"user_…","kind":"user","type":"deleted"}
/// {"id":"om_…","kind":"membership","type":"deactivated"}
/// ```
/// A line is written, whole, after WorkOS confirmed the deletion (or a read confirmed the thing is gone), or
/// the deactivation of a membership the import had reactivated. A run killed between a request and its line
/// sends it again: a delete then finds the thing gone, a deactivation finds it inactive. Held under an exclusive
/// `flock` while an undo runs, so two undos never work on one journal.
public final class UndoJournal: Sendable {
    /// One line of the file.
    enum Line: Codable, Equatable {
        case header(runId: String, at: Date)
        case deleted(kind: UndoKind, id: String)
        case deactivated(kind: UndoKind, id: String)

        private enum CodingKeys: String, CodingKey {
            case type, runId, at, kind, id
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            switch try container.decode(String.self, forKey: .type) {
            case "header":
                self = .header(
                    runId: try container.decode(String.self, forKey: .runId),
                    at: try container.decode(Date.self, forKey: .at))
            case "deleted":
                self = .deleted(
                    kind: try container.decode(UndoKind.self, forKey: .kind),
                    id: try container.decode(String.self, forKey: .id))
            case "deactivated":
                self = .deactivated(
                    kind: try container.decode(UndoKind.self, forKey: .kind),
                    id: try container.decode(String.self, forKey: .id))
            case let other:
                throw DecodingError.dataCorruptedError(
                    forKey: .type, in: container, debugDescription: "unknown line type \(other)")
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .header(let runId, let at):
                try container.encode("header", forKey: .type)
                try container.encode(runId, forKey: .runId)
                try container.encode(at, forKey: .at)
            case .deleted(let kind, let id):
                try container.encode("deleted", forKey: .type)
                try container.encode(kind, forKey: .kind)
                try container.encode(id, forKey: .id)
            case .deactivated(let kind, let id):
                try container.encode("deactivated", forKey: .type)
                try container.encode(kind, forKey: .kind)
                try container.encode(id, forKey: .id)
            }
        }
    }

    /// The file.
    public let path: String
    /// What earlier undos of this import deleted (or deactivated).
    public let done: Set<UndoItem>
    /// The open file, locked while the undo goes on (shared with the import journal's writer).
    let log: LockedAppendLog
    private let encoder = Mutex(JournalLine.makeEncoder())

    private init(path: String, descriptor: Int32, done: Set<UndoItem>) {
        self.path = path
        self.log = LockedAppendLog(path: path, lockedDescriptor: descriptor)
        self.done = done
    }

    /// Closes the file and releases its lock, so another undo may open it; calling it again does nothing.
    /// Releasing the journal does the same, but only when its last reference goes, which a caller that opens
    /// the file again at once cannot wait for.
    public func close() {
        log.close()
    }

    /// Opens (or starts) the undo journal of the import `runId` at `path`, locked, and reads what earlier
    /// undos deleted. A last line cut short by a crash is ignored: its deletion is sent again.
    public static func open(path: String, runId: String, now: Date) throws(UndoError) -> UndoJournal {
        let descriptor: Int32
        do {
            descriptor = try SecureFile.openForAppend(path: path)
        } catch {
            throw .undoJournal(path: path, reason: error.description)
        }
        guard LockedAppendLog.lock(descriptor, patiently: false) == nil else {
            closeDescriptor(descriptor)
            throw .undoInUse(path: path)
        }
        let bytes: [UInt8]
        do {
            let size = try SecureFile.size(of: descriptor, path: path)
            bytes = try SecureFile.read(descriptor, at: 0, count: size, path: path)
        } catch {
            closeDescriptor(descriptor)
            throw .undoJournal(path: path, reason: error.description)
        }
        let decoder = JournalLine.makeDecoder()
        var done: Set<UndoItem> = []
        var header: String?
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() where !raw.isEmpty {
            guard let line = try? decoder.decode(Line.self, from: Data(raw)) else {
                if index == lines.count - 1 { break }
                closeDescriptor(descriptor)
                throw .undoJournal(path: path, reason: "line \(index + 1) is damaged")
            }
            switch line {
            case .header(let id, _):
                header = id
            case .deleted(let kind, let id), .deactivated(let kind, let id):
                done.insert(UndoItem(kind: kind, id: id))
            }
        }
        if let header, header != runId {
            closeDescriptor(descriptor)
            throw .undoJournalOfAnotherImport(path: path, runId: header)
        }
        let journal = UndoJournal(path: path, descriptor: descriptor, done: done)
        // A cut last line is ended first, so the next line starts on its own.
        if let last = bytes.last, last != UInt8(ascii: "\n") { try journal.writeRaw(Data("\n".utf8)) }
        if header == nil { try journal.write(.header(runId: runId, at: now)) }
        return journal
    }

    /// Records a deletion WorkOS confirmed.
    public func recordDeleted(_ item: UndoItem) throws(UndoError) {
        try write(.deleted(kind: item.kind, id: item.id))
    }

    /// Records a membership the import reactivated and WorkOS made inactive again.
    public func recordDeactivated(_ item: UndoItem) throws(UndoError) {
        try write(.deactivated(kind: item.kind, id: item.id))
    }

    private func write(_ line: Line) throws(UndoError) {
        var data: Data
        switch encoder.withLock({ encoder in Result { try encoder.encode(line) } }) {
        case .success(let encoded): data = encoded
        case .failure(let error): throw .undoJournal(path: path, reason: "a line could not be encoded (\(error))")
        }
        data.append(UInt8(ascii: "\n"))
        try writeRaw(data)
    }

    private func writeRaw(_ data: Data) throws(UndoError) {
        do throws(LockedAppendLog.AppendError) {
            try log.append(data)
        } catch {
            switch error {
            case .closed: throw .undoJournal(path: path, reason: SystemError.describe(EBADF))
            case .failed(let failure): throw .undoJournal(path: path, reason: failure.description)
            }
        }
    }
}

/// What an undo deletes.
public enum UndoKind: String, Sendable, Codable, CaseIterable {
    case user
    case membership
    case factor
    case organization
    /// A roles file's role (its id in the undo journal is its ``AuthorizationEntry/roleKey``).
    case role
    /// A roles file's permission (its id is its slug).
    case permission
    case connection
}

/// One thing an undo deletes or leaves: its kind and WorkOS id.
public struct UndoItem: Sendable, Hashable {
    public var kind: UndoKind
    public var id: String

    public init(kind: UndoKind, id: String) {
        self.kind = kind
        self.id = id
    }
}

/// `close(2)`, named apart from ``UndoJournal/close()``.
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
