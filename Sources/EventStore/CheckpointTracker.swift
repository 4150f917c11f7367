/// Decides how far a subscription's checkpoint may move: to the end of the longest gap-free
/// prefix of the log that is handled.
///
/// A position is done when its event was acknowledged, or when a read scanned past it without
/// returning it (the filter skipped it). Handlers may acknowledge out of order; the safe position
/// never passes an event still in flight. Pure value logic, no I/O.
///
/// ```swift
/// var tracker = CheckpointTracker(startingAfter: 0)
/// tracker.delivered([3, 5], scannedThrough: 8)   // 1, 2, 4, 6, 7, 8 were skipped by the filter
/// tracker.acknowledge(5)                         // safePosition == 2: event 3 is still in flight
/// tracker.acknowledge(3)                         // safePosition == 8
/// ```
public struct CheckpointTracker: Sendable, Equatable {
    /// Every position at or below this one is handled or was skipped.
    public private(set) var safePosition: Int64
    /// The highest position any read has covered.
    public private(set) var scannedThrough: Int64
    /// Delivered positions, ascending; those before `head` are retired.
    private var inFlight: [Int64] = []
    private var head = 0
    /// Acknowledged positions still behind an unacknowledged one.
    private var acknowledgedAhead: Set<Int64> = []

    public init(startingAfter position: Int64) {
        safePosition = position
        scannedThrough = position
    }

    /// Events delivered but not yet acknowledged.
    public var inFlightCount: Int { inFlight.count - head - acknowledgedAhead.count }

    /// Records a read: `positions` (ascending, all after the previous `scannedThrough` and not
    /// after `scannedThrough`) are in flight until acknowledged; every other position up to
    /// `scannedThrough` is done.
    public mutating func delivered(_ positions: [Int64], scannedThrough: Int64) {
        precondition(scannedThrough >= self.scannedThrough, "reads move forward: \(scannedThrough) < \(self.scannedThrough)")
        var previous = self.scannedThrough
        for position in positions {
            precondition(position > previous && position <= scannedThrough,
                         "delivered position \(position) is not ascending within (\(self.scannedThrough), \(scannedThrough)]")
            previous = position
        }
        inFlight.append(contentsOf: positions)
        self.scannedThrough = scannedThrough
        advance()
    }

    /// Marks a delivered event handled. Returns false (and changes nothing) for a position that is
    /// not in flight: never delivered, or acknowledged before.
    @discardableResult
    public mutating func acknowledge(_ position: Int64) -> Bool {
        guard isInFlight(position), !acknowledgedAhead.contains(position) else { return false }
        acknowledgedAhead.insert(position)
        advance()
        return true
    }

    private func isInFlight(_ position: Int64) -> Bool {
        // Binary search: the in-flight window is sorted.
        var low = head
        var high = inFlight.count
        while low < high {
            let mid = (low + high) / 2
            if inFlight[mid] < position { low = mid + 1 } else { high = mid }
        }
        return low < inFlight.count && inFlight[low] == position
    }

    private mutating func advance() {
        while head < inFlight.count, acknowledgedAhead.remove(inFlight[head]) != nil {
            head += 1
        }
        if head == inFlight.count {
            safePosition = scannedThrough
            inFlight.removeAll(keepingCapacity: true)
            head = 0
        } else {
            safePosition = inFlight[head] - 1
            if head > 1024, head * 2 > inFlight.count {
                inFlight.removeFirst(head)
                head = 0
            }
        }
    }

    public static func == (lhs: CheckpointTracker, rhs: CheckpointTracker) -> Bool {
        lhs.safePosition == rhs.safePosition && lhs.scannedThrough == rhs.scannedThrough
            && Array(lhs.inFlight[lhs.head...]) == Array(rhs.inFlight[rhs.head...])
            && lhs.acknowledgedAhead == rhs.acknowledgedAhead
    }
}
