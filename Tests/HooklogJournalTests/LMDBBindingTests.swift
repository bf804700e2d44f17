import CLMDB
import Foundation
import HooklogJournal
import Testing

@Suite("LMDB binding")
struct LMDBBindingTests {
    @Test func errorsCarryLMDBsOwnMessage() async throws {
        try await withTemporaryFolder { path in
            let environment = try LMDBEnvironment(.init(path: path), databaseNames: ["items"])
            let items = environment.database("items")
            try environment.write { try $0.put([1], forKey: [7], in: items) }
            let error = try #require(throws: LMDBError.self) {
                try environment.write { try $0.put([2], forKey: [7], in: items, mode: .insertOnly) }
            }
            #expect(error.message.contains("MDB_KEYEXIST"))
            #expect(error.description.contains("mdb_put(items)"))
            #expect(try environment.read { try $0.value(forKey: [7], in: items) } == [1])
        }
    }

    /// An existing environment opens on a map no larger than its data; one compacted has no
    /// free page, and the database a newer build adds needs some: the map grows to make it.
    @Test func aDatabaseAddedToAFullEnvironmentIsCreatedOnAGrownMap() async throws {
        try await withTemporaryFolder { path in
            let value = [UInt8](repeating: 7, count: 1_000)
            do {
                let environment = try LMDBEnvironment(.init(path: path + "/written", initialMapSizeBytes: 8 << 20), databaseNames: ["items"])
                try environment.write { transaction in
                    for key in 0..<3_000 { try transaction.put(value, forKey: withUnsafeBytes(of: UInt32(key).bigEndian, Array.init), in: environment.database("items")) }
                }
            }
            try Self.copyCompacted(from: path + "/written", to: path + "/compacted")
            let environment = try LMDBEnvironment(.init(path: path + "/compacted", initialMapSizeBytes: 1 << 20), databaseNames: ["items", "added"])
            try environment.write { try $0.put([1], forKey: [1], in: environment.database("added")) }
            #expect(try environment.read { try $0.entryCount(of: environment.database("items")) } == 3_000)
            #expect(try environment.read { try $0.value(forKey: [1], in: environment.database("added")) } == [1])
        }
    }

    /// A data file cut short is refused at open, naming both lengths, before any read of a page
    /// past its end could kill the process; so is one too short for LMDB's meta pages.
    @Test func aDataFileCutShortIsRefusedAtOpen() async throws {
        try await withTemporaryFolder { path in
            let value = [UInt8](repeating: 7, count: 1_000)
            do {
                let environment = try LMDBEnvironment(.init(path: path), databaseNames: ["items"])
                try environment.write { transaction in
                    for key in 0..<3_000 { try transaction.put(value, forKey: withUnsafeBytes(of: UInt32(key).bigEndian, Array.init), in: environment.database("items")) }
                }
            }
            let dataFile = path + "/data.mdb"
            let wholeBytes = try #require(try FileManager.default.attributesOfItem(atPath: dataFile)[.size] as? Int)
            #expect(truncate(dataFile, off_t(wholeBytes / 2)) == 0)
            for readOnly in [false, true] {
                let error = try #require(throws: DataFileCutShort.self) {
                    try LMDBEnvironment(.init(path: path, readOnly: readOnly), databaseNames: ["items"])
                }
                #expect(error.sizeBytes == wholeBytes / 2)
                #expect(error.neededBytes > wholeBytes / 2 && error.neededBytes <= wholeBytes)
            }
            // Empty: refused as well when writing, which would otherwise start a new, empty environment.
            #expect(truncate(dataFile, 0) == 0)
            for readOnly in [true, false] {
                let empty = try #require(throws: DataFileCutShort.self) {
                    try LMDBEnvironment(.init(path: path, readOnly: readOnly), databaseNames: ["items"])
                }
                #expect(empty.sizeBytes == 0)
                #expect(empty.description.contains("cut short") && empty.description.contains("remove the empty file"))
            }
            let stillEmpty = try #require(try FileManager.default.attributesOfItem(atPath: dataFile)[.size] as? Int)
            #expect(stillEmpty == 0, "nothing written into it")
        }
    }

    /// A named database's root cut off, while the newest meta page's roots are still inside the
    /// file, is refused at open like any other cut (not a crash): `sparse` was last written long
    /// ago, near the file's end, and every root written since reuses freed pages lower down.
    @Test func aNamedDatabasesRootCutOffIsRefusedAtOpen() async throws {
        try await withTemporaryFolder { path in
            let dataFile = path + "/data.mdb"
            let value = [UInt8](repeating: 7, count: 1_000)
            var sizeBeforeSparseBytes = 0
            do {
                let environment = try LMDBEnvironment(.init(path: path), databaseNames: ["items", "sparse"])
                let items = environment.database("items")
                try environment.write { transaction in
                    for key in 0..<3_000 { try transaction.put(value, forKey: withUnsafeBytes(of: UInt32(key).bigEndian, Array.init), in: items) }
                }
                sizeBeforeSparseBytes = try #require(try FileManager.default.attributesOfItem(atPath: dataFile)[.size] as? Int)
                try environment.write { try $0.put([1], forKey: [1], in: environment.database("sparse")) }
                try environment.write { try $0.removeAll(in: items) }
                for key in 0..<8 { try environment.write { try $0.put([1], forKey: [UInt8(key)], in: items) } }
            }
            #expect(truncate(dataFile, off_t(sizeBeforeSparseBytes)) == 0)
            for readOnly in [false, true] {
                let error = try #require(throws: DataFileCutShort.self) {
                    try LMDBEnvironment(.init(path: path, readOnly: readOnly), databaseNames: ["items", "sparse"])
                }
                #expect(error.sizeBytes == sizeBeforeSparseBytes)
            }
        }
    }

    /// LMDB may count pages past the end of a whole file (taken and freed in one transaction,
    /// never written): such a file opens, and every entry reads.
    @Test func aWholeDataFileShorterThanTheExtentLMDBCountsOpens() async throws {
        try await withTemporaryFolder { path in
            let value = [UInt8](repeating: 7, count: 900)
            var keptCount = 0
            do {
                let environment = try LMDBEnvironment(.init(path: path), databaseNames: ["items"])
                let items = environment.database("items")
                // Rounds that take pages and free some again in one transaction, every third all
                // of them, until the file ends before the extent LMDB counts.
                var fileBytes = 0
                for round in 0..<30 where fileBytes >= environment.usedBytes || round == 0 {
                    let stride = round % 3 + 1
                    try environment.write { transaction in
                        let keys = (0..<2_000).map { withUnsafeBytes(of: UInt32(round * 100_000 + $0).bigEndian, Array.init) }
                        for key in keys { try transaction.put(value, forKey: key, in: items) }
                        for key in Swift.stride(from: 0, to: keys.count, by: stride) { _ = try transaction.delete(forKey: keys[key], in: items) }
                    }
                    keptCount += 2_000 - (2_000 + stride - 1) / stride
                    fileBytes = try #require(try FileManager.default.attributesOfItem(atPath: path + "/data.mdb")[.size] as? Int)
                }
                try #require(fileBytes < environment.usedBytes, "the case this test is about: \(fileBytes) bytes, \(environment.usedBytes) counted")
            }
            for readOnly in [true, false] {
                let environment = try LMDBEnvironment(.init(path: path, readOnly: readOnly), databaseNames: ["items"])
                #expect(try environment.read { try $0.entryCount(of: environment.database("items")) } == keptCount)
            }
        }
    }

    /// `mdb_copy -c`: a copy of the environment at `source` with no free pages.
    private static func copyCompacted(from source: String, to target: String) throws {
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        var environment: OpaquePointer?
        #expect(mdb_env_create(&environment) == 0)
        defer { mdb_env_close(environment) }
        #expect(mdb_env_set_maxdbs(environment, 4) == 0)
        #expect(mdb_env_open(environment, source, UInt32(MDB_RDONLY), 0o600) == 0)
        #expect(mdb_env_copy2(environment, target, UInt32(MDB_CP_COMPACT)) == 0)
    }

    @Test func cursorSeeksAndWalksInKeyOrder() async throws {
        try await withTemporaryFolder { path in
            let environment = try LMDBEnvironment(.init(path: path), databaseNames: ["items"])
            let items = environment.database("items")
            try environment.write { transaction in
                for key: UInt8 in [9, 3, 5, 1] { try transaction.put([key * 2], forKey: [key], in: items) }
            }
            let walked = try environment.read { transaction in
                try transaction.withCursor(over: items) { cursor -> [UInt8] in
                    var keys: [UInt8] = []
                    var entry = try cursor.seek(atLeast: [4])
                    while let current = entry {
                        keys.append(current.key[0])
                        entry = try cursor.next()
                    }
                    return keys
                }
            }
            #expect(walked == [5, 9])
            let last = try environment.read { transaction in try transaction.withCursor(over: items) { try $0.last().map { Array($0.value) } } }
            #expect(last == [18])
        }
    }

    @Test func aReadOnlyOpenReadsWritesNothingAndCreatesNoDatabase() async throws {
        try await withTemporaryFolder { path in
            do {
                let environment = try LMDBEnvironment(.init(path: path), databaseNames: ["items"])
                try environment.write { try $0.put([1], forKey: [7], in: environment.database("items")) }
            }
            let before = try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb"))
            do {
                let reader = try LMDBEnvironment(.init(path: path, readOnly: true), databaseNames: ["items"])
                let items = reader.database("items")
                #expect(try reader.read { try $0.value(forKey: [7], in: items) } == [1])
                let refused = try #require(throws: LMDBError.self) { try reader.write { try $0.put([2], forKey: [8], in: items) } }
                #expect(refused.code == EACCES)
            }
            let missing = try #require(throws: LMDBEnvironment.MissingDatabase.self) {
                try LMDBEnvironment(.init(path: path, readOnly: true), databaseNames: ["items", "later"])
            }
            #expect(missing.name == "later")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb")) == before, "not a byte of data.mdb changed")

            // A writer creates the database the reader missed.
            do { _ = try LMDBEnvironment(.init(path: path), databaseNames: ["items", "later"]) }
            _ = try LMDBEnvironment(.init(path: path, readOnly: true), databaseNames: ["items", "later"])
        }
    }

    @Test func aReadOnlyOpenOfAMissingFolderCreatesNothing() async throws {
        try await withTemporaryFolder { path in
            #expect(throws: LMDBError.self) { try LMDBEnvironment(.init(path: path + "/absent", readOnly: true), databaseNames: ["items"]) }
            #expect(!FileManager.default.fileExists(atPath: path + "/absent"))
        }
    }

    @Test func abortedWriteLeavesNothing() async throws {
        try await withTemporaryFolder { path in
            struct Stop: Error {}
            let environment = try LMDBEnvironment(.init(path: path), databaseNames: ["items"])
            let items = environment.database("items")
            #expect(throws: Stop.self) {
                try environment.write { transaction in
                    try transaction.put([1], forKey: [1], in: items)
                    throw Stop()
                }
            }
            #expect(try environment.read { try $0.entryCount(of: items) } == 0)
        }
    }

    @Test func openingAFileWhereAFolderShouldBeFailsWithAClearError() async throws {
        try await withTemporaryFolder { path in
            let file = path + "/not-a-folder"
            #expect(FileManagerShim.createFile(file))
            let error = try #require(throws: LMDBError.self) {
                _ = try LMDBEnvironment(.init(path: file + "/data"), databaseNames: ["items"])
            }
            #expect(error.operation.contains("mkdir"))
        }
    }
}
