import Foundation

/// A read of the data file through LMDB's memory map that the system cannot serve: a page past
/// the file's end (a copy or restore cut short in a way the checks at open could not see, with
/// every root still inside it) or a page the disk failed to read. The process gets SIGBUS; said
/// here in words, with exit status 2, rather than as a crash report.
enum MapReadFailure {
    /// Installs the handler; call first thing.
    static func sayInWords() {
        signal(SIGBUS) { _ in
            // Only what a signal handler may do: one write of static bytes, then `_exit`.
            let message: StaticString = """
                hooklog: a read of data.mdb failed (SIGBUS): the file is shorter than the pages it \
                holds say (cut short: a copy or restore that stopped part way?), or the disk could \
                not read it. Restore the whole file from a backup; `ls -l` it beside the original.

                """
            _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
            _exit(2)
        }
    }
}
