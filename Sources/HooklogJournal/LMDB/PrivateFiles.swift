#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The modes of what Hooklog creates to hold data: every event's body, every endpoint's signing
/// secret and bearer token are in `data.mdb`, so its folder is the owner's alone (`0700`) and so
/// are the files in it (`0600`), whatever the umask allows. Folders that exist already keep their
/// mode: `exposed(in:)` finds those others can read, for the server to say so.
public enum PrivateFiles {
    /// The mode of a data folder Hooklog creates: `rwx------`.
    public static let folderMode = 0o700
    /// The mode of a file Hooklog creates in one: `rw-------`.
    public static let fileMode = 0o600
    /// The bits that let the group or anyone else in.
    private static let othersBits = 0o077

    /// Creates `path` and any missing parents (`mkdir -p`): the last folder with `folderMode`,
    /// the parents `0755` (less what the umask takes): never writable by others, whatever the umask.
    public static func createFolder(_ path: String) throws {
        var components: [Substring] = []
        let names = path.split(separator: "/", omittingEmptySubsequences: true)
        for (index, component) in names.enumerated() {
            components.append(component)
            let prefix = (path.hasPrefix("/") ? "/" : "") + components.joined(separator: "/")
            let mode = mode_t(index == names.count - 1 ? Self.folderMode : 0o755)
            if mkdir(prefix, mode) != 0 && errno != EEXIST {
                throw LMDBError(code: errno, operation: "mkdir(\(prefix))")
            }
        }
    }

    /// A folder, or a file in it, that the group or others may use.
    public struct Exposure: Sendable, Equatable, CustomStringConvertible {
        public let path: String
        /// Its permission bits.
        public let mode: Int

        public var description: String { "\(self.path) (\(String(self.mode, radix: 8)))" }
    }

    /// `folder` and the files directly in it that the group or others may use, when `folder`
    /// itself lets them in; nothing when it does not (its files are then out of reach whatever
    /// their modes), or when it cannot be read.
    public static func exposed(in folder: String) -> [Exposure] {
        guard let folderMode = Self.permissions(of: folder, followingLinks: true), folderMode & Self.othersBits != 0 else { return [] }
        var exposed = [Exposure(path: folder, mode: folderMode)]
        guard let directory = opendir(folder) else { return exposed }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        for name in names.sorted() {
            let path = folder + "/" + name
            if let mode = Self.permissions(of: path, regularFileOnly: true), mode & Self.othersBits != 0 {
                exposed.append(Exposure(path: path, mode: mode))
            }
        }
        return exposed
    }

    /// The permission bits of `path` (of what it links to, when `followingLinks`: a data folder
    /// may be a link to one elsewhere); `nil` when it cannot be read, or when `regularFileOnly`
    /// and it is something else (a scratch folder, a socket).
    private static func permissions(of path: String, followingLinks: Bool = false, regularFileOnly: Bool = false) -> Int? {
        var status = stat()
        guard (followingLinks ? stat(path, &status) : lstat(path, &status)) == 0 else { return nil }
        if regularFileOnly && status.st_mode & S_IFMT != S_IFREG { return nil }
        return Int(status.st_mode & 0o777)
    }
}
