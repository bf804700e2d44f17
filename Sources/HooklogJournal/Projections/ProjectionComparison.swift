public import HooklogCore

/// Compares the projections of two environments byte for byte (what `rebuild --check` and the
/// live-versus-rebuilt tests assert).
public enum ProjectionComparison {
    /// The first difference between `live` and `rebuilt` in the named databases, described for a
    /// person; `nil` when every key and value is identical.
    public static func firstDifference(
        between live: LMDBEnvironment,
        and rebuilt: LMDBEnvironment,
        databaseNames: [String] = ProjectionTable.databaseNames
    ) throws -> String? {
        try live.read { liveTransaction in
            try rebuilt.read { rebuiltTransaction in
                for name in databaseNames {
                    let difference = try liveTransaction.withCursor(over: live.database(name)) { liveCursor in
                        try rebuiltTransaction.withCursor(over: rebuilt.database(name)) { rebuiltCursor in
                            try Self.firstDifference(in: name, &liveCursor, &rebuiltCursor)
                        }
                    }
                    if let difference { return difference }
                }
                return nil
            }
        }
    }

    private static func firstDifference(in name: String, _ live: inout Cursor, _ rebuilt: inout Cursor) throws -> String? {
        var liveEntry = try live.first()
        var rebuiltEntry = try rebuilt.first()
        var position = 0
        while true {
            switch (liveEntry, rebuiltEntry) {
            case (nil, nil):
                return nil
            case (let entry?, nil):
                return "\(name): live has key \(entry.key.hexString) (entry \(position)) that the rebuild lacks"
            case (nil, let entry?):
                return "\(name): the rebuild has key \(entry.key.hexString) (entry \(position)) that live lacks"
            case (let left?, let right?):
                // Both in key order: the smaller key is the one the other side lacks.
                if ByteOrder.precedes(left.key, right.key) {
                    return "\(name): live has key \(left.key.hexString) (entry \(position)) that the rebuild lacks"
                }
                if ByteOrder.precedes(right.key, left.key) {
                    return "\(name): the rebuild has key \(right.key.hexString) (entry \(position)) that live lacks"
                }
                if !left.value.elementsEqual(right.value) {
                    return "\(name): key \(left.key.hexString) holds different values live and rebuilt"
                }
            }
            position += 1
            liveEntry = try live.next()
            rebuiltEntry = try rebuilt.next()
        }
    }
}
