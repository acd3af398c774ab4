#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ends the process with `code`.
///
/// The C library's `exit`, under a name of its own: inside ``ExitStatus`` a plain `exit` would mean
/// `ExitStatus.exit(for:command:)`, and the module that also exports it differs by platform.
func endProcess(_ code: Int32) -> Never {
    exit(code)
}
