import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An append-only file held under an exclusive `flock` for as long as it is open: the one writer of the
/// import journal and of the undo journal, so a fix to how either takes, writes or lets go of its file
/// reaches both.
///
/// Each ``append(_:)`` goes out whole under the lock, so lines from several tasks never mix. The kernel
/// releases the `flock` when the holding process ends however it ends, so a killed run never leaves the
/// file locked.
final class LockedAppendLog: Sendable {
    /// Why an append did not happen.
    enum AppendError: Error, Equatable {
        /// ``close()`` was called before.
        case closed
        /// The write failed.
        case failed(FileCallError)
    }

    /// The file, for messages.
    let path: String
    /// The open file, holding the lock; -1 once closed.
    private let descriptor: Mutex<Int32>

    /// Takes over `descriptor`, which ``lock(_:patiently:)`` has locked; the log closes it.
    init(path: String, lockedDescriptor descriptor: Int32) {
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    deinit { close() }

    /// Takes the exclusive lock on `descriptor`, and returns `nil`, or the `errno` that refused it
    /// (`EWOULDBLOCK` while another process holds it).
    ///
    /// With `patiently` it waits up to a second for a holder that is about to let go (a run that is just
    /// ending, or a child process another program is starting, which holds copies of its parent's files
    /// until it runs its own program). A run at work holds the lock far longer.
    static func lock(_ descriptor: Int32, patiently: Bool) -> Int32? {
        let attempts = patiently ? 20 : 1
        var code: Int32 = 0
        for attempt in 0..<attempts {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return nil }
            code = errno
            guard code == EWOULDBLOCK || code == EINTR else { return code }
            if attempt < attempts - 1 { usleep(50_000) }
        }
        return code == EINTR ? EWOULDBLOCK : code
    }

    /// Whether the file is still open (``close()`` not called yet).
    var isOpen: Bool { descriptor.withLock { $0 >= 0 } }

    /// Writes all of `bytes` at the end of the file, whole, under the lock.
    func append(_ bytes: some ContiguousBytes) throws(AppendError) {
        try descriptor.withLock { (descriptor) throws(AppendError) in
            guard descriptor >= 0 else { throw .closed }
            do throws(FileCallError) {
                try FileIO.writeAll(descriptor, bytes)
            } catch {
                throw .failed(error)
            }
        }
    }

    /// Forces everything appended so far to disk; does nothing once closed.
    func sync() throws(FileCallError) {
        try descriptor.withLock { (descriptor) throws(FileCallError) in
            guard descriptor >= 0 else { return }
            if fsync(descriptor) != 0 { throw FileCallError(code: errno) }
        }
    }

    /// Releases the lock and closes the file, so another run may open it at once; later calls do nothing.
    ///
    /// Unlocked before the close: a process forked at this moment shares the open file until its exec,
    /// and would otherwise hold the lock on past the close.
    func close() {
        descriptor.withLock { descriptor in
            guard descriptor >= 0 else { return }
            _ = flock(descriptor, LOCK_UN)
            _ = systemClose(descriptor)
            descriptor = -1
        }
    }

    /// Runs `body` with the open descriptor, or returns `nil` once closed.
    func withDescriptor<Value: Sendable>(_ body: (Int32) -> Value) -> Value? {
        descriptor.withLock { descriptor in descriptor >= 0 ? body(descriptor) : nil }
    }
}

/// `close(2)`, named apart from ``LockedAppendLog/close()``.
private func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
