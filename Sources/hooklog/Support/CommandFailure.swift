import ArgumentParser
import Foundation

/// A failure to report to the operator in one sentence; the command exits with status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }

    /// Runs a check whose verdict exits 0, or 1 (`ExitCode`); any other failure means the check
    /// could not be made: it is told on standard error as "cannot `doing`: …", and exits 2, so
    /// that scripts tell it apart from the verdict.
    static func exitingTwoWhenUnable(to doing: String, _ check: () async throws -> Void) async throws {
        do {
            try await check()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandle.standardError.write(Data("cannot \(doing): \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
