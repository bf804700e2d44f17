import ArgumentParser
import Configuration
import Foundation
import HooklogAPI
import SystemPackage

/// The configuration `hooklog serve` runs with, which the tools read their data directory from:
/// the `HOOKLOG_*` variables over the YAML file (`--config`, else `Config/hooklog.yaml` if it
/// exists), scoped to `hooklog`.
struct ConfigurationFileOptions: ParsableArguments {
    /// The default configuration file, relative to the working directory.
    static let defaultPath = "Config/hooklog.yaml"

    @Option(name: .customLong("config"), help: "A YAML configuration file (default: Config/hooklog.yaml if it exists).")
    var path: String?

    /// The reader of the `hooklog` keys.
    func reader() async throws -> ConfigReader {
        let path = self.path ?? Self.defaultPath
        let file: FileProvider<YAMLSnapshot>
        do {
            file = try await FileProvider<YAMLSnapshot>(filePath: FilePath(path), allowMissing: self.path == nil)
        } catch {
            throw CommandFailure("cannot read the configuration \(path): \(error)")
        }
        if let yaml = try? String(contentsOfFile: path, encoding: .utf8) {
            do {
                try HooklogConfiguration.checkKeys(ofFile: yaml)
            } catch {
                throw CommandFailure("invalid configuration \(path): \(error)")
            }
        }
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(secretsSpecifier: .specific(["HOOKLOG_ADMIN_KEY"])),
            file,
        ])
        return reader.scoped(to: "hooklog")
    }
}
