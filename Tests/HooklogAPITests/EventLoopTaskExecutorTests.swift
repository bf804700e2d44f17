import Foundation
@testable import HooklogAPI
import NIOCore
import NIOPosix
import Testing

@Suite("A task preferring an EventLoopTaskExecutor runs on its event loop")
struct EventLoopTaskExecutorTests {
    @Test(.timeLimit(.minutes(1)))
    func testTheTaskResumesOnItsLoopWhoeverResumesIt() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loop = group.next()
        let otherLoop = group.next()
        #expect(loop !== otherLoop)
        let onLoop = await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) {
            var onLoop = [loop.inEventLoop]
            for round in 0..<20 {
                // Resumed by a thread of no event loop (as the journal's writer does), or by the other loop.
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    if round.isMultiple(of: 2) {
                        Thread { continuation.resume() }.start()
                    } else {
                        otherLoop.execute { continuation.resume() }
                    }
                }
                onLoop.append(loop.inEventLoop)
            }
            return onLoop
        }
        #expect(onLoop.count == 21)
        #expect(onLoop.allSatisfy { $0 })
        try await group.shutdownGracefully()
    }
}
