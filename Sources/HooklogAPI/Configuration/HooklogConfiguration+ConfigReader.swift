public import Configuration
import HooklogCore
import HooklogDelivery
import Logging

extension HooklogConfiguration {
    /// Reads the configuration from `reader` (scoped to `hooklog`); see the type's keys. Throws
    /// naming the key of the first value that cannot be used.
    public init(reader: ConfigReader) throws {
        self.init()
        self.dataDirectory = reader.string(forKey: "dataDir", default: self.dataDirectory)
        if let listen = reader.string(forKey: "listen") {
            (self.host, self.port) = try Self.parseListen(listen)
        }
        self.adminKey = reader.string(forKey: "adminKey", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        self.allowsPrivateURLs = reader.bool(forKey: "allowPrivateUrls", default: false)
        if let text = reader.string(forKey: "retrySchedule") {
            do {
                self.retrySchedule = try RetrySchedule(parsing: text)
            } catch {
                throw ConfigurationError(description: "retrySchedule (HOOKLOG_RETRY_SCHEDULE) \"\(text)\": \(error)")
            }
        }
        self.requestTimeoutMs = try Self.duration(reader, "requestTimeout", "HOOKLOG_REQUEST_TIMEOUT") ?? self.requestTimeoutMs
        self.maxBodyBytes = reader.int(forKey: "maxBodyBytes", default: self.maxBodyBytes)
        guard self.maxBodyBytes > 0 else { throw ConfigurationError(description: "maxBodyBytes must be positive") }
        self.connectionIdleTimeoutMs = try Self.duration(reader, "connectionIdleTimeout", "HOOKLOG_CONNECTION_IDLE_TIMEOUT") ?? self.connectionIdleTimeoutMs
        self.requestBodyTimeoutMs = try Self.duration(reader, "requestBodyTimeout", "HOOKLOG_REQUEST_BODY_TIMEOUT") ?? self.requestBodyTimeoutMs
        self.configDirectory = reader.string(forKey: "configDir", default: self.configDirectory)
        if let grace = try Self.duration(reader, "secretRotationGrace", "HOOKLOG_SECRET_ROTATION_GRACE") {
            self.secretRotationGraceMs = UInt64(grace)
        }
        self.endpointDisableAfterMs = try Self.duration(reader, "endpointDisableAfter", "HOOKLOG_ENDPOINT_DISABLE_AFTER") ?? self.endpointDisableAfterMs
        self.maxConcurrentAttempts = reader.int(forKey: "maxConcurrentAttempts", default: self.maxConcurrentAttempts)
        self.maxConcurrentAttemptsPerEndpoint = reader.int(forKey: "maxConcurrentAttemptsPerEndpoint", default: self.maxConcurrentAttemptsPerEndpoint)
        self.maxEndpointsPerTenant = try Self.int(
            reader, "maxEndpointsPerTenant", named: "maxEndpointsPerTenant", "HOOKLOG_MAX_ENDPOINTS_PER_TENANT",
            default: self.maxEndpointsPerTenant, in: 1...100_000
        )
        self.commitDelayUs = try Self.int(
            reader, "commitDelayUs", named: "commitDelayUs", "HOOKLOG_COMMIT_DELAY_US", default: self.commitDelayUs, in: 0...10_000, unit: " microseconds"
        )
        self.preallocateMib = try Self.int(
            reader, "preallocateMib", named: "preallocateMib", "HOOKLOG_PREALLOCATE_MIB", default: self.preallocateMib, in: 0...4096, unit: " MiB"
        )
        if let level = reader.string(forKey: "logLevel") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError(description: "logLevel \"\(level)\" is not one of trace, debug, info, notice, warning, error, critical")
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
        self.midCall.attemptTimeoutMs = try Self.duration(reader, "attemptTimeout", "HOOKLOG_MIDCALL_ATTEMPT_TIMEOUT") ?? self.midCall.attemptTimeoutMs
        self.midCall.maxRunningCalls = try Self.int(
            reader, "maxRunningCalls", named: "midcall.maxRunningCalls", "HOOKLOG_MIDCALL_MAX_RUNNING_CALLS",
            default: self.midCall.maxRunningCalls, in: 1...100_000
        )
        let waitingSay = reader.string(forKey: "waitingSay", default: self.midCall.waitingSay)
        guard !waitingSay.isEmpty else { throw ConfigurationError(description: "midcall.waitingSay (HOOKLOG_MIDCALL_WAITING_SAY) must not be empty") }
        self.midCall.waitingSay = waitingSay
        let say = reader.string(forKey: "fallbackSay", default: self.midCall.fallbackSay)
        guard !say.isEmpty else { throw ConfigurationError(description: "midcall.fallbackSay (HOOKLOG_MIDCALL_FALLBACK_SAY) must not be empty") }
        self.midCall.fallbackSay = say
        let nextAction = reader.string(forKey: "fallbackNextAction", default: self.midCall.fallbackNextAction)
        guard nextAction == "transfer" || nextAction == "voicemail" else {
            throw ConfigurationError(description: "midcall.fallbackNextAction (HOOKLOG_MIDCALL_FALLBACK_NEXT_ACTION) must be transfer or voicemail, not \"\(nextAction)\"")
        }
        self.midCall.fallbackNextAction = nextAction
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

    /// The integer at `key`, `defaultValue` when unset; outside `range` it throws, naming the
    /// setting as `name` and its environment `variable`.
    private static func int(
        _ reader: ConfigReader,
        _ key: String,
        named name: String,
        _ variable: String,
        default defaultValue: Int,
        in range: ClosedRange<Int>,
        unit: String = ""
    ) throws -> Int {
        let value = reader.int(forKey: ConfigKey(key), default: defaultValue)
        guard range.contains(value) else {
            throw ConfigurationError(description: "\(name) (\(variable)) must be \(range.lowerBound) to \(range.upperBound)\(unit), not \(value)")
        }
        return value
    }

    private static func duration(_ reader: ConfigReader, _ key: String, _ variable: String) throws -> Int64? {
        guard let text = reader.string(forKey: ConfigKey(key)) else { return nil }
        do {
            let ms = try DurationParser.milliseconds(text)
            guard ms > 0 else { throw ConfigurationError(description: "\(key) (\(variable)) must be positive") }
            return ms
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(description: "\(key) (\(variable)) \"\(text)\": \(error)")
        }
    }
}
