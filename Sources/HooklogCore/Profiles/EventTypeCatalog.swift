#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The known event types (`Config/event-types.json`), for listing, and for checking subscriptions
/// and posted events: a type the catalog does not list is refused, so a platform adding types
/// adds them to the file.
public struct EventTypeCatalog: Hashable, Sendable {
    /// The entries in file order.
    public var entries: [EventTypeDescription]

    /// The longest event type, in UTF-8 bytes: what a filter naming types (a replay's, kept in
    /// its row and rewritten with every delivery it re-sends) may hold.
    public static let maxTypeBytes = 128

    /// A catalog of `entries`.
    public init(entries: [EventTypeDescription]) {
        self.entries = entries
    }

    /// Decodes the catalog from its JSON file's bytes (a list of `{type, description}`); types must not repeat.
    public static func decode(from jsonBytes: [UInt8]) throws -> EventTypeCatalog {
        let entries: [EventTypeDescription]
        do {
            entries = try JSONDecoder().decode([EventTypeDescription].self, from: Data(jsonBytes))
        } catch {
            throw ProfileError.invalidProfile("not an event-type catalog: \(error)")
        }
        var seen: Set<String> = []
        for entry in entries where entry.type.isEmpty || entry.type.utf8.count > Self.maxTypeBytes || !seen.insert(entry.type).inserted {
            throw ProfileError.invalidProfile("event type \"\(entry.type)\" is empty, longer than \(Self.maxTypeBytes) bytes, or listed twice")
        }
        return EventTypeCatalog(entries: entries)
    }

    /// Whether the catalog lists `type`.
    public func contains(_ type: String) -> Bool {
        self.entries.contains { $0.type == type }
    }
}
