import Foundation

/// Executables that `swift build` put beside the test binary.
enum BuiltProducts {
    /// The path of the built executable `name`.
    static func executable(_ name: String) throws -> String {
        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let path = URL(fileURLWithPath: testBinary).deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MissingProduct(path: path)
        }
        return path
    }

    struct MissingProduct: Error, CustomStringConvertible {
        let path: String
        var description: String { "no executable at \(self.path): build the package first (swift build)" }
    }
}
