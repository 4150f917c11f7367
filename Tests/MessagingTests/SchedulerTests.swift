import EventStore
import Foundation
import JSON
import StoreTestSupport
import Synchronization
import Testing
@testable import Messaging

/// The durable scheduler (issue 22): one firing per slot, across failures, cancellations,
/// restarts and two schedulers on one store; downtime coalesced; timers fire once.
@Suite("Scheduler")
struct SchedulerTests {
    struct Failure: Error {}

    /// Whether a job's action fails, switched by the test.
    final class Switch: Sendable {
        private let state = Mutex(false)
        var isOn: Bool { state.withLock { $0 } }
        func set(_ on: Bool) { state.withLock { $0 = on } }
    }

    /// A job whose every firing appends one event `Tick` to `tick-<name>` with the slot in it,
    /// so the log shows exactly which slots committed.
    func ticking(_ name: String, every seconds: Int64 = 10, jitter: Double = 0, fail: Switch? = nil) -> ScheduledJob {
        ScheduledJob(name: name, schedule: .every(.seconds(seconds), jitter: jitter), retryDelay: .zero) { firing in
            if fail?.isOn == true { throw Failure() }
            return AppendTransaction(appends: [StreamAppend(stream: StreamName(category: "tick", id: name), events: [
                NewEvent(type: "Tick", data: Array("{\"slot\":\(firing.slot)}".utf8))])])
        }
    }

    func slots(_ store: some EventStore, _ name: String) async throws -> [String] {
        try await store.readStream(StreamName(category: "tick", id: name), from: 0, direction: .forward, maxCount: 1000)
            .map { String(decoding: $0.data, as: UTF8.self) }
    }

    @Test("each slot fires once: at its time, and not again until the next")
    func slotsFireOnce() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let clock = ManualClock()
        let scheduler = Scheduler(store: store, clock: clock)
        let job = ticking("a")
        #expect(try await scheduler.fireIfDue(job)?.slot == 0)
        #expect(try await scheduler.fireIfDue(job) == nil)
        clock.advance(seconds: 9.999)
        #expect(try await scheduler.fireIfDue(job) == nil)
        clock.advance(seconds: 0.001)
        let second = try #require(try await scheduler.fireIfDue(job))
        #expect(second.slot == 1)
        #expect(second.scheduledAt == clock.now())
        #expect(try await scheduler.fireIfDue(job) == nil)
        clock.advance(seconds: 10)
        #expect(try await scheduler.fireIfDue(job)?.slot == 2)
        #expect(try await slots(store, "a") == [#"{"slot":0}"#, #"{"slot":1}"#, #"{"slot":2}"#])
        await store.close()
    }

    @Test("a firing whose action failed is fired again, with the same slot, by a restarted scheduler; then once only")
    func failureRefiresSameSlotAfterRestart() async throws {
        let testStore = try TestStore()
        let clock = ManualClock()
        let failing = Switch()
        var store = try testStore.open()
        let first = Scheduler(store: store, clock: clock)
        #expect(try await first.fireIfDue(ticking("b", fail: failing))?.slot == 0)
        clock.advance(seconds: 10)
        failing.set(true)
        await #expect(throws: Failure.self) { try await first.fireIfDue(ticking("b", fail: failing)) }
        await store.close()

        failing.set(false)
        store = try testStore.open()
        let restarted = Scheduler(store: store, clock: clock)
        #expect(try await restarted.fireIfDue(ticking("b"))?.slot == 1)
        #expect(try await restarted.fireIfDue(ticking("b")) == nil)
        #expect(try await Scheduler(store: store, clock: clock).fireIfDue(ticking("b")) == nil)
        #expect(try await slots(store, "b") == [#"{"slot":0}"#, #"{"slot":1}"#])
        await store.close()
    }

    @Test("a firing cancelled before its commit commits nothing, and its slot is fired again after a restart")
    func cancelledBeforeCommit() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let clock = ManualClock()
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let hanging = ScheduledJob(name: "c", schedule: .every(.seconds(10))) { _ in
            startedContinuation.yield()
            try await Task.sleep(for: .seconds(3600))
            return AppendTransaction(appends: [StreamAppend(stream: "tick-c", events: [NewEvent(type: "Tick", data: Array("{}".utf8))])])
        }
        let scheduler = Scheduler(store: store, clock: clock)
        let firing = Task { try await scheduler.fireIfDue(hanging) }
        for await _ in started { break }
        firing.cancel()
        await #expect(throws: CancellationError.self) { try await firing.value }
        #expect(try await slots(store, "c").isEmpty)

        let restarted = Scheduler(store: store, clock: clock)
        #expect(try await restarted.fireIfDue(ticking("c"))?.slot == 0)
        #expect(try await restarted.fireIfDue(ticking("c")) == nil)
        #expect(try await slots(store, "c") == [#"{"slot":0}"#])
        await store.close()
    }

    @Test("slots missed while down are coalesced: the latest due one fires once, then the job is back on schedule")
    func downtimeCoalesced() async throws {
        let testStore = try TestStore()
        let clock = ManualClock()
        let start = clock.now()
        var store = try testStore.open()
        #expect(try await Scheduler(store: store, clock: clock).fireIfDue(ticking("d"))?.slot == 0)
        await store.close()

        clock.advance(seconds: 57)  // slots 1 to 5 fall into the downtime
        store = try testStore.open()
        let scheduler = Scheduler(store: store, clock: clock)
        let caughtUp = try #require(try await scheduler.fireIfDue(ticking("d")))
        #expect(caughtUp.slot == 5)
        #expect(caughtUp.scheduledAt == start + 50)
        #expect(caughtUp.firedAt == start + 57)
        #expect(try await scheduler.fireIfDue(ticking("d")) == nil)
        clock.advance(seconds: 3)
        #expect(try await scheduler.fireIfDue(ticking("d"))?.slot == 6)
        #expect(try await slots(store, "d") == [#"{"slot":0}"#, #"{"slot":5}"#, #"{"slot":6}"#])
        await store.close()
    }

    @Test("of two schedulers on one store, exactly one commits a slot")
    func twoSchedulersOneSlot() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let clock = ManualClock()
        let schedulers = (0..<4).map { _ in Scheduler(store: store, clock: clock) }
        // Fix the anchor first, so that every scheduler sees the same slot 0.
        _ = try await schedulers[0].fireIfDue(ticking("e"))
        clock.advance(seconds: 10)
        let fired = try await withThrowingTaskGroup(of: ScheduledFiring?.self) { group in
            for scheduler in schedulers { group.addTask { try await scheduler.fireIfDue(ticking("e")) } }
            return try await group.reduce(into: [ScheduledFiring]()) { if let f = $1 { $0.append(f) } }
        }
        #expect(fired.map { $0.slot } == [1])
        #expect(try await slots(store, "e") == [#"{"slot":0}"#, #"{"slot":1}"#])
        await store.close()
    }

    @Test("jitter moves each slot by a fraction of the period below the configured one, the same on every computation")
    func jitterBoundedAndStable() {
        let every: Int64 = 60_000
        let slots = PeriodicSlots(job: "poll-erp", anchor: 1_000, storedEvery: every, lastSlot: -1, every: every, jitter: 0.25)
        let again = PeriodicSlots(job: "poll-erp", anchor: 1_000, storedEvery: every, lastSlot: -1, every: every, jitter: 0.25)
        var offsets: Set<Int64> = []
        for slot in Int64(0)..<2_000 {
            let offset = slots.time(of: slot) - (1_000 + slot * every)
            #expect(offset >= 0 && offset < every / 4)
            #expect(again.time(of: slot) == slots.time(of: slot))
            offsets.insert(offset)
        }
        // Spread over the window, not a constant: 2,000 draws from 15,000 milliseconds give about
        // 1,870 distinct values, and reach both ends.
        #expect(offsets.count > 1_500)
        #expect(offsets.min()! < every / 40 && offsets.max()! > every / 4 - every / 40)
        let other = PeriodicSlots(job: "poll-wms", anchor: 1_000, storedEvery: every, lastSlot: -1, every: every, jitter: 0.25)
        #expect((0..<100).contains { other.time(of: Int64($0)) != slots.time(of: Int64($0)) })
    }

    @Test("a jittered slot is not fired before its time")
    func jitteredSlotWaits() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let clock = ManualClock()
        let scheduler = Scheduler(store: store, clock: clock)
        let job = ticking("f", every: 100, jitter: 0.5)
        let anchor = EventTime.milliseconds(clock.now())
        _ = try await scheduler.fireIfDue(job)  // fixes the anchor; slot 0 may lie ahead by its jitter
        let plan = PeriodicSlots(job: "f", anchor: anchor, storedEvery: 100_000, lastSlot: -1, every: 100_000, jitter: 0.5)
        let due = Double(plan.time(of: 1)) / 1000
        clock.advance(seconds: due - clock.now().timeIntervalSince1970 - 0.001)
        #expect(try await scheduler.fireIfDue(job)?.slot != 1)
        clock.advance(seconds: 0.001)
        #expect(try await scheduler.fireIfDue(job)?.slot == 1)
        await store.close()
    }

    @Test("a changed period starts from the last fired slot: it is not fired again")
    func periodChange() {
        let slots = PeriodicSlots(job: "g", anchor: 0, storedEvery: 10_000, lastSlot: 3, every: 60_000, jitter: 0)
        #expect(slots.anchor == 30_000)
        #expect(slots.slotToFire(at: 30_000) == nil)
        #expect(slots.slotToFire(at: 89_999) == nil)
        #expect(slots.slotToFire(at: 90_000) == 1)
    }

    @Test("a timer fires once at its time, across a failure and a restart, and never again")
    func timerFiresOnce() async throws {
        let testStore = try TestStore()
        let clock = ManualClock()
        let failing = Switch()
        let fired = Mutex<[Int64]>([])
        let timer = ScheduledJob(name: "order-7-timeout", schedule: .timer, retryDelay: .zero) { firing in
            if failing.isOn { throw Failure() }
            fired.withLock { $0.append(firing.slot) }
            return AppendTransaction(appends: [StreamAppend(stream: "tick-timer", events: [NewEvent(type: "Tick", data: Array(#"{"slot":0}"#.utf8))])])
        }
        var store = try testStore.open()
        var scheduler = Scheduler(store: store, clock: clock)
        #expect(try await scheduler.fireIfDue(timer) == nil)  // not armed
        try await scheduler.schedule(timer: "order-7-timeout", at: clock.now() + 30)
        #expect(try await scheduler.fireIfDue(timer) == nil)
        #expect(scheduler.status().first?.nextRun == clock.now() + 30)
        clock.advance(seconds: 30)
        failing.set(true)
        await #expect(throws: Failure.self) { try await scheduler.fireIfDue(timer) }
        await store.close()

        failing.set(false)
        store = try testStore.open()
        scheduler = Scheduler(store: store, clock: clock)
        #expect(try await scheduler.fireIfDue(timer)?.scheduledAt == clock.now())
        #expect(try await scheduler.fireIfDue(timer) == nil)
        clock.advance(seconds: 3600)
        #expect(try await Scheduler(store: store, clock: clock).fireIfDue(timer) == nil)
        #expect(fired.withLock { $0 } == [0])
        #expect(try await slots(store, "timer") == [#"{"slot":0}"#])
        await store.close()
    }

    @Test("status shows last run, next run, failures and the last error, as lines for /readyz")
    func status() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let failing = Switch()
        let scheduler = Scheduler(store: store, clock: clock)
        _ = try await scheduler.fireIfDue(ticking("h", fail: failing))
        clock.advance(seconds: 10)
        failing.set(true)
        _ = try? await scheduler.fireIfDue(ticking("h", fail: failing))
        let status = try #require(scheduler.status().first)
        #expect(status.job == "h")
        #expect(status.lastRun == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(status.nextRun == Date(timeIntervalSince1970: 1_800_000_010))
        #expect(status.failures == 1)
        #expect(status.lastError != nil)
        #expect(scheduler.statusLines() == [
            "job 'h': last run 2027-01-15T08:00:00.000Z, next run 2027-01-15T08:00:10.000Z, failures 1, last error: \(status.lastError!)"])
        failing.set(false)
        _ = try await scheduler.fireIfDue(ticking("h"))
        #expect(scheduler.status().first?.lastError == nil)
        #expect(scheduler.status().first?.failures == 1)
        await store.close()
    }

    @Test("run fires a due job in the caller's task, lists it in the status while it runs, and returns when cancelled")
    func runLoop() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let scheduler = Scheduler(store: store, clock: ManualClock(), maximumSleep: .milliseconds(20))
        let running = Task { await scheduler.run(ticking("i")) }
        while try await slots(store, "i").isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(scheduler.status().map(\.job) == ["i"])
        running.cancel()
        await running.value
        #expect(try await slots(store, "i") == [#"{"slot":0}"#])
        #expect(scheduler.status().isEmpty)
        await store.close()
    }
}
