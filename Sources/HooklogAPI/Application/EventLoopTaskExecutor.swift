import NIOCore

/// A task executor that runs every job on one event loop: a task preferring it resumes there,
/// whichever thread resumed it.
final class EventLoopTaskExecutor: TaskExecutor {
    /// Where the jobs run.
    let eventLoop: any EventLoop

    /// An executor running jobs on `eventLoop`.
    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
