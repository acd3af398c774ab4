#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Raises the process's soft limit on open files, so a window's worth of rows in flight can each hold a
/// connection.
///
/// Far from WorkOS an import keeps up to 500 rows in flight, one connection each, besides its journal and
/// output files. macOS starts a shell's processes at a soft limit of 256 open files and many Linux systems
/// at 1,024, while the hard limit, which a process may raise its soft limit to, is far higher. Held to the
/// soft limit, the client cannot open more connections than it allows, and the rows past it wait for one
/// (measured: 300 users 400 ms away took 2.6 s under a soft limit of 100, 2.2 s above it).
public enum OpenFileLimit {
    /// The soft limit asked for: 500 connections and the run's files, with room to spare. Below macOS's
    /// `OPEN_MAX` (10,240), above which `setrlimit` refuses.
    public static let wanted: UInt64 = 4_096

    /// Raises the soft limit to `wanted`, or to the hard limit when that is lower; never lowers it. Call
    /// first thing in `main`.
    ///
    /// - Returns: the soft limit in force afterwards, or `nil` when it could not be read.
    @discardableResult
    public static func raise(to wanted: UInt64 = wanted) -> UInt64? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        let target = min(rlim_t(wanted), limit.rlim_max)
        if limit.rlim_cur < target {
            var raised = limit
            raised.rlim_cur = target
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return UInt64(limit.rlim_cur)
    }

    #if canImport(Glibc)
        private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
        private static let resource = RLIMIT_NOFILE
    #endif
}
