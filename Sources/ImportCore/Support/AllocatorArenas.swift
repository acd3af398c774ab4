#if canImport(Glibc)
    import Glibc
#endif

/// Keeps the C allocator to one arena for the whole process.
///
/// glibc gives each thread that allocates while another holds an arena an arena of its own, up to eight per
/// core, and memory freed into one arena is not reused by threads of another. An import's rows in flight
/// run on the concurrency pool's threads and their requests on the networking threads, so each arena grows
/// to what its threads once needed at the same moment, and keeps it. Measured with 64 rows in flight
/// (`--rate-limit off`): eight arenas kept 38.9 MB at 20,000 rows, two 34.9 MB; with two, a 1,000,000-row
/// import still grew its anonymous pages from 7.7 to 11.1 MB once the rows began, and with one they stay
/// between 7.6 and 8.7 MB from 20,000 to 1,000,000 rows, at the same speed (1,000,000 rows: 220 s against
/// 224 s). The rows' work between two allocations is small next to the wait for an answer, so the lock one
/// arena takes is rarely contended. Elsewhere than glibc this does nothing.
public enum AllocatorArenas {
    /// Sets the limit; call first thing in `main`, before threads allocate (arenas made before stay).
    public static func limit() {
        #if canImport(Glibc)
            // `mallopt` is declared in <malloc.h>, which the Glibc module leaves out: it is looked up by name.
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            _ = mallopt(arenaMaximum, 1)
        #endif
    }

    /// glibc's `M_ARENA_MAX`.
    private static let arenaMaximum: Int32 = -8
}
