import Foundation

enum FileManagerShim {
    /// Creates an empty file; whether it worked.
    static func createFile(_ path: String) -> Bool {
        FileManager.default.createFile(atPath: path, contents: Data())
    }
}
