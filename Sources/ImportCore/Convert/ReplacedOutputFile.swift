import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An output file that replaces its destination only once it is complete.
///
/// `convert` writes into a new file beside the destination (same folder, so the rename cannot cross file
/// systems), mode 0600, and renames it over the destination when every user is written. A run that dies
/// (killed, interrupted, a read error mid-export) therefore leaves the previous output exactly as it was
/// and never a truncated CSV that would import cleanly with users missing; clean-up removes only the
/// temporary file, never a file the run did not finish replacing. A destination that exists and is not a
/// regular file (`/dev/null`, a pipe) cannot be renamed over, so it is written directly.
final class ReplacedOutputFile {
    /// The file the user named.
    let path: String
    /// Where the bytes go: the temporary file, or `path` itself when it is not a regular file.
    let writePath: String
    /// The open descriptor for `writePath`; the writer owns closing it.
    let descriptor: Int32
    private var finished = false

    /// Creates the temporary file beside `path`.
    init(replacing path: String) throws(OutputFileError) {
        self.path = path
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            writePath = path
            descriptor = try SecureFile.open(path: path, append: false)
            finished = true
            return
        }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var attempt = 0
        while true {
            let candidate = "\(folder).\(name).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).partial"
            do throws(FileCallError) {
                let fd = try FileIO.open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC)
                writePath = candidate
                descriptor = fd
                TemporaryOutputFiles.shared.insert(candidate)
                return
            } catch {
                attempt += 1
                guard error.code == EEXIST && attempt < 100 else { throw .cannotOpen(path: path, code: error.code) }
            }
        }
    }

    /// Puts the complete file in place of the destination (after the writer closed it).
    func commit() throws(OutputFileError) {
        guard !finished else { return }
        finished = true
        TemporaryOutputFiles.shared.remove(writePath)
        guard rename(writePath, path) == 0 else {
            let code = errno
            _ = unlink(writePath)
            throw .cannotWrite(path: path, code: code)
        }
    }

    /// Removes the temporary file and leaves the destination as it was.
    func discard() {
        guard !finished else { return }
        finished = true
        TemporaryOutputFiles.shared.remove(writePath)
        _ = unlink(writePath)
    }
}

/// The temporary files of outputs being written, so a second Ctrl-C, which ends the process at once, can
/// remove them first.
public final class TemporaryOutputFiles: Sendable {
    /// The process's list.
    public static let shared = TemporaryOutputFiles()

    private let paths = Mutex<Set<String>>([])

    func insert(_ path: String) { paths.withLock { _ = $0.insert(path) } }

    func remove(_ path: String) { paths.withLock { _ = $0.remove(path) } }

    /// Removes every temporary file still being written.
    public func removeAll() {
        let all = paths.withLock { paths in
            defer { paths.removeAll() }
            return paths
        }
        for path in all { _ = unlink(path) }
    }
}
