import Configuration
import Foundation
import HooklogAPI
import HooklogCore
import HooklogDelivery
import Testing

@Suite("Configuration: file values, environment overrides, defaults")
struct ConfigurationTests {
    /// A key the file holds but no setting reads would be dropped without a word: a misspelt
    /// or misplaced one, or a list where one value goes, is refused naming it.
    @Test func testAFilesKeysAreCheckedBeforeItsValuesAreRead() throws {
        let refused: [(yaml: String, message: String)] = [
            ("hooklog:\n  datadir: /srv/hooklog\n", "unknown key hooklog.datadir (did you mean dataDir?)"),
            ("dataDir: /srv/hooklog\n", "unknown key dataDir at the top"),
            ("hooklog:\n  retrySchedule: [5s, 5m]\n", "hooklog.retrySchedule must be one value"),
            ("hooklog:\n  midcall:\n    retrycount: 2\n", "unknown key hooklog.midcall.retrycount (did you mean midcall.retryCount?)"),
            ("hooklog:\n  midCall:\n    retryCount: 2\n", "unknown key hooklog.midCall (did you mean midcall?)"),
            ("hooklog: [1, 2]\n", "hooklog must hold the settings as a mapping"),
            // A setting missing its colon reads as text under hooklog: every setting at its default.
            ("hooklog:\n  dataDir /srv/hooklog\n", "hooklog must hold the settings as a mapping"),
            ("- hooklog\n", "the file must be a mapping"),
        ]
        for (yaml, message) in refused {
            let error = #expect(throws: ConfigurationError.self) { try HooklogConfiguration.checkKeys(ofFile: yaml) }
            #expect(error?.description.contains(message) == true, "\(yaml): \(String(describing: error))")
        }
        try HooklogConfiguration.checkKeys(ofFile: "")
        try HooklogConfiguration.checkKeys(ofFile: "hooklog:\n")
        try HooklogConfiguration.checkKeys(ofFile: "hooklog:\n  midcall:\n")
        #expect(throws: ConfigurationError.self) { try HooklogConfiguration.checkKeys(ofFile: "hooklog:\n  midcall: 3\n") }
        try HooklogConfiguration.checkKeys(ofFile: "hooklog:\n  adminKey:\n  midcall:\n    fallbackTransferTo: \"+43662275124\"\n")
    }

    /// The default file lists every key (two of them commented out), and passes the check; the
    /// README names every key's variable.
    @Test func testTheDefaultFileAndTheReadmeListEveryKey() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: repository.appendingPathComponent("Config/hooklog.yaml"), encoding: .utf8)
        try HooklogConfiguration.checkKeys(ofFile: file)
        var listed: [String] = []
        var section = ""
        for line in file.split(separator: "\n") {
            let indent = line.prefix { $0 == " " }.count
            let text = line.drop { $0 == " " || $0 == "#" }.drop { $0 == " " }
            guard indent >= 2, let colon = text.firstIndex(of: ":"), text[..<colon].allSatisfy(\.isLetter) else { continue }
            let key = String(text[..<colon])
            if indent == 2 { section = "" }
            if key == "midcall" {
                section = "midcall."
                continue
            }
            listed.append(section + key)
        }
        #expect(listed.sorted() == HooklogConfiguration.keys.sorted())
        let readme = try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
        for key in HooklogConfiguration.keys {
            #expect(readme.contains(HooklogConfiguration.environmentVariable(forKey: key)), "README names \(key)'s variable")
        }
        #expect(HooklogConfiguration.environmentVariable(forKey: "maxConcurrentAttemptsPerEndpoint") == "HOOKLOG_MAX_CONCURRENT_ATTEMPTS_PER_ENDPOINT")
        #expect(HooklogConfiguration.environmentVariable(forKey: "midcall.fallbackTransferTo") == "HOOKLOG_MIDCALL_FALLBACK_TRANSFER_TO")
    }

    @Test func testVariablesThatSetNothingAreFound() {
        let environment = [
            "HOOKLOG_DATADIR": "/srv", "HOOKLOG_DATA_DIR": "/srv", "HOOKLOG_API_KEY": "k", "HOOKLOG_BENCH_RESULTS": "x",
            "HOOKLOG_MIDCALL_RETRY_COUNT": "1", "HOOKLOG_RETRY_SCHEDUEL": "5s", "PATH": "/usr/bin",
        ]
        #expect(HooklogConfiguration.unknownVariables(in: environment) == ["HOOKLOG_DATADIR", "HOOKLOG_RETRY_SCHEDUEL"])
    }

    @Test
    func testEnvironmentWinsOverTheFileAndDefaultsFillTheRest() throws {
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(environmentVariables: [
                "HOOKLOG_DATA_DIR": "/srv/hooklog",
                "HOOKLOG_ALLOW_PRIVATE_URLS": "1",
                "HOOKLOG_RETRY_SCHEDULE": "50ms,100ms,200ms",
                "HOOKLOG_REQUEST_TIMEOUT": "500ms",
                "HOOKLOG_COMMIT_DELAY_US": "250",
                "HOOKLOG_PREALLOCATE_MIB": "8",
            ]),
            InMemoryProvider(values: [
                "hooklog.dataDir": "./from-file",
                "hooklog.listen": "0.0.0.0:9090",
                "hooklog.adminKey": .init(.string("file-admin"), isSecret: true),
            ]),
        ])
        let configuration = try HooklogConfiguration(reader: reader.scoped(to: "hooklog"))
        #expect(configuration.dataDirectory == "/srv/hooklog")
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9090)
        #expect(configuration.adminKey == "file-admin")
        #expect(configuration.allowsPrivateURLs)
        #expect(configuration.retrySchedule.delaysMs == [50, 100, 200])
        #expect(configuration.requestTimeoutMs == 500)
        #expect(configuration.commitDelayUs == 250)
        #expect(configuration.preallocateMib == 8)
        #expect(configuration.maxBodyBytes == 1 << 20)
        #expect(configuration.listenAddress == "0.0.0.0:9090")
    }

    @Test
    func testDefaultsMatchTheDesign() throws {
        let configuration = try HooklogConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: [:])).scoped(to: "hooklog"))
        #expect(configuration.dataDirectory == "./data")
        #expect(configuration.listenAddress == "127.0.0.1:8080")
        #expect(configuration.adminKey == nil)
        #expect(!configuration.allowsPrivateURLs)
        #expect(configuration.retrySchedule == .standard)
        #expect(configuration.requestTimeoutMs == 10_000)
        #expect(configuration.commitDelayUs == 0)
        #expect(configuration.preallocateMib == 64)
    }

    @Test(arguments: [
        ["HOOKLOG_LISTEN": "no-port"],
        ["HOOKLOG_RETRY_SCHEDULE": "5 parsecs"],
        ["HOOKLOG_REQUEST_TIMEOUT": "soon"],
        ["HOOKLOG_LOG_LEVEL": "loud"],
        ["HOOKLOG_COMMIT_DELAY_US": "-1"],
        ["HOOKLOG_COMMIT_DELAY_US": "1000000"],
        ["HOOKLOG_PREALLOCATE_MIB": "-1"],
        ["HOOKLOG_PREALLOCATE_MIB": "5000"],
        ["HOOKLOG_MIDCALL_RETRY_COUNT": "9"],
        ["HOOKLOG_MIDCALL_FALLBACK_NEXT_ACTION": "hang-up"],
        ["HOOKLOG_MIDCALL_WAITING_SAY": ""],
        ["HOOKLOG_MIDCALL_FALLBACK_TRANSFER_TO": "call me"],
        // No folder at all: not the file's, nor the default.
        ["HOOKLOG_DATA_DIR": ""],
        ["HOOKLOG_CONFIG_DIR": ""],
        // Values the reader cannot read as their type, once replaced by the default without a word.
        ["HOOKLOG_MAX_BODY_BYTES": "2MiB"],
        ["HOOKLOG_COMMIT_DELAY_US": "fast"],
        ["HOOKLOG_ALLOW_PRIVATE_URLS": "maybe"],
        // Limits that would stop every delivery.
        ["HOOKLOG_MAX_CONCURRENT_ATTEMPTS": "0"],
        ["HOOKLOG_MAX_CONCURRENT_ATTEMPTS_PER_ENDPOINT": "0"],
        // Timeouts past an hour (a stop's deadline is their sum, and must not overflow).
        ["HOOKLOG_REQUEST_TIMEOUT": "100000000000d"],
        ["HOOKLOG_MIDCALL_ATTEMPT_TIMEOUT": "61m"],
    ])
    func testUnusableValuesAreRefusedNamingTheKey(_ environment: [String: String]) throws {
        let reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
        let error = try #require(throws: ConfigurationError.self) { try HooklogConfiguration(reader: reader.scoped(to: "hooklog")) }
        let variable = try #require(environment.keys.first)
        #expect(error.description.contains(variable), "\(error.description)")
        // The file's key too, dotted as the file has it.
        let key = try #require(HooklogConfiguration.keys.first { HooklogConfiguration.environmentVariable(forKey: $0) == variable })
        #expect(error.description.contains(key + " ("), "\(error.description)")
    }

    /// After a leak, a rotated-out secret may stop signing at once.
    @Test
    func testASecretRotationGraceOfZeroIsTaken() throws {
        let reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: ["HOOKLOG_SECRET_ROTATION_GRACE": "0s"]))
        #expect(try HooklogConfiguration(reader: reader.scoped(to: "hooklog")).secretRotationGraceMs == 0)
    }

    @Test
    func testMidCallSettingsComeFromTheFileAndTheEnvironment() throws {
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(environmentVariables: [
                "HOOKLOG_MIDCALL_RETRY_COUNT": "2",
                "HOOKLOG_MIDCALL_FALLBACK_NEXT_ACTION": "voicemail",
                "HOOKLOG_MIDCALL_WAITING_SAY": "Einen Moment bitte.",
                "HOOKLOG_MIDCALL_FALLBACK_TRANSFER_TO": "+43662275124",
            ]),
            InMemoryProvider(values: [
                "hooklog.midcall.fallbackSay": "Bitte bleiben Sie dran.",
                "hooklog.midcall.retryCount": 0,
            ]),
        ])
        let configuration = try HooklogConfiguration(reader: reader.scoped(to: "hooklog"))
        #expect(configuration.midCall.retryCount == 2)
        #expect(configuration.midCall.fallbackNextAction == "voicemail")
        #expect(configuration.midCall.fallbackSay == "Bitte bleiben Sie dran.")
        #expect(configuration.midCall.waitingSay == "Einen Moment bitte.")
        #expect(configuration.midCall.fallbackTransferTo == "+43662275124")
        #expect(configuration.midCall.attemptTimeoutMs == 10_000)
    }
}
