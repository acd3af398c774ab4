import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program started with `posix_spawn`, for tests that run commands the way a shell would.
///
/// Foundation's `Process` is not used: on Linux its `run()` reads past the end of a `readdir` buffer while it
/// looks for the highest open descriptor, and a test process with many connections open crashes there now and
/// then. This spawns directly: the child starts in `directory` through `/bin/sh -c 'cd … && exec …'`, reads
/// standard input from `/dev/null` and writes its two streams to the files named.
public final class ChildProcess: Sendable {
    /// What went wrong starting a child.
    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) { self.description = description }
    }

    public let processIdentifier: pid_t
    /// The program and its arguments, as given, for messages.
    public let command: [String]
    /// The status once reaped: the exit code, or 128 plus the signal that ended it.
    private let status = Mutex<Int32?>(nil)

    private init(processIdentifier: pid_t, command: [String]) {
        self.processIdentifier = processIdentifier
        self.command = command
    }

    /// Starts `executable` with `arguments` in `directory`, its output going to the two files (created or
    /// truncated, mode 0600).
    public static func spawn(
        _ executable: String, _ arguments: [String], in directory: String, environment: [String: String],
        standardOutput: String, standardError: String
    ) throws(SpawnError) -> ChildProcess {
        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t? = nil
        #else
            var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let outputFlags = O_WRONLY | O_CREAT | O_TRUNC
        guard posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) == 0,
            posix_spawn_file_actions_addopen(&actions, 1, standardOutput, outputFlags, 0o600) == 0,
            posix_spawn_file_actions_addopen(&actions, 2, standardError, outputFlags, 0o600) == 0
        else { throw SpawnError(description: "could not arrange the output files of \(executable)") }
        #if canImport(Glibc)
            closeInheritedDescriptors(&actions)
        #endif

        // `cd` in the child's shell, then `exec`: the program keeps the shell's process id, so signals reach it.
        let command = [executable] + arguments
        let shellArguments = ["/bin/sh", "-c", "cd -- \"$1\" && shift && exec \"$@\"", "sh", directory] + command
        let environmentLines = environment.map { "\($0.key)=\($0.value)" }
        var identifier: pid_t = 0
        let result = withCStrings(shellArguments) { argv in
            withCStrings(environmentLines) { envp in
                posix_spawn(&identifier, "/bin/sh", &actions, nil, argv, envp)
            }
        }
        guard result == 0 else {
            throw SpawnError(description: "could not start \(executable): \(String(cString: strerror(result)))")
        }
        return ChildProcess(processIdentifier: identifier, command: command)
    }

    /// Whether the child is still running; reaps it when it has ended.
    public var isRunning: Bool { reap() == nil }

    /// The exit code, or 128 plus the number of the signal that ended the child; nil while it runs.
    public var terminationStatus: Int32? { reap() }

    /// Sends a signal to the child, unless it has already been reaped.
    public func signal(_ number: Int32) {
        status.withLock { status in
            if status == nil { _ = kill(processIdentifier, number) }
        }
    }

    private func reap() -> Int32? {
        status.withLock { status in
            if let status { return status }
            var raw: Int32 = 0
            var answer: pid_t
            repeat { answer = waitpid(processIdentifier, &raw, WNOHANG) } while answer == -1 && errno == EINTR
            guard answer == processIdentifier else { return nil }
            let signal = raw & 0x7f
            status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
            return status
        }
    }
}

#if canImport(Glibc)
    /// Asks the child to close every descriptor above the three standard ones, where glibc offers it (2.34+).
    private func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        // Declared in <spawn.h> only under _GNU_SOURCE, which the Glibc module leaves out: looked up by name.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { return }
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
    }
#endif

/// Calls `body` with a NULL-terminated array of C strings that live for the call.
private func withCStrings<Result>(
    _ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result
) -> Result {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
