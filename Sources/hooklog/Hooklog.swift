import ArgumentParser

/// The `hooklog` command line.
@main
struct Hooklog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooklog",
        abstract: "Durable webhook delivery: an append-only, hash-chained LMDB log and the tools around it.",
        subcommands: [
            ServeCommand.self,
            SelfCheckCommand.self,
            VerifyCommand.self,
            RebuildCommand.self,
            ExportCommand.self,
            InspectCommand.self,
            ResendCommand.self,
            DevSeedCommand.self,
            DevScanCommand.self,
            DevCopyProjectionsCommand.self,
        ]
    )

    static func main() async {
        MapReadFailure.sayInWords()
        await Self.main(nil)
    }
}
