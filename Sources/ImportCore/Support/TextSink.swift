import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where report text goes: the command passes ``StandardOutput`` and ``StandardError``, tests pass a
/// ``CapturedText``, so the core never prints directly.
public protocol TextSink: Sendable {
    /// Writes `text` as is (callers add their own line breaks).
    func write(_ text: String)
}

/// Standard output: per-row lines and the summary (or only the JSON summary with `--json`).
///
/// Writes go straight to file descriptor 1, so output appears at once and interleaves correctly with
/// standard error. Write errors (a closed pipe) are ignored: there is nowhere left to report them.
public struct StandardOutput: TextSink {
    /// Creates the sink; it has no state.
    public init() {}

    /// Writes `text` to file descriptor 1.
    public func write(_ text: String) {
        var text = text
        _ = text.withUTF8 { SecureFile.writeAll($0, to: STDOUT_FILENO) }
    }
}

/// Standard error: progress, warnings and logs.
public struct StandardError: TextSink {
    /// Creates the sink; it has no state.
    public init() {}

    /// Writes `text` to file descriptor 2.
    public func write(_ text: String) {
        var text = text
        _ = text.withUTF8 { SecureFile.writeAll($0, to: STDERR_FILENO) }
    }
}

/// Keeps everything written to it, for tests and for building text before it is shown.
public final class CapturedText: TextSink {
    private let storage = Mutex("")

    /// Creates an empty capture.
    public init() {}

    /// Appends `text`.
    public func write(_ text: String) {
        storage.withLock { $0 += text }
    }

    /// Everything written so far.
    public var text: String {
        storage.withLock { $0 }
    }
}
