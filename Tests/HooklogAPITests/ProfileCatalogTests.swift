import Foundation
import HooklogAPI
import HooklogDelivery
import Logging
import ServiceLifecycle
import Testing

/// Profiles are data, checked where they are loaded: two files naming one profile, or a profile
/// that stored endpoints use gone from the folder, stop the start rather than send another
/// profile's envelope.
@Suite("Wire profile catalog checks", .timeLimit(.minutes(1)))
struct ProfileCatalogTests {
    @Test func twoFilesNamingOneProfileAreRefused() throws {
        let folder = try Self.copyOfTheProfiles()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: folder + "/callingbox.json", toPath: folder + "/callingbox-v2.json")
        let error = #expect(throws: WireProfileCatalog.CatalogError.self) { try WireProfileCatalog.load(folder: folder) }
        #expect(error?.description.contains("callingbox-v2.json and callingbox.json both define the profile callingbox") == true, "\(String(describing: error))")
    }

    @Test func aProfileStoredEndpointsUseMissingFromTheFolderStopsTheStart() async throws {
        let harness = try await APIHarness.start()
        let key = try await harness.createTenant()
        _ = try await harness.createEndpoint(key: key, path: "/hook", profile: "callina")
        await harness.stop(removingData: false)
        defer { try? FileManager.default.removeItem(atPath: harness.folder) }

        try await Self.expectTheStartRefused(dataDirectory: harness.folder, lacking: "callina")
    }

    /// Invocations that name no profile use `callina-midcall`: always in use.
    @Test func theInvocationsDefaultProfileMissingStopsTheStart() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-profiles-data-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await Self.expectTheStartRefused(dataDirectory: folder, lacking: "callina-midcall")
    }

    /// Starts on `dataDirectory` with a copy of the configuration lacking `profile`'s file, and
    /// expects the start refused naming it.
    private static func expectTheStartRefused(dataDirectory: String, lacking profile: String) async throws {
        let config = NSTemporaryDirectory() + "hooklog-config-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: config) }
        try FileManager.default.copyItem(atPath: APIHarness.configFolder, toPath: config)
        try FileManager.default.removeItem(atPath: config + "/profiles/\(profile).json")
        let configuration = HooklogConfiguration(dataDirectory: dataDirectory, port: 0, allowsPrivateURLs: true, configDirectory: config, preallocateMib: 0)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let ready = AsyncStream<Void>.makeStream()
        do {
            let application = try buildApplication(configuration: configuration, logger: logger, onReady: { _ in ready.continuation.yield() })
            Issue.record("started without the profile \(profile)")
            // Run and stop what started, so that its HTTP clients are shut down.
            let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
            let running = Task { try await group.run() }
            for await _ in ready.stream { break }
            await group.triggerGracefulShutdown()
            try await running.value
        } catch let error as ConfigurationError {
            #expect(error.description.contains("use the wire profiles \(profile), which \(config)/profiles lacks"), "\(error)")
        }
    }

    private static func copyOfTheProfiles() throws -> String {
        let folder = NSTemporaryDirectory() + "hooklog-profiles-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: APIHarness.configFolder + "/profiles", toPath: folder)
        return folder
    }
}
