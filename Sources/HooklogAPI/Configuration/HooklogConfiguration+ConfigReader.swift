public import Configuration
public import HooklogCore
import HooklogDelivery
import HooklogJournal
import Logging

extension HooklogConfiguration {
    /// The admin key `reader` (scoped to `hooklog`) holds: `HOOKLOG_ADMIN_KEY`, else the file's
    /// `adminKey`; `nil` when none, or empty. Read alone by the tools that ask this machine's server.
    public static func adminKey(from reader: ConfigReader) -> String? {
        reader.string(forKey: "adminKey", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The most deliveries one replay re-sends, as `reader` (scoped to `hooklog`) has it: read
    /// alone by `hooklog resend`, which journals replays offline.
    public static func replayMaxDeliveries(from reader: ConfigReader) throws -> Int {
        try Self.int(
            reader, "replayMaxDeliveries", named: "replayMaxDeliveries", "HOOKLOG_REPLAY_MAX_DELIVERIES",
            default: ReplayLimits().maxMatchedCount, in: 1...1_000_000
        )
    }

    /// The event-type catalog of the configuration folder `reader` (scoped to `hooklog`) names:
    /// read alone by `hooklog resend`, which checks a replay's types offline as the API does.
    public static func eventTypes(from reader: ConfigReader) throws -> EventTypeCatalog {
        try EventTypeCatalog.load(configDirectory: try Self.configDirectory(from: reader, default: Self().configDirectory))
    }

    /// `configDir` (`HOOKLOG_CONFIG_DIR`), else `defaultDirectory`.
    private static func configDirectory(from reader: ConfigReader, default defaultDirectory: String) throws -> String {
        try Self.words(reader, "configDir", named: "configDir", "HOOKLOG_CONFIG_DIR", default: defaultDirectory)
    }

    /// Reads the configuration from `reader` (scoped to `hooklog`); see the type's keys. Throws
    /// naming the key of the first value that cannot be used.
    public init(reader: ConfigReader) throws {
        self.init()
        self.dataDirectory = try Self.words(reader, "dataDir", named: "dataDir", "HOOKLOG_DATA_DIR", default: self.dataDirectory)
        if let listen = reader.string(forKey: "listen") {
            (self.host, self.port) = try Self.parseListen(listen)
        }
        self.adminKey = Self.adminKey(from: reader)
        self.allowsPrivateURLs = try Self.bool(reader, "allowPrivateUrls", "HOOKLOG_ALLOW_PRIVATE_URLS", default: false)
        if let text = reader.string(forKey: "retrySchedule") {
            do {
                self.retrySchedule = try RetrySchedule(parsing: text)
            } catch {
                throw ConfigurationError(description: "retrySchedule (HOOKLOG_RETRY_SCHEDULE) \"\(text)\": \(error)")
            }
        }
        self.requestTimeoutMs = try Self.duration(reader, "requestTimeout", "HOOKLOG_REQUEST_TIMEOUT", atMostMs: Self.longestTimeoutMs) ?? self.requestTimeoutMs
        self.maxBodyBytes = try Self.int(
            reader, "maxBodyBytes", named: "maxBodyBytes", "HOOKLOG_MAX_BODY_BYTES", default: self.maxBodyBytes, in: 1...(1 << 30), unit: " bytes"
        )
        self.connectionIdleTimeoutMs = try Self.duration(reader, "connectionIdleTimeout", "HOOKLOG_CONNECTION_IDLE_TIMEOUT") ?? self.connectionIdleTimeoutMs
        self.requestBodyTimeoutMs = try Self.duration(reader, "requestBodyTimeout", "HOOKLOG_REQUEST_BODY_TIMEOUT", atMostMs: Self.longestTimeoutMs) ?? self.requestBodyTimeoutMs
        self.configDirectory = try Self.configDirectory(from: reader, default: self.configDirectory)
        // 0 is a choice: after a leak, the old secret stops signing at once.
        if let grace = try Self.duration(reader, "secretRotationGrace", "HOOKLOG_SECRET_ROTATION_GRACE", allowsZero: true) {
            self.secretRotationGraceMs = UInt64(grace)
        }
        self.endpointDisableAfterMs = try Self.duration(reader, "endpointDisableAfter", "HOOKLOG_ENDPOINT_DISABLE_AFTER") ?? self.endpointDisableAfterMs
        self.maxConcurrentAttempts = try Self.int(
            reader, "maxConcurrentAttempts", named: "maxConcurrentAttempts", "HOOKLOG_MAX_CONCURRENT_ATTEMPTS",
            default: self.maxConcurrentAttempts, in: 1...100_000
        )
        self.maxConcurrentAttemptsPerEndpoint = try Self.int(
            reader, "maxConcurrentAttemptsPerEndpoint", named: "maxConcurrentAttemptsPerEndpoint", "HOOKLOG_MAX_CONCURRENT_ATTEMPTS_PER_ENDPOINT",
            default: self.maxConcurrentAttemptsPerEndpoint, in: 1...100_000
        )
        self.maxEndpointsPerTenant = try Self.int(
            reader, "maxEndpointsPerTenant", named: "maxEndpointsPerTenant", "HOOKLOG_MAX_ENDPOINTS_PER_TENANT",
            default: self.maxEndpointsPerTenant, in: 1...100_000
        )
        self.replayMaxDeliveries = try Self.replayMaxDeliveries(from: reader)
        self.commitDelayUs = try Self.int(
            reader, "commitDelayUs", named: "commitDelayUs", "HOOKLOG_COMMIT_DELAY_US", default: self.commitDelayUs, in: 0...10_000, unit: " microseconds"
        )
        self.preallocateMib = try Self.int(
            reader, "preallocateMib", named: "preallocateMib", "HOOKLOG_PREALLOCATE_MIB", default: self.preallocateMib, in: 0...4096, unit: " MiB"
        )
        if let level = reader.string(forKey: "logLevel") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError(description: "logLevel (HOOKLOG_LOG_LEVEL) \"\(level)\" is not one of trace, debug, info, notice, warning, error, critical")
            }
            self.logLevel = parsed
        }
        try self.readMidCall(reader.scoped(to: "midcall"))
    }

    /// The `midcall.*` keys.
    private mutating func readMidCall(_ reader: ConfigReader) throws {
        self.midCall.retryCount = try Self.int(
            reader, "retryCount", named: "midcall.retryCount", "HOOKLOG_MIDCALL_RETRY_COUNT", default: self.midCall.retryCount, in: 0...5
        )
        self.midCall.attemptTimeoutMs = try Self.duration(
            reader, "attemptTimeout", named: "midcall.attemptTimeout", "HOOKLOG_MIDCALL_ATTEMPT_TIMEOUT", atMostMs: Self.longestTimeoutMs
        ) ?? self.midCall.attemptTimeoutMs
        self.midCall.maxRunningCalls = try Self.int(
            reader, "maxRunningCalls", named: "midcall.maxRunningCalls", "HOOKLOG_MIDCALL_MAX_RUNNING_CALLS",
            default: self.midCall.maxRunningCalls, in: 1...100_000
        )
        self.midCall.maxRunningCallsPerTenant = try Self.int(
            reader, "maxRunningCallsPerTenant", named: "midcall.maxRunningCallsPerTenant", "HOOKLOG_MIDCALL_MAX_RUNNING_CALLS_PER_TENANT",
            default: self.midCall.maxRunningCallsPerTenant, in: 1...100_000
        )
        self.midCall.waitingSay = try Self.words(
            reader, "waitingSay", named: "midcall.waitingSay", "HOOKLOG_MIDCALL_WAITING_SAY", default: self.midCall.waitingSay
        )
        self.midCall.fallbackSay = try Self.words(
            reader, "fallbackSay", named: "midcall.fallbackSay", "HOOKLOG_MIDCALL_FALLBACK_SAY", default: self.midCall.fallbackSay
        )
        let nextAction = reader.string(forKey: "fallbackNextAction", default: self.midCall.fallbackNextAction)
        guard nextAction == "transfer" || nextAction == "voicemail" else {
            throw ConfigurationError(description: "midcall.fallbackNextAction (HOOKLOG_MIDCALL_FALLBACK_NEXT_ACTION) must be transfer or voicemail, not \"\(nextAction)\"")
        }
        self.midCall.fallbackNextAction = nextAction
        if let transferTo = reader.string(forKey: "fallbackTransferTo") {
            guard !transferTo.isEmpty, transferTo.utf8.count <= 64, transferTo.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 }) else {
                throw ConfigurationError(description: "midcall.fallbackTransferTo (HOOKLOG_MIDCALL_FALLBACK_TRANSFER_TO) must be a phone number or address of at most 64 characters, not \"\(transferTo)\"")
            }
            self.midCall.fallbackTransferTo = transferTo
        }
    }

    /// `host:port`, `[v6]:port`.
    static func parseListen(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ConfigurationError(description: "listen (HOOKLOG_LISTEN) \"\(text)\" is not host:port")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ConfigurationError(description: "listen (HOOKLOG_LISTEN) \"\(text)\" has no host") }
        return (host, port)
    }

    /// The integer at `key`, `defaultValue` when unset; not an integer, or outside `range`, it
    /// throws, naming the setting as `name` and its environment `variable`. (The reader's own
    /// `int(forKey:default:)` answers the default for a value it cannot read: `2MiB` would be
    /// dropped without a word.)
    private static func int(
        _ reader: ConfigReader,
        _ key: String,
        named name: String,
        _ variable: String,
        default defaultValue: Int,
        in range: ClosedRange<Int>,
        unit: String = ""
    ) throws -> Int {
        guard let value = reader.int(forKey: ConfigKey(key)) else {
            if let text = reader.string(forKey: ConfigKey(key)) {
                throw ConfigurationError(description: "\(name) (\(variable)) must be a whole number\(unit.isEmpty ? "" : " of" + unit), not \"\(text)\"")
            }
            return defaultValue
        }
        guard range.contains(value) else {
            throw ConfigurationError(description: "\(name) (\(variable)) must be \(range.lowerBound) to \(range.upperBound)\(unit), not \(value)")
        }
        return value
    }

    /// The text at `key`, `defaultValue` when unset; empty, it throws, naming the setting as
    /// `name` and its environment `variable` (what the assistant says cannot be nothing).
    private static func words(_ reader: ConfigReader, _ key: String, named name: String, _ variable: String, default defaultValue: String) throws -> String {
        let text = reader.string(forKey: ConfigKey(key), default: defaultValue)
        guard !text.isEmpty else { throw ConfigurationError(description: "\(name) (\(variable)) must not be empty") }
        return text
    }

    /// The flag at `key`, `defaultValue` when unset; anything the reader cannot take as a flag throws.
    private static func bool(_ reader: ConfigReader, _ key: String, _ variable: String, default defaultValue: Bool) throws -> Bool {
        if let value = reader.bool(forKey: ConfigKey(key)) { return value }
        if let text = reader.string(forKey: ConfigKey(key)) {
            throw ConfigurationError(description: "\(key) (\(variable)) must be true or false (its environment variable also takes yes/no or 1/0), not \"\(text)\"")
        }
        return defaultValue
    }

    private static func duration(
        _ reader: ConfigReader,
        _ key: String,
        named name: String? = nil,
        _ variable: String,
        atMostMs: Int64 = .max,
        allowsZero: Bool = false
    ) throws -> Int64? {
        let name = name ?? key
        guard let text = reader.string(forKey: ConfigKey(key)) else { return nil }
        do {
            let ms = try DurationParser.milliseconds(text)
            guard ms > 0 || (allowsZero && ms == 0) else {
                throw ConfigurationError(description: "\(name) (\(variable)) must be \(allowsZero ? "0 or more" : "positive")")
            }
            guard ms <= atMostMs else {
                throw ConfigurationError(description: "\(name) (\(variable)) must be at most \(atMostMs / 3_600_000)h, not \(text)")
            }
            return ms
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(description: "\(name) (\(variable)) \"\(text)\": \(error)")
        }
    }

    /// The longest an attempt's or a call's timeout may be: an hour. A stop's deadline is their
    /// sum and more, and must not overflow.
    static let longestTimeoutMs: Int64 = 3_600_000
}
