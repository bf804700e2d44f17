import Foundation

/// Runs a built executable to its end, as an operator would from a shell.
///
/// The waiting happens on a thread of its own, never on one of the few threads of Swift's
/// concurrency pool: blocking those would stall every other test running in parallel (and their
/// timing). Pipes are read with `read(2)`, retried on `EINTR`: Foundation's `Process` handles
/// `SIGCHLD`, so a child of a parallel test can interrupt a read, which
/// `FileHandle.readDataToEndOfFile` turns into a crash.
public enum ChildProcess {
    /// How long a child may run before it is killed (its status then tells the signal).
    public static let timeLimitSeconds = 120

    /// The exit status and everything written to standard output and standard error (together).
    public static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let result = try await self.run(executable, arguments, separatingStandardError: false)
        return (result.status, String(decoding: result.standardOutput, as: UTF8.self))
    }

    /// The exit status, standard output and standard error, kept apart.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        separatingStandardError: Bool
    ) async throws -> (status: Int32, standardOutput: [UInt8], standardError: [UInt8]) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.runBlocking(executable, arguments, separatingStandardError: separatingStandardError) })
            }
        }
    }

    private static func runBlocking(
        _ executable: String,
        _ arguments: [String],
        separatingStandardError: Bool
    ) throws -> (status: Int32, standardOutput: [UInt8], standardError: [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = separatingStandardError ? Pipe() : output
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // A child that hangs is killed, so that it fails its test instead of holding the whole
        // run up: a test's time limit cannot end a wait on a thread like this one.
        let watchdog = DispatchWorkItem {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(Self.timeLimitSeconds), execute: watchdog)
        defer { watchdog.cancel() }
        // Standard error is drained on its own thread so that neither pipe can fill up and stall the child.
        let errorDrain = separatingStandardError ? Drain(errors.fileHandleForReading.fileDescriptor) : nil
        let outputBytes = Self.readToEnd(output.fileHandleForReading.fileDescriptor)
        process.waitUntilExit()
        return (process.terminationStatus, outputBytes, errorDrain?.wait() ?? [])
    }

    /// Everything readable from `descriptor` until its end.
    static func readToEnd(_ descriptor: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes += buffer[0..<count]
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return bytes
            }
        }
    }

    /// Reads a pipe to its end in the background.
    private final class Drain: @unchecked Sendable {
        // @unchecked: `bytes` is written once by the reading thread before `done` is signalled.
        private var bytes: [UInt8] = []
        private let done = DispatchSemaphore(value: 0)

        init(_ descriptor: Int32) {
            Thread.detachNewThread {
                self.bytes = ChildProcess.readToEnd(descriptor)
                self.done.signal()
            }
        }

        func wait() -> [UInt8] {
            self.done.wait()
            return self.bytes
        }
    }
}
