import Yams

extension HooklogConfiguration {
    /// Every key `init(reader:)` reads under `hooklog`, dotted below it: all a configuration file
    /// may hold (`Config/hooklog.yaml` lists each).
    public static let keys: [String] = [
        "dataDir", "listen", "adminKey", "allowPrivateUrls", "retrySchedule", "requestTimeout", "maxBodyBytes",
        "connectionIdleTimeout", "requestBodyTimeout", "configDir", "secretRotationGrace", "endpointDisableAfter",
        "maxConcurrentAttempts", "maxConcurrentAttemptsPerEndpoint", "maxEndpointsPerTenant", "replayMaxDeliveries",
        "commitDelayUs", "preallocateMib", "logLevel",
        "midcall.retryCount", "midcall.attemptTimeout", "midcall.maxRunningCalls", "midcall.maxRunningCallsPerTenant", "midcall.waitingSay", "midcall.fallbackSay",
        "midcall.fallbackNextAction", "midcall.fallbackTransferTo",
    ]

    /// An admin key shorter than this is warned about at start (32 bytes: 256 bits of hex is 64).
    public static let shortestSafeAdminKeyBytes = 32

    /// Variables named `HOOKLOG_*` that set no key: the tools' own (`hooklog resend`'s key) and
    /// the scripts' in `Tools/` (`HOOKLOG_BENCH_*`).
    static let variablesOfTheTools = ["HOOKLOG_API_KEY", "HOOKLOG_BUILD"]
    static let variablePrefixOfTheScripts = "HOOKLOG_BENCH_"

    /// The environment variable `key` is read from: `midcall.retryCount` ↔ `HOOKLOG_MIDCALL_RETRY_COUNT`.
    public static func environmentVariable(forKey key: String) -> String {
        var name = "HOOKLOG_"
        for character in key {
            if character == "." {
                name += "_"
            } else if character.isUppercase {
                name += "_" + String(character)
            } else {
                name += character.uppercased()
            }
        }
        return name
    }

    /// The variables of `environment` named `HOOKLOG_*` that set nothing, so that a misspelt
    /// one is told rather than quietly left at its default.
    public static func unknownVariables(in environment: [String: String]) -> [String] {
        let known = Set(Self.keys.map(Self.environmentVariable(forKey:)) + Self.variablesOfTheTools)
        return environment.keys
            .filter { $0.hasPrefix("HOOKLOG_") && !known.contains($0) && !$0.hasPrefix(Self.variablePrefixOfTheScripts) }
            .sorted()
    }

    /// Checks a configuration file's keys before its values are read: the values of a key
    /// misspelt, misplaced (outside `hooklog:`) or given as a list or mapping would otherwise be
    /// left at their defaults without a word, and a `dataDir` so lost puts the journal elsewhere.
    /// Throws naming the first such key.
    public static func checkKeys(ofFile yaml: String) throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigurationError(description: "the file is not YAML: \(error)")
        }
        guard let root else { return }  // empty: every default
        guard let top = root.mapping else { throw ConfigurationError(description: "the file must be a mapping with one key, hooklog") }
        for (key, value) in top {
            guard key.string == "hooklog" else {
                throw ConfigurationError(description: "unknown key \(key.string ?? "\(key)") at the top: every setting goes under hooklog:")
            }
            guard let settings = value.mapping else {
                // `hooklog:` with nothing under it; text under it is a setting missing its colon.
                if value.scalar?.string.isEmpty == true { continue }
                throw ConfigurationError(description: "hooklog must hold the settings as a mapping (key: value, each on its own line)")
            }
            try Self.checkKeys(of: settings, under: "")
        }
    }

    private static func checkKeys(of settings: Node.Mapping, under prefix: String) throws {
        for (keyNode, value) in settings {
            let key = prefix + (keyNode.string ?? "\(keyNode)")
            if key == "midcall" {
                if let nested = value.mapping { try Self.checkKeys(of: nested, under: "midcall.") }
                // `midcall:` with nothing under it (every setting commented out) is every default.
                if value.mapping != nil || value.scalar?.string.isEmpty == true { continue }
                throw ConfigurationError(description: "hooklog.midcall must hold its settings as a mapping")
            }
            guard Self.keys.contains(key) else {
                let likely = (Self.keys + ["midcall"]).first { $0.lowercased() == key.lowercased() }
                throw ConfigurationError(
                    description: "unknown key hooklog.\(key)" + (likely.map { " (did you mean \($0)?)" } ?? "") + "; the keys are listed in Config/hooklog.yaml"
                )
            }
            guard value.scalar != nil else {
                throw ConfigurationError(description: "hooklog.\(key) must be one value, not a list or a mapping (a retry schedule is one text: 5s,5m,30m)")
            }
        }
    }
}
