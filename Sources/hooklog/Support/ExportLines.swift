import Foundation

/// The lines of a stream of byte chunks, each without its line feed.
struct ExportLines {
    private var nextChunk: () throws -> [UInt8]?
    private var pending: [UInt8] = []
    private var position = 0
    /// How far past `position` is known to hold no line feed: a long line spread over many chunks
    /// is searched once.
    private var searchedUpTo = 0
    private var isDrained = false

    init(_ nextChunk: @escaping () throws -> [UInt8]?) {
        self.nextChunk = nextChunk
    }

    /// The lines of the first `byteCount` bytes of `file`.
    static func reading(_ file: FileHandle, byteCount: UInt64) -> ExportLines {
        var remaining = byteCount
        return ExportLines {
            guard remaining > 0 else { return nil }
            let chunk = [UInt8](try file.read(upToCount: Int(min(remaining, 1 << 20))) ?? Data())
            remaining = chunk.isEmpty ? 0 : remaining - UInt64(chunk.count)
            return chunk.isEmpty ? nil : chunk
        }
    }

    /// The next line; the last one needs no line feed.
    mutating func next() throws -> [UInt8]? {
        while true {
            if let end = self.pending[max(self.position, self.searchedUpTo)...].firstIndex(of: UInt8(ascii: "\n")) {
                defer {
                    self.position = end + 1
                    self.searchedUpTo = end + 1
                }
                return Array(self.pending[self.position..<end])
            }
            self.searchedUpTo = self.pending.count
            guard !self.isDrained, let chunk = try self.nextChunk() else {
                self.isDrained = true
                guard self.position < self.pending.count else { return nil }
                defer { self.position = self.pending.count }
                return Array(self.pending[self.position...])
            }
            self.pending.removeFirst(self.position)
            self.searchedUpTo -= self.position
            self.position = 0
            self.pending += chunk
        }
    }

    /// The sequence a record line starts with (`{"sequence":N,` in JSON Lines, `N,` in CSV).
    static func sequence(of line: [UInt8]) -> UInt64? {
        let prefix = Array(#"{"sequence":"#.utf8)
        let digits = (line.starts(with: prefix) ? line.dropFirst(prefix.count) : line[...]).prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        return digits.isEmpty ? nil : UInt64(String(decoding: digits, as: UTF8.self))
    }
}
