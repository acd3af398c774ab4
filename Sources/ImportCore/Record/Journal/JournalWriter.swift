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

/// Appends the progress of an import to its journal file, one JSON line per settled row.
///
/// Each line goes out in a single `write(2)` as soon as its row settles, so a killed process loses nothing it
/// recorded; after a power loss, at most the last second of lines is gone (the file is `fsync`ed at most once
/// a second, and at the end), and those rows are simply processed again on resume, which the pipeline makes
/// safe with Idempotency-Keys and existing-user checks. The file is created with mode 0600 and holds record
/// numbers and WorkOS ids only.
///
/// Safe to call from several tasks: lines are written under a lock, whole.
public final class JournalWriter: Sendable {
    /// The journal file.
    public let path: String
    /// Reads the monotonic clock that spaces out `fsync` calls; injected so tests control it.
    private let now: @Sendable () -> ContinuousClock.Instant
    /// The open file, locked while the run goes on (shared with the undo journal's writer).
    let log: LockedAppendLog
    /// The writer's bookkeeping.
    private let state: Mutex<State>

    /// The mutable part of the writer, guarded by the lock.
    private struct State {
        /// When the file was last flushed to disk.
        var lastSync: ContinuousClock.Instant
        /// Encodes each line.
        let encoder = JournalLine.makeEncoder()
    }

    /// The shortest time between two `fsync` calls made on the way (the final one is always made).
    public static let syncInterval: Duration = .seconds(1)

    /// Wraps an open descriptor.
    private init(path: String, descriptor: Int32, now: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.path = path
        self.now = now
        self.log = LockedAppendLog(path: path, lockedDescriptor: descriptor)
        self.state = Mutex(State(lastSync: now()))
    }

    /// Starts a new journal at `path`, replacing an earlier journal there, and writes its header.
    ///
    /// - Parameters:
    ///   - path: where the journal goes (`<csv path>.journal` unless `--journal` says otherwise).
    ///   - header: the run id, CSV fingerprint and settings of the import.
    ///   - now: the monotonic clock used to space out `fsync` calls.
    /// - Throws: `JournalError.notAJournal` when a file that is not a journal is in the way (it is left
    ///   untouched), `.permissionDenied` or `.writeFailed` when the file cannot be written.
    public static func create(
        path: String, header: JournalHeader, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) throws(JournalError) -> JournalWriter {
        try refuseToOverwriteForeignFile(path: path)
        // Opened without O_TRUNC: the file is only emptied once this process holds its lock, so a second run
        // started by mistake can never wipe the journal of the run that is still at work.
        let descriptor = try openLocked(path: path, flags: O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC)
        if ftruncate(descriptor, 0) != 0 {
            let code = errno
            close(descriptor)
            throw openError(path: path, code: code)
        }
        let writer = JournalWriter(path: path, descriptor: descriptor, now: now)
        try writer.write(.header(header, version: JournalHeader.currentVersion))
        try writer.flush()
        syncDirectory(of: path)
        return writer
    }

    /// Reopens an existing journal to continue it, and records that a new run resumed it.
    ///
    /// A last line cut short by a crash is removed first, so the next line starts on a line of its own.
    /// - Parameters:
    ///   - path: the journal that `JournalReplay.load` read.
    ///   - resumedAt: the wall-clock time written in the resume line.
    ///   - now: the monotonic clock used to space out `fsync` calls.
    public static func append(
        path: String, resumedAt: Date = Date(), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) throws(JournalError) -> JournalWriter {
        let descriptor = try openLocked(path: path, flags: O_RDWR | O_APPEND | O_CLOEXEC)
        do throws(JournalError) {
            try repairTail(descriptor: descriptor, path: path)
        } catch {
            close(descriptor)
            throw error
        }
        let writer = JournalWriter(path: path, descriptor: descriptor, now: now)
        try writer.write(.resume(at: resumedAt))
        try writer.flush()
        return writer
    }

    /// Records that a row's create is about to be sent, before it is sent (see ``JournalLine/sent(record:)``).
    public func recordSent(_ record: Int) throws(JournalError) {
        try write(.sent(record: record))
    }

    /// Records that a row's membership create or factor enrollment is about to be sent.
    public func recordSent(_ record: Int, step: SentStep) throws(JournalError) {
        try write(.stepSent(record: record, step: step))
    }

    /// Records that an organization is about to be created (see ``JournalLine/organizationSent(externalId:)``).
    public func recordOrganizationSent(externalId: String) throws(JournalError) {
        try write(.organizationSent(externalId: externalId))
    }

    /// Records that an organization this import had sent a create for is missing and is created again
    /// (see ``JournalLine/organizationMissing(externalId:)``).
    public func recordOrganizationMissing(externalId: String) throws(JournalError) {
        try write(.organizationMissing(externalId: externalId))
    }

    /// Records that an organization's update is about to be sent (see
    /// ``JournalLine/organizationUpdateSent(id:)``).
    public func recordOrganizationUpdateSent(id: String) throws(JournalError) {
        try write(.organizationUpdateSent(id: id))
    }

    /// Records a roles file's permission or role about to be sent, or landed (``AuthorizationEntry``).
    public func recordAuthorization(_ entry: AuthorizationEntry) throws(JournalError) {
        try write(.authorization(entry))
    }

    /// Records that an SSO connection is about to be created (see ``JournalLine/ssoSent(organizationId:externalId:)``).
    public func recordSSOSent(organizationId: String, externalId: String) throws(JournalError) {
        try write(.ssoSent(organizationId: organizationId, externalId: externalId))
    }

    /// Records WorkOS's answer to an SSO connection's create, and whether this import made it.
    public func recordSSOConnection(id: String, organizationId: String, externalId: String, created: Bool)
        throws(JournalError)
    {
        try write(.ssoConnection(id: id, organizationId: organizationId, externalId: externalId, created: created))
    }

    /// Records an organization this import updated.
    public func recordOrganizationUpdated(id: String) throws(JournalError) {
        try write(.organizationUpdated(id: id))
    }

    /// Records an organization this import created.
    public func recordOrganizationCreated(id: String, externalId: String) throws(JournalError) {
        try write(.organizationCreated(id: id, externalId: externalId))
    }

    /// Records the output files' sizes when a run opened them (see ``OutputCheckpoint``).
    public func recordCheckpoint(_ outputs: OutputCheckpoint) throws(JournalError) {
        try write(.checkpoint(outputs))
    }

    /// Whether another running import holds the journal at `path` (it is open and locked in that process).
    ///
    /// The lock is the kernel's (`flock`), released when the holding process ends however it ends, so a
    /// killed run never leaves a journal locked.
    public static func isInUse(path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return LockedAppendLog.lock(descriptor, patiently: true) != nil
    }

    /// Records a settled row. Call it once the row's outcome is final (after retries).
    public func record(_ entry: JournalEntry) throws(JournalError) {
        try write(.row(entry))
        let current = now()
        let due = state.withLock { $0.lastSync.duration(to: current) >= Self.syncInterval }
        if due { try flush() }
    }

    /// Forces everything written so far to disk.
    public func flush() throws(JournalError) {
        let current = now()
        do throws(FileCallError) {
            try log.sync()
        } catch {
            throw .writeFailed(path: path, reason: error.description)
        }
        state.withLock { $0.lastSync = current }
    }

    /// Ends the run: writes the end line, flushes and closes the file. Later calls do nothing.
    ///
    /// - Parameters:
    ///   - complete: true when every row of the file was processed (not interrupted); a complete journal
    ///     makes the next run start over instead of resuming.
    ///   - at: the wall-clock time written in the end line.
    public func finish(complete: Bool, counts: Counts? = nil, at: Date = Date()) throws(JournalError) {
        guard log.isOpen else { return }
        try write(.end(at: at, complete: complete, counts: counts))
        try flush()
        log.close()
    }

    /// Encodes a line and writes it, newline included, with one `write(2)` call (retried only if the
    /// system wrote part of it).
    private func write(_ line: JournalLine) throws(JournalError) {
        guard log.isOpen else { throw .writeFailed(path: path, reason: "the journal was already closed") }
        let encoded = state.withLock { state in Result { try state.encoder.encode(line) } }
        var bytes: Data
        switch encoded {
        case .success(let data): bytes = data
        case .failure(let error): throw .writeFailed(path: path, reason: "a line could not be encoded (\(error))")
        }
        bytes.append(UInt8(ascii: "\n"))
        do throws(LockedAppendLog.AppendError) {
            try log.append(bytes)
        } catch {
            switch error {
            case .closed: throw .writeFailed(path: path, reason: "the journal was already closed")
            case .failed(let failure): throw .writeFailed(path: path, reason: failure.description)
            }
        }
    }

    /// Whether bytes start like a journal header line (sorted keys put `csv` first).
    static func looksLikeHeader(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.starts(with: Array(#"{"csv":"#.utf8))
    }

    /// Throws `notAJournal` when `path` holds a non-empty file that does not start with a journal header,
    /// so a mistyped `--journal users.csv` can never truncate the user's data.
    private static func refuseToOverwriteForeignFile(path: String) throws(JournalError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT { return }
            throw openError(path: path, code: code)
        }
        defer { close(descriptor) }
        let start: [UInt8]
        do throws(FileCallError) {
            start = try FileIO.readBytes(descriptor, count: 16)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        guard !start.isEmpty else { return }
        if !looksLikeHeader(start[...]) { throw .notAJournal(path: path) }
    }

    /// Drops a last line cut short by a crash, or ends a complete last line that lost its newline.
    private static func repairTail(descriptor: Int32, path: String) throws(JournalError) {
        let size = lseek(descriptor, 0, SEEK_END)
        guard size > 0 else { return }
        let window = min(Int(size), 1 << 16)
        let tail: [UInt8]
        do throws(FileCallError) {
            tail = try FileIO.readBytes(descriptor, count: window, at: Int(size) - window)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        guard tail.count == window else { throw .unreadable(path: path, reason: SystemError.describe(EIO)) }
        guard tail.last != UInt8(ascii: "\n") else { return }
        let lineStart = (tail.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        let lastLine = tail[lineStart...]
        if (try? JournalLine.makeDecoder().decode(JournalLine.self, from: Data(lastLine))) != nil {
            do throws(FileCallError) {
                try FileIO.writeAll(descriptor, Data("\n".utf8))
            } catch {
                throw .writeFailed(path: path, reason: error.description)
            }
        } else if ftruncate(descriptor, size - off_t(window - lineStart)) != 0 {
            throw .writeFailed(path: path, reason: SystemError.describe(errno))
        }
    }

    /// Opens the journal, takes its lock (refusing when another run holds it), and makes sure it is a private
    /// regular file. The mode is set only on a regular file: a journal path that names a device or a folder
    /// is refused rather than changed.
    private static func openLocked(path: String, flags: Int32) throws(JournalError) -> Int32 {
        let descriptor: Int32
        do throws(FileCallError) {
            descriptor = try FileIO.open(path, flags)
        } catch {
            throw openError(path: path, code: error.code)
        }
        if let code = LockedAppendLog.lock(descriptor, patiently: true) {
            close(descriptor)
            if code == EWOULDBLOCK { throw .inUse(path: path) }
            throw openError(path: path, code: code)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw .notAJournal(path: path)
        }
        if fchmod(descriptor, 0o600) != 0 {
            let code = errno
            close(descriptor)
            throw openError(path: path, code: code)
        }
        return descriptor
    }

    /// Maps an `open`/`fchmod` failure to the error the user sees.
    private static func openError(path: String, code: Int32) -> JournalError {
        if SystemError.isPermission(code) { return .permissionDenied(path: path) }
        if code == ENOENT { return .unreadable(path: path, reason: "the file or its folder does not exist") }
        return .writeFailed(path: path, reason: SystemError.describe(code))
    }

    /// Flushes the folder entry of a new file, so the journal itself survives a power loss.
    private static func syncDirectory(of path: String) {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let descriptor = open(folder.isEmpty ? (path.hasPrefix("/") ? "/" : ".") : folder, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
