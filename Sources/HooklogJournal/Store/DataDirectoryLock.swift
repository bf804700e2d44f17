#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Marks a data directory as held by a running service (`flock` on `hooklog.lock`), so that
/// offline tools (`hooklog rebuild`) and a second server refuse to work under it. The kernel
/// drops the lock when the holder dies, however it dies. The file holds the holder's pid and,
/// once a server listens, where its API is (which `hooklog resend` asks).
///
/// The directory itself is locked too: a lock file deleted under a running server (taken for a
/// stale one) is made anew, and free, by the next taker, but the directory is the same one.
public final class DataDirectoryLock: Sendable {
    /// The lock file's name inside the data directory.
    public static let fileName = "hooklog.lock"

    private let descriptor: Int32
    private let directoryDescriptor: Int32

    private init(descriptor: Int32, directoryDescriptor: Int32) {
        self.descriptor = descriptor
        self.directoryDescriptor = directoryDescriptor
    }

    deinit {
        // Only the pid stays: once released, the file says nowhere to find this process's API.
        _ = ftruncate(self.descriptor, off_t(Self.pidLine.count))
        flock(self.descriptor, LOCK_UN)
        close(self.descriptor)
        close(self.directoryDescriptor)
    }

    /// Takes the lock of `directory` for this process, writing its pid into the file; throws
    /// when another process holds it.
    public static func acquire(_ directory: String) throws(DataDirectoryLockError) -> DataDirectoryLock {
        let path = directory + "/" + Self.fileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode_t(PrivateFiles.fileMode))
        guard descriptor >= 0 else { throw .unusable(path: path, errno: errno) }
        // Tried for a few milliseconds: a tool looking who holds it (`holder(of:)`) takes a
        // shared lock for an instant, and must not make a starting server give up.
        var attempts = 0
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            attempts += 1
            guard code == EWOULDBLOCK, attempts < 10 else {
                let holder = code == EWOULDBLOCK ? Self.readHolder(descriptor) : nil
                close(descriptor)
                if code != EWOULDBLOCK { throw .unusable(path: path, errno: code) }
                throw .held(path: path, holderProcessID: holder)
            }
            usleep(5_000)
        }
        let directoryDescriptor: Int32
        do {
            directoryDescriptor = try Self.lockDirectory(directory)
        } catch {
            close(descriptor)
            throw error
        }
        _ = ftruncate(descriptor, 0)
        _ = Self.pidLine.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return DataDirectoryLock(descriptor: descriptor, directoryDescriptor: directoryDescriptor)
    }

    /// Locks the folder itself; its holder, found this way, is one whose lock file is gone.
    private static func lockDirectory(_ directory: String) throws(DataDirectoryLockError) -> Int32 {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unusable(path: directory, errno: errno) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code != EWOULDBLOCK { throw .unusable(path: directory, errno: code) }
            throw .held(path: directory, holderProcessID: nil)
        }
        return descriptor
    }

    /// Writes under this process's pid where its API listens, for the tools that find a running
    /// server through its data directory (`hooklog resend`). The pid line stays as it was, so a
    /// reader meanwhile sees it, with or without the address.
    public func recordListeningURL(_ url: String) {
        let contents = Self.pidLine + Array("\(url)\n".utf8)
        _ = contents.withUnsafeBytes { pwrite(self.descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// The process holding the lock of `directory` now, or `nil` when none does. Only looks: it
    /// never takes the lock, nor writes the file.
    public static func holder(of directory: String) -> Holder? {
        let descriptor = open(directory + "/" + Self.fileName, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // A shared lock is granted only when nobody holds the exclusive one.
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        // A URL counts once its line is whole: read while the server writes it, it may not be.
        let lines = Self.lines(of: descriptor)
        return Holder(
            processID: Self.processID(in: lines),
            listeningURL: lines.count > 2 && !lines[1].isEmpty ? lines[1] : nil
        )
    }

    /// Who holds a data directory's lock, as its lock file says.
    public struct Holder: Sendable, Equatable {
        /// The holder's pid, if it wrote it.
        public let processID: Int32?
        /// Where its API listens, once a server has said (a server still starting, or an offline
        /// tool, has not).
        public let listeningURL: String?
    }

    private static func readHolder(_ descriptor: Int32) -> Int32? {
        Self.processID(in: Self.lines(of: descriptor))
    }

    /// This process's line of the file.
    private static var pidLine: [UInt8] { Array("\(getpid())\n".utf8) }

    private static func processID(in lines: [String]) -> Int32? {
        lines.first.flatMap { Int32($0) }
    }

    /// The lock file's lines: the holder's pid, then where it listens, if it has said.
    private static func lines(of descriptor: Int32) -> [String] {
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return [] }
        return String(decoding: buffer.prefix(count), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

/// Why a data directory's lock could not be taken.
public struct DataDirectoryLockError: Error, Sendable, CustomStringConvertible {
    private enum Internal: Sendable {
        case held(path: String, holderProcessID: Int32?)
        case unusable(path: String, errno: Int32)
    }

    private let value: Internal

    static func held(path: String, holderProcessID: Int32?) -> Self { Self(value: .held(path: path, holderProcessID: holderProcessID)) }
    static func unusable(path: String, errno: Int32) -> Self { Self(value: .unusable(path: path, errno: errno)) }

    /// Whether a running process holds the lock.
    public var isHeld: Bool {
        if case .held = self.value { return true }
        return false
    }

    public var description: String {
        switch self.value {
        case .held(let path, let holder):
            "the data directory is in use by a running Hooklog (process \(holder.map(String.init) ?? "unknown"), \(path)); stop it first"
        case .unusable(let path, let code):
            "cannot open or lock \(path): \(String(cString: strerror(code)))"
        }
    }
}
