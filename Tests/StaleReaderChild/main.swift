// A process that dies inside an LMDB read transaction, for the stale reader test: opens the
// environment in <data-folder> read-only, prints "reading" inside a read transaction, and waits
// there until it is killed.
//
// Usage: StaleReaderChild <data-folder>
import HooklogJournal

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    fatalError("usage: StaleReaderChild <data-folder>")
}
let environment = try LMDBEnvironment(.init(path: arguments[1], readOnly: true), databaseNames: Journal.databaseNames)
try environment.read { _ in
    let reading = Array("reading\n".utf8)
    _ = reading.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    while true { pause() }
}
