import Foundation
public import HooklogCore

extension EventTypeCatalog {
    /// The catalog in `configDirectory`'s `event-types.json`.
    public static func load(configDirectory: String) throws -> EventTypeCatalog {
        try Self.decode(from: Array(try Data(contentsOf: URL(fileURLWithPath: configDirectory + "/event-types.json"))))
    }
}
