import AdapterKit
import Messaging
import ServiceLifecycle

/// A running `http-poll` source: its poll job on the daemon's scheduler, for as long as the
/// source runs (a reload that replaces it cancels this service, and so the job).
struct HTTPPollSource: Source {
    let job: ScheduledJob
    let scheduler: Scheduler

    var services: [any Service] { [PollService(job: job, scheduler: scheduler)] }

    struct PollService: Service {
        let job: ScheduledJob
        let scheduler: Scheduler

        func run() async throws {
            try await cancelWhenGracefulShutdown {
                await scheduler.run(job)
            }
        }
    }
}
