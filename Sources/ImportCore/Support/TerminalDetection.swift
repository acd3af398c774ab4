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

/// Decides whether output goes to a person at a terminal, which turns on the live progress line and colour.
public enum TerminalDetection {
    /// Whether `fd` is a terminal (not a file or a pipe).
    public static func isTerminal(_ fd: Int32) -> Bool {
        isatty(fd) == 1
    }

    /// The terminal's width in columns, or `nil` when `fd` is not a terminal or does not say.
    ///
    /// The live progress line is cut to this width, because a line that wraps cannot be redrawn in place.
    public static func columns(_ fd: Int32) -> Int? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Whether colour is allowed at all: not when `NO_COLOR` is set to a non-empty value, nor for `TERM=dumb`.
    public static var colorEnabled: Bool {
        colorAllowed(environment: ProcessInfo.processInfo.environment)
    }

    /// The rule behind ``colorEnabled``, with the environment passed in so it can be tested.
    public static func colorAllowed(environment: [String: String]) -> Bool {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    /// Whether to colour what is written to `fd`: only on a terminal, and only when colour is allowed.
    public static func useColor(for fd: Int32) -> Bool {
        isTerminal(fd) && colorEnabled
    }
}
