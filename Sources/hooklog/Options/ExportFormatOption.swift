import ArgumentParser
import HooklogJournal

/// `--format jsonl|csv` of `hooklog export`.
enum ExportFormatOption: String, ExpressibleByArgument, CaseIterable {
    case jsonl
    case csv

    /// The exporter's format.
    var format: ExportFormat {
        switch self {
        case .jsonl: .jsonl
        case .csv: .csv
        }
    }
}
