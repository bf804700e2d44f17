import ArgumentParser
import Foundation
import HooklogCore
import HooklogJournal

/// `hooklog export`: the raw receipt log, streamed to standard output.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Stream the log as JSON lines or CSV to standard output, then a manifest line.",
        discussion: """
            One line per record: sequence, append time, kind, the tenant it belongs to, the record's \
            fields, an event's raw request body verbatim (a JSON string in jsonl, raw_body_base64 there \
            instead for a body that is not UTF-8; base64 in csv), the stored chain hash. The manifest \
            line gives the count, the first and last sequence and the chain head: the newest entry of \
            the log appended before --until (the log's head without it), whoever's it is (with \
            --tenant, often another tenant's), which equals `hooklog verify`'s head when the window \
            reaches the log's end; window_closed: whether the log had passed --until when the export \
            opened, so that no record can still land inside the window; and owners_known: whether \
            the projections told whose each record is. Secrets (signing secrets, \
            bearer tokens) are redacted. Works on a running server's data directory too. It exits 0 \
            when the manifest is out, 1 when an entry whose bytes changed stopped it (without a \
            manifest), 2 when it could not export (no Hooklog data there, an unknown tenant), and 64 \
            for a malformed option.
            """
    )

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "Only records appended at or after this time (RFC 3339, or milliseconds since 1970: 13 digits, not seconds).")
    var since: TimeArgument?

    @Option(help: "Only records appended before this time (RFC 3339, or milliseconds since 1970: 13 digits, not seconds).")
    var until: TimeArgument?

    @Option(help: "jsonl or csv.")
    var format: ExportFormatOption = .jsonl

    @Option(help: "Only this tenant's records (ten_…); all records when not given.")
    var tenant: String?

    @Flag(help: .hidden)
    var stats = false

    func validate() throws {
        // A usage error (64), not a verdict on the log (1, an export stopped at a damaged entry).
        if let since = self.since, let until = self.until, since.milliseconds >= until.milliseconds {
            throw ValidationError("the window is empty: --since must be before --until")
        }
    }

    func run() async throws {
        try await CommandFailure.exitingTwoWhenUnable(to: "export") { try await self.export() }
    }

    private func export() async throws {
        let (environment, projections) = try ExportSource.open(try await self.data.existingPath(), needsProjections: self.tenant != nil)
        var tenantId: TenantID?
        if let tenant = self.tenant, let projections {
            guard let parsed = TenantID.parse(tenant) else { throw CommandFailure("--tenant \(tenant) is not a tenant id (ten_…)") }
            let known = try environment.read { try TransactionProjections(transaction: $0, databases: projections).tenant(parsed) != nil }
            guard known else {
                throw CommandFailure("no tenant \(tenant) in \(environment.path)")
            }
            tenantId = parsed
        }
        let filter = ExportFilter(sinceMs: self.since?.milliseconds, untilMs: self.until?.milliseconds, tenantId: tenantId)
        var export = try LogExport(environment: environment, projections: projections, filter: filter, format: self.format.format)
        // Drawn only when the records go elsewhere: on a terminal it would cut into them.
        let progress = ProgressBar(
            "export",
            totalCount: export.window.map { $0.upperBound - $0.lowerBound + 1 } ?? 0,
            isEnabled: isatty(STDERR_FILENO) != 0 && isatty(STDOUT_FILENO) == 0
        )
        let startedAt = ContinuousClock.now
        var byteCount = 0
        do {
            // Cleared whichever way it ends, so that an error is not printed onto the bar's line.
            defer { progress.finish() }
            while let chunk = try export.nextChunk() {
                try StandardOutput.write(chunk)
                byteCount += chunk.count
                progress.update(export.readCount)
            }
        } catch let damage as LogFormatError {
            // A verdict on the log, as verify's: told apart from an export that could not be made.
            FileHandle.standardError.write(Data("export stopped without its manifest: \(damage)\n".utf8))
            throw ExitCode(1)
        }
        if self.stats {
            // For Tools/bench-tools: the rate of the export itself, on standard error.
            let seconds = startedAt.duration(to: .now).inSeconds
            let count = export.manifest?.count ?? 0
            FileHandle.standardError.write(Data((
                "export: \(count) records, \(byteCount) bytes in \(String(format: "%.3f", seconds)) s: "
                    + "\(Int(Double(count) / seconds)) records/s, \(String(format: "%.1f", Double(byteCount) / seconds / 1e6)) MB/s\n"
            ).utf8))
        }
    }
}
