public import HooklogJournal

extension LMDBEnvironment {
    /// Changes the case of the first letter of `marker` in every log entry holding it, as a bad
    /// sector or an edit would, leaving the stored chain hashes as they were; returns the
    /// sequences changed.
    public func changeLogEntries(holding marker: String) throws -> [UInt64] {
        let log = self.database(LogReader.databaseName)
        let head = try LogReader(environment: self).head().sequence
        var changed: [UInt64] = []
        try self.write { transaction in
            for sequence in 1...max(head, 1) {
                guard var stored = try transaction.value(forKey: LogEntryLayout.key(sequence), in: log),
                    let range = stored.firstRange(of: Array(marker.utf8))
                else { continue }
                stored[range.lowerBound] ^= 0x20
                try transaction.put(stored, forKey: LogEntryLayout.key(sequence), in: log)
                changed.append(sequence)
            }
        }
        return changed
    }
}
