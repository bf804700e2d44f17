/// `data.mdb` is shorter than the environment it holds: a copy or a restore stopped part way,
/// or a disk that filled while one was made. Refused at open, because LMDB reads the file
/// through a memory map, and the first read of a page past its end would kill the process
/// (SIGBUS) rather than fail.
public struct DataFileCutShort: Error, CustomStringConvertible, Equatable {
    /// The file.
    public let path: String
    /// How long it is.
    public let sizeBytes: Int
    /// How long it must be at least: through a root page it names past its end, or the two meta
    /// pages themselves.
    public let neededBytes: Int

    public var description: String {
        let text = "\(self.path) is \(self.sizeBytes) bytes, but the LMDB environment it holds needs \(self.neededBytes): "
            + "the file was cut short (a copy or restore that stopped part way?); restore the whole file from a backup"
        // Nothing written: also what a first start that died at once leaves, with nothing to lose.
        return self.sizeBytes > 0 ? text : text + ", or, if this directory never held data, remove the empty file"
    }
}
