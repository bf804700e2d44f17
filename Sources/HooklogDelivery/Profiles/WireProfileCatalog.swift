public import HooklogCore
import Foundation

/// The wire profiles this service knows, read from a folder of JSON files (`Config/profiles`).
public struct WireProfileCatalog: Sendable {
    private let profiles: [String: WireProfile]

    /// A catalog of the given profiles; `standard` must be among them.
    public init(_ profiles: [WireProfile]) throws {
        self.profiles = Dictionary(profiles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        guard self.profiles[WireProfile.defaultName] != nil else {
            throw CatalogError(description: "no \(WireProfile.defaultName) profile among \(self.profiles.keys.sorted())")
        }
    }

    /// Reads every `*.json` file in `folder`. Two files naming one profile are refused: which
    /// one endpoints got would hang on the files' order.
    public static func load(folder: String) throws -> WireProfileCatalog {
        let fileNames = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
        var fileByProfile: [String: String] = [:]
        let profiles = try fileNames.map { fileName in
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(fileName))
            let profile: WireProfile
            do {
                profile = try WireProfile.decode(from: Array(bytes))
            } catch {
                throw CatalogError(description: "\(folder)/\(fileName): \(error)")
            }
            if let earlier = fileByProfile.updateValue(fileName, forKey: profile.name) {
                throw CatalogError(description: "\(folder)/\(earlier) and \(fileName) both define the profile \(profile.name): rename one")
            }
            return profile
        }
        return try WireProfileCatalog(profiles)
    }

    /// The profile called `name`, if there is one.
    public subscript(name: String) -> WireProfile? {
        self.profiles[name]
    }

    /// Every profile's name, sorted.
    public var names: [String] { self.profiles.keys.sorted() }

    /// Why profiles could not be loaded.
    public struct CatalogError: Error, CustomStringConvertible {
        public let description: String
    }
}
