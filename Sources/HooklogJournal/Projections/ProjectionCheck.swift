import Foundation
import HooklogCore

/// What `hooklog rebuild --check` does: rebuilds a store's projections from its log into a
/// scratch environment and compares them, byte for byte, with the live ones.
public enum ProjectionCheck {
    /// Rebuilds `environment`'s log into a new environment at `scratchPath` (removed afterwards)
    /// and returns the first difference from the live projections, described for a person, or
    /// `nil` when they are identical; throws `ProjectionCheckError` when the live projections are
    /// not meant to be read as they stand. `progress` hears the sequence the rebuild reached.
    ///
    /// The live projections must not change meanwhile: run it on a stopped data directory.
    public static func firstDifference(
        in environment: LMDBEnvironment,
        scratchPath: String,
        progress: (UInt64) -> Void = { _ in }
    ) throws -> String? {
        if let reason = try ProjectionRebuilder.reasonToRebuild(environment) {
            throw ProjectionCheckError(reason: "the live projections cannot be compared as they stand (\(reason)): run `hooklog rebuild`")
        }
        defer { try? FileManager.default.removeItem(atPath: scratchPath) }
        let scratch = try LMDBEnvironment(
            // Thrown away afterwards, so its commits need not reach the disk.
            .init(path: scratchPath, initialMapSizeBytes: max(environment.mapSizeBytes, 64 << 20), syncsCommits: false),
            databaseNames: HooklogStore.databaseNames
        )
        try ProjectionRebuilder(source: LogReader(environment: environment), target: scratch)
            .rebuild(progress: progress)
        return try ProjectionComparison.firstDifference(between: environment, and: scratch)
    }
}

/// Why the live projections could not be checked at all (as opposed to differing).
public struct ProjectionCheckError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { self.reason }
}
