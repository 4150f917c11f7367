import SFTP
import Testing

private func seen(_ name: String, _ size: UInt64, _ modified: Int64 = 1_000) -> StableFileTracker.Observation {
    .init(name: try! SFTPRemoteName(name), size: size, modified: modified)
}

@Suite("A file is taken only once two polls saw the same size and mtime")
struct StableFileTrackerTests {
    @Test func aFileSeenForTheFirstTimeIsNotStable() {
        var tracker = StableFileTracker()
        #expect(tracker.observe([seen("a", 10)]).isEmpty)
    }

    @Test func aFileUnchangedAcrossTwoPollsIsStableAndStaysSo() {
        var tracker = StableFileTracker()
        _ = tracker.observe([seen("a", 10), seen("b", 5)])
        #expect(tracker.observe([seen("a", 10), seen("b", 5)]).map(\.name.value) == ["a", "b"])
        #expect(tracker.observe([seen("a", 10)]).map(\.name.value) == ["a"])
    }

    @Test func aGrowingFileWaitsUntilItStopsChanging() {
        var tracker = StableFileTracker()
        _ = tracker.observe([seen("a", 10, 1_000)])
        #expect(tracker.observe([seen("a", 20, 1_000)]).isEmpty)
        #expect(tracker.observe([seen("a", 20, 1_001)]).isEmpty, "an mtime change alone also counts")
        #expect(tracker.observe([seen("a", 20, 1_001)]).map(\.name.value) == ["a"])
    }

    @Test func aFileThatDisappearsIsForgottenAndStartsOverWhenItReturns() {
        var tracker = StableFileTracker()
        _ = tracker.observe([seen("a", 10), seen("b", 1)])
        _ = tracker.observe([seen("b", 1)])
        #expect(tracker.trackedCount == 1)
        #expect(tracker.observe([seen("a", 10), seen("b", 1)]).map(\.name.value) == ["b"])
        #expect(tracker.observe([seen("a", 10), seen("b", 1)]).map(\.name.value) == ["a", "b"])
    }
}
