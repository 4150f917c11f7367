import Foundation

/// The aggregated outcomes of the calls a circuit breaker looks at: failures and slow calls out
/// of a total. Rates are percentages as in resilience4j.
public struct CallOutcomeSnapshot: Sendable, Equatable {
    public var totalCalls: Int
    public var failedCalls: Int
    public var slowCalls: Int

    public init(totalCalls: Int = 0, failedCalls: Int = 0, slowCalls: Int = 0) {
        self.totalCalls = totalCalls
        self.failedCalls = failedCalls
        self.slowCalls = slowCalls
    }

    public var failureRate: Double { totalCalls == 0 ? 0 : Double(failedCalls) * 100 / Double(totalCalls) }
    public var slowCallRate: Double { totalCalls == 0 ? 0 : Double(slowCalls) * 100 / Double(totalCalls) }

    mutating func add(failed: Bool, slow: Bool) {
        totalCalls += 1
        if failed { failedCalls += 1 }
        if slow { slowCalls += 1 }
    }

    mutating func subtract(_ other: CallOutcomeSnapshot) {
        totalCalls -= other.totalCalls
        failedCalls -= other.failedCalls
        slowCalls -= other.slowCalls
    }
}

/// A sliding window of call outcomes: the last N calls (count-based, a ring of single outcomes),
/// or the calls of the last N epoch seconds (time-based, a ring of per-second buckets). Both keep
/// a running total and subtract what they evict, so a snapshot costs O(1) (resilience4j's
/// "subtract-on-evict" design).
struct CallOutcomeWindow: Sendable, Equatable {
    private enum Storage: Sendable, Equatable {
        case count(ring: [CallOutcomeSnapshot], next: Int)
        case time(buckets: [CallOutcomeSnapshot], bucketSecond: [Int64])
    }

    private var storage: Storage
    private var total = CallOutcomeSnapshot()

    init(type: CircuitBreakerConfiguration.SlidingWindowType, size: Int) {
        precondition(size >= 1, "a sliding window holds at least one call or second")
        switch type {
        case .countBased: storage = .count(ring: Array(repeating: CallOutcomeSnapshot(), count: size), next: 0)
        case .timeBased: storage = .time(buckets: Array(repeating: CallOutcomeSnapshot(), count: size), bucketSecond: Array(repeating: Int64.min, count: size))
        }
    }

    /// Records one call and returns the window's totals afterwards.
    mutating func record(failed: Bool, slow: Bool, now: Date) -> CallOutcomeSnapshot {
        var single = CallOutcomeSnapshot()
        single.add(failed: failed, slow: slow)
        switch storage {
        case .count(var ring, let next):
            total.subtract(ring[next])
            ring[next] = single
            storage = .count(ring: ring, next: (next + 1) % ring.count)
        case .time(var buckets, var seconds):
            let second = Self.epochSecond(now)
            Self.evictStale(&buckets, &seconds, &total, now: second)
            let index = Int(UInt64(bitPattern: second) % UInt64(buckets.count))
            if seconds[index] != second {
                total.subtract(buckets[index])
                buckets[index] = CallOutcomeSnapshot()
                seconds[index] = second
            }
            buckets[index].add(failed: failed, slow: slow)
            storage = .time(buckets: buckets, bucketSecond: seconds)
        }
        total.add(failed: failed, slow: slow)
        return total
    }

    /// The window's totals at `now` (a time-based window forgets seconds that slid out).
    mutating func snapshot(now: Date) -> CallOutcomeSnapshot {
        if case .time(var buckets, var seconds) = storage {
            Self.evictStale(&buckets, &seconds, &total, now: Self.epochSecond(now))
            storage = .time(buckets: buckets, bucketSecond: seconds)
        }
        return total
    }

    private static func epochSecond(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    /// Drops buckets older than the window (`now - size + 1 ... now` are the live seconds).
    private static func evictStale(_ buckets: inout [CallOutcomeSnapshot], _ seconds: inout [Int64], _ total: inout CallOutcomeSnapshot, now: Int64) {
        let oldestLive = now - Int64(buckets.count) + 1
        for i in buckets.indices where seconds[i] != Int64.min && seconds[i] < oldestLive {
            total.subtract(buckets[i])
            buckets[i] = CallOutcomeSnapshot()
            seconds[i] = Int64.min
        }
    }
}
