import Foundation

/// Executables that `swift build` put beside the test binary.
public enum BuiltProducts {
    /// The path of the built executable `name`.
    public static func executable(_ name: String) throws -> String {
        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let path = URL(fileURLWithPath: testBinary).deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MissingProduct(path: path)
        }
        return path
    }

    public struct MissingProduct: Error, CustomStringConvertible {
        let path: String
        public var description: String { "no executable at \(self.path): build the package first (swift build)" }
    }
}
