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

/// Keeps the journal of an earlier run when a new run starts a journal at the same path (a finished import
/// run again, or `--restart`), so `undo` can still take that run back.
///
/// The earlier journal becomes `<journal>.N`, N the first number not taken (1, then 2, …), and keeps that
/// name for good: `undo --journal <journal>.N`, or `undo --csv <file> --run N`, names it. Its undo journal
/// (`<journal>.undo`), if any, moves along to `<journal>.N.undo`, so the new run's undo starts its own.
public enum JournalRotation {
    /// The path a kept journal has: `<journal>.N`.
    public static func keptPath(of journal: String, run: Int) -> String {
        "\(journal).\(run)"
    }

    /// Moves a non-empty journal at `path` to its first free `<path>.N` and returns that path; nil when there
    /// is nothing to keep (no file, an empty one, or one that is not a journal, which the writer then refuses).
    ///
    /// Each name is taken with `link(2)`, which fails rather than replace a file, so an earlier kept journal
    /// is never overwritten; the original name is removed only once the new one holds the file.
    public static func keep(path: String) throws(JournalError) -> String? {
        guard firstByte(of: path) == UInt8(ascii: "{") else { return nil }
        var run = 1
        while true {
            let kept = keptPath(of: path, run: run)
            if link(path, kept) == 0 {
                guard unlink(path) == 0 else {
                    let code = errno
                    _ = unlink(kept)
                    throw .writeFailed(path: path, reason: SystemError.describe(code))
                }
                let undo = path + ".undo"
                if FileManager.default.fileExists(atPath: undo), link(undo, kept + ".undo") == 0 { _ = unlink(undo) }
                return kept
            }
            let code = errno
            guard code == EEXIST else { throw .writeFailed(path: path, reason: SystemError.describe(code)) }
            run += 1
        }
    }

    /// The file's first byte; nil when it is missing, empty or unreadable.
    private static func firstByte(of path: String) -> UInt8? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var byte: UInt8 = 0
        return read(descriptor, &byte, 1) == 1 ? byte : nil
    }
}
