import HooklogCore
import Foundation

/// Where a listing stopped: the index it lists and the last key it returned, shown to clients as
/// opaque base64url text (the index's ordinal, then the key). Resuming after the key (never at
/// it) neither skips nor repeats an entry, because index keys never change and new entries land
/// in key order. The index is named so that a cursor of one listing (events, say) passed to
/// another whose keys look alike (deliveries) is refused, not read as a place in it.
public struct PageCursor: Sendable, Equatable {
    /// The index listed.
    let table: ProjectionTable
    /// The index key the previous page ended at.
    let key: [UInt8]

    init(table: ProjectionTable, key: [UInt8]) {
        self.table = table
        self.key = key
    }

    /// Reads a cursor from its text; `nil` when it is not one.
    public init?(text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        guard text.utf8.count <= 256, let bytes = Base64.decode(base64), bytes.count > 1,
            let table = ProjectionTable.allCases.first(where: { $0.ordinal == Int(bytes[0]) })
        else { return nil }
        self.table = table
        self.key = Array(bytes.dropFirst())
    }

    /// The text clients pass back as `cursor`.
    public var text: String {
        var text = Base64.encode([UInt8(self.table.ordinal)] + self.key)
        while text.hasSuffix("=") { text.removeLast() }
        return text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
}

/// One page of a listing.
public struct Page<Item: Sendable>: Sendable {
    /// The items, in index order.
    public let items: [Item]
    /// Where the next page starts; `nil` when nothing follows.
    public let nextCursor: PageCursor?
}

/// Why a query was refused.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Internal: Equatable {
        case invalidCursor
    }

    private let value: Internal

    /// The cursor was not made by this listing (another filter, another tenant, or garbled).
    public static var invalidCursor: Self { Self(value: .invalidCursor) }

    public var description: String {
        switch self.value {
        case .invalidCursor: "the cursor does not belong to this listing; start again without it"
        }
    }
}
