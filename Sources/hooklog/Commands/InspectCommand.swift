import ArgumentParser
import HooklogJournal

/// `hooklog inspect`: an event's or a delivery's full story.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show an event's or a delivery's story: its records in order, attempts with status and latency."
    )

    @OptionGroup var data: DataDirectoryOptions

    @Argument(help: "An event id (evt_…) or a delivery id (dlv_…).")
    var id: String

    @Flag(help: "Print JSON for machines instead of tables.")
    var json = false

    func run() async throws {
        let environment = try LMDBEnvironment(.init(path: try await self.data.existingPath(), readOnly: true), databaseNames: HooklogStore.databaseNames)
        let story = try InspectedStory.load(self.id, from: environment)
        print(self.json ? try story.json() : story.text)
    }
}
