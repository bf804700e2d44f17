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
        guard self.connectionIdleTimeoutMs > 0 else {
            throw ConfigurationError(description: "connectionIdleTimeout (HOOKLOG_CONNECTION_IDLE_TIMEOUT) must be positive")
        }
        self.requestBodyTimeoutMs = try Self.duration(reader, "requestBodyTimeout", "HOOKLOG_REQUEST_BODY_TIMEOUT") ?? self.requestBodyTimeoutMs
        guard self.requestBodyTimeoutMs > 0 else {
            throw ConfigurationError(description: "requestBodyTimeout (HOOKLOG_REQUEST_BODY_TIMEOUT) must be positive")
        }
        self.configDirectory = reader.string(forKey: "configDir", default: self.configDirectory)
        if let grace = try Self.duration(reader, "secretRotationGrace", "HOOKLOG_SECRET_ROTATION_GRACE") {
            self.secretRotationGraceMs = UInt64(grace)
        }
        self.endpointDisableAfterMs = try Self.duration(reader, "endpointDisableAfter", "HOOKLOG_ENDPOINT_DISABLE_AFTER") ?? self.endpointDisableAfterMs
        self.maxConcurrentAttempts = reader.int(forKey: "maxConcurrentAttempts", default: self.maxConcurrentAttempts)
        self.maxConcurrentAttemptsPerEndpoint = reader.int(forKey: "maxConcurrentAttemptsPerEndpoint", default: self.maxConcurrentAttemptsPerEndpoint)
        self.maxEndpointsPerTenant = reader.int(forKey: "maxEndpointsPerTenant", default: self.maxEndpointsPerTenant)
        guard (1...100_000).contains(self.maxEndpointsPerTenant) else {
            throw ConfigurationError(description: "maxEndpointsPerTenant (HOOKLOG_MAX_ENDPOINTS_PER_TENANT) must be 1 to 100000, not \(self.maxEndpointsPerTenant)")
        }
        self.commitDelayUs = reader.int(forKey: "commitDelayUs", default: self.commitDelayUs)
        guard (0...10_000).contains(self.commitDelayUs) else {
            throw ConfigurationError(description: "commitDelayUs (HOOKLOG_COMMIT_DELAY_US) must be 0 to 10000 microseconds, not \(self.commitDelayUs)")
        }
        self.preallocateMib = reader.int(forKey: "preallocateMib", default: self.preallocateMib)
        guard (0...4096).contains(self.preallocateMib) else {
            throw ConfigurationError(description: "preallocateMib (HOOKLOG_PREALLOCATE_MIB) must be 0 to 4096 MiB, not \(self.preallocateMib)")
        }
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
        let retryCount = reader.int(forKey: "retryCount", default: self.midCall.retryCount)
        guard (0...5).contains(retryCount) else {
            throw ConfigurationError(description: "midcall.retryCount (HOOKLOG_MIDCALL_RETRY_COUNT) must be 0 to 5, not \(retryCount)")
        }
        self.midCall.retryCount = retryCount
        self.midCall.attemptTimeoutMs = try Self.duration(reader, "attemptTimeout", "HOOKLOG_MIDCALL_ATTEMPT_TIMEOUT") ?? self.midCall.attemptTimeoutMs
        self.midCall.maxRunningCalls = reader.int(forKey: "maxRunningCalls", default: self.midCall.maxRunningCalls)
        guard (1...100_000).contains(self.midCall.maxRunningCalls) else {
            throw ConfigurationError(description: "midcall.maxRunningCalls (HOOKLOG_MIDCALL_MAX_RUNNING_CALLS) must be 1 to 100000, not \(self.midCall.maxRunningCalls)")
        }
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
