import Foundation

/// Writes bytes to standard output unbuffered, whole, retrying short writes and interruptions.
enum StandardOutput {
    /// Writes all of `bytes`; throws when standard output is gone.
    static func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw CommandFailure("cannot write to standard output: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
    }
}
