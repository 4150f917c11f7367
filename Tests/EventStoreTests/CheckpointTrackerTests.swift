import Testing
import EventStore

@Suite("CheckpointTracker")
struct CheckpointTrackerTests {
    @Test("in-order acknowledgements move the safe position event by event")
    func inOrder() {
        var tracker = CheckpointTracker(startingAfter: 10)
        tracker.delivered([11, 12, 13], scannedThrough: 13)
        #expect(tracker.safePosition == 10)
        tracker.acknowledge(11)
        #expect(tracker.safePosition == 11)
        tracker.acknowledge(12)
        tracker.acknowledge(13)
        #expect(tracker.safePosition == 13)
        #expect(tracker.inFlightCount == 0)
    }

    @Test("out-of-order acknowledgements never pass an unacknowledged event")
    func outOfOrder() {
        var tracker = CheckpointTracker(startingAfter: 0)
        tracker.delivered([1, 2, 3, 4, 5], scannedThrough: 5)
        tracker.acknowledge(5)
        tracker.acknowledge(3)
        tracker.acknowledge(2)
        #expect(tracker.safePosition == 0, "event 1 is still in flight")
        #expect(tracker.inFlightCount == 2)
        tracker.acknowledge(1)
        #expect(tracker.safePosition == 3, "event 4 is still in flight")
        tracker.acknowledge(4)
        #expect(tracker.safePosition == 5)
    }

    @Test("positions the filter skipped count as handled once everything before them is")
    func skippedPositions() {
        var tracker = CheckpointTracker(startingAfter: 0)
        tracker.delivered([3, 7], scannedThrough: 10)
        #expect(tracker.safePosition == 2, "1 and 2 were skipped")
        tracker.acknowledge(7)
        #expect(tracker.safePosition == 2)
        tracker.acknowledge(3)
        #expect(tracker.safePosition == 10, "8, 9, 10 were skipped")
    }

    @Test("a read that returns nothing moves the safe position to how far it scanned")
    func emptyReadMoves() {
        var tracker = CheckpointTracker(startingAfter: 5)
        tracker.delivered([], scannedThrough: 900)
        #expect(tracker.safePosition == 900)
    }

    @Test("an empty read does not move past an event still in flight from an earlier page")
    func emptyReadBehindInFlight() {
        var tracker = CheckpointTracker(startingAfter: 0)
        tracker.delivered([4], scannedThrough: 4)
        tracker.delivered([], scannedThrough: 50)
        #expect(tracker.safePosition == 3)
        tracker.acknowledge(4)
        #expect(tracker.safePosition == 50)
    }

    @Test("acknowledging an unknown or already acknowledged position changes nothing")
    func unknownAcknowledgement() {
        var tracker = CheckpointTracker(startingAfter: 0)
        tracker.delivered([2, 4], scannedThrough: 4)
        let neverDelivered = tracker.acknowledge(3)
        let beyond = tracker.acknowledge(99)
        let first = tracker.acknowledge(4)
        let again = tracker.acknowledge(4)
        #expect(!neverDelivered)
        #expect(!beyond)
        #expect(first)
        #expect(!again)
        #expect(tracker.safePosition == 1)
        #expect(tracker.inFlightCount == 1)
    }

    @Test("many pages with scattered acknowledgements end at the last scanned position")
    func manyPages() {
        var tracker = CheckpointTracker(startingAfter: 0)
        var delivered: [Int64] = []
        for page in 0..<50 {
            let positions = (1...40).map { Int64(page * 100 + $0 * 2) }
            tracker.delivered(positions, scannedThrough: Int64(page * 100 + 100))
            delivered += positions
        }
        var generator = SystemRandomNumberGenerator()
        var previous = tracker.safePosition
        var acknowledged = Set<Int64>()
        for position in delivered.shuffled(using: &generator) {
            tracker.acknowledge(position)
            acknowledged.insert(position)
            #expect(tracker.safePosition >= previous, "the safe position never goes back")
            let firstUnacknowledged = delivered.first { !acknowledged.contains($0) }
            if let firstUnacknowledged {
                #expect(tracker.safePosition == firstUnacknowledged - 1)
            }
            previous = tracker.safePosition
        }
        #expect(tracker.safePosition == 5000)
        #expect(tracker.inFlightCount == 0)
    }
}
