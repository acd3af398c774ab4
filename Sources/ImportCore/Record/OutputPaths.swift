#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks, before anything is opened, that no output file is the input file or another output file.
///
/// Files are compared as files, not as path strings: a symbolic link, a hard link or `./x` versus `x`
/// cannot smuggle the input CSV in as `--errors-out` (a dry run would then append to the file it is
/// reading, which never ends), and `--errors-out` and `--rejects` cannot interleave in one file. Outputs
/// that do not exist yet are compared by their resolved folder and name. Devices such as `/dev/null` may
/// be named by several outputs, since nothing is kept there.
public enum OutputPaths {
    /// A file as the kernel knows it.
    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
        var isRegular: Bool
    }

    /// Why the outputs cannot be used, as a sentence, or `nil` when they are all distinct from the input and
    /// from each other.
    ///
    /// - Parameters:
    ///   - input: the CSV file being read.
    ///   - outputs: each output's flag and path, e.g. `("--errors-out", "errors.csv")`.
    public static func problem(input: String, outputs: [(flag: String, path: String)]) -> String? {
        let inputIdentity = identity(of: input)
        var seen: [(flag: String, path: String, identity: Identity?, resolved: String?)] = []
        for (flag, path) in outputs {
            let found = identity(of: path)
            if let found, let inputIdentity, found.device == inputIdentity.device, found.inode == inputIdentity.inode {
                return "\(flag) \(path) names the input CSV itself (\(input), perhaps through a link or another "
                    + "spelling of its path): choose another file, or it would be overwritten."
            }
            let resolved = found == nil ? resolvedPath(of: path) : nil
            for earlier in seen {
                let sameFile: Bool
                if let found, let other = earlier.identity {
                    sameFile = found.isRegular && found.device == other.device && found.inode == other.inode
                } else if let resolved, let other = earlier.resolved {
                    sameFile = resolved == other
                } else {
                    sameFile = false
                }
                if sameFile {
                    return "\(earlier.flag) \(earlier.path) and \(flag) \(path) name the same file: give each its own "
                        + "file, or their records would be mixed."
                }
            }
            seen.append((flag, path, found, resolved))
        }
        return nil
    }

    /// `path` made absolute and resolved through links, so two spellings of one file compare equal; `path`
    /// itself when its folder does not exist.
    public static func absolute(_ path: String) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        return resolvedPath(of: path) ?? path
    }

    /// The file at `path`, following links; `nil` when there is none.
    static func identity(of path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Identity(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), isRegular: (info.st_mode & S_IFMT) == S_IFREG)
    }

    /// The absolute path a file that does not exist yet would get: its folder resolved through links.
    static func resolvedPath(of path: String) -> String? {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let real = realpath(folder, nil) else { return nil }
        defer { free(real) }
        let base = String(cString: real)
        return (base.hasSuffix("/") ? base : base + "/") + name
    }
}
