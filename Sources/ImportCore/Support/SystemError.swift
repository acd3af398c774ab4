#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns `errno` values into the text of error messages: the one place the import calls `strerror`.
enum SystemError {
    /// The system's description of an `errno` value, e.g. "No space left on device".
    static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// Whether `code` means the user lacks permission, so the message can say so plainly.
    static func isPermission(_ code: Int32) -> Bool {
        code == EACCES || code == EPERM
    }
}
