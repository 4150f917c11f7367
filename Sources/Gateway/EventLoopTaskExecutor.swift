import NIOCore

/// Runs a task's jobs on one NIO event loop (SE-0417 task executor preference).
///
/// A webhook's task starts on its channel's loop, but its continuation is resumed by the event
/// store's writer thread, and NIO's global-executor hook then picks any loop: the answer would
/// hop back to the channel's loop, one more cross-thread wake-up per request. With this
/// preference the task resumes on the channel's loop and answers in place.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
