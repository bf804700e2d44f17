import Foundation
import HooklogJournal

/// Where `export` reads from, and where `verify --export` renders an export's lines again.
enum ExportSource {
    /// The data directory, read-only, with its projections when they can be read: they tell whose
    /// each record is. A tenant's export needs them; an export of every record goes on without
    /// them (an older build's directory, or a rebuild cut short), saying what its lines lack.
    static func open(_ path: String, needsProjections: Bool) throws -> (LMDBEnvironment, ProjectionDatabases?) {
        let fallback: (environment: LMDBEnvironment, reason: String)
        do {
            let environment = try LMDBEnvironment(.init(path: path, readOnly: true), databaseNames: HooklogStore.databaseNames)
            guard let reason = try ProjectionRebuilder.reasonToRebuild(environment) else {
                return (environment, ProjectionDatabases(environment: environment))
            }
            if needsProjections { throw DataDirectoryOptions.unusableProjections(of: path, reason: reason) }
            fallback = (environment, reason)
        } catch let missing as LMDBEnvironment.MissingDatabase where !needsProjections {
            // An older build's directory: its log alone can be read.
            let environment = try LMDBEnvironment(.init(path: path, readOnly: true), databaseNames: Journal.databaseNames)
            fallback = (environment, "they have no \(missing.name) database yet")
        }
        FileHandle.standardError.write(Data("note: the projections of \(path) cannot be used (\(fallback.reason)): only records that name their tenant have a tenant_id\n".utf8))
        return (fallback.environment, nil)
    }
}
