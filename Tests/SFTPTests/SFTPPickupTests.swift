import Foundation
import SFTP
import SSHServerSupport
import Testing

/// The store the tests hand to the pick-up: records what it got, fails on demand.
private struct StoreFailure: Error, CustomStringConvertible {
    var description: String { "the ledger is down" }
}

@Suite("The inbound pick-up takes each stable file once, after the caller stored it")
struct SFTPPickupTests {
    let server: SSHTestServer
    let directory: String
    let connection: SFTPConnection

    init() async throws {
        server = try await SFTPTestFixture.server()
        directory = try SFTPTestFixture.directory(server)
        connection = try await SFTPTestFixture.connect(server)
    }

    private func pickup(_ disposal: SFTPPickupSettings.Disposal? = nil) -> SFTPPickup {
        SFTPPickup(SFTPPickupSettings(directory: directory, disposal: disposal), logger: SFTPTestFixture.logger)
    }

    private func append(_ bytes: [UInt8], to name: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/" + name))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
    }

    @Test func aStableFileIsTakenOnceAndArchived() async throws {
        try SFTPTestFixture.write(Array("ISA*…~".utf8), directory + "/orders.edi")
        var pickup = pickup()
        var stored: [SFTPPickedFile] = []
        let first = try await pickup.poll(connection) { stored.append($0) }
        #expect(first.unstable.map(\.value) == ["orders.edi"] && first.taken.isEmpty && stored.isEmpty)
        let second = try await pickup.poll(connection) { stored.append($0) }
        #expect(second.taken.map(\.value) == ["orders.edi"] && second.failed.isEmpty)
        let third = try await pickup.poll(connection) { stored.append($0) }
        #expect(third.taken.isEmpty && third.unstable.isEmpty)

        let file = try #require(stored.first)
        #expect(stored.count == 1)
        #expect(file.name.value == "orders.edi" && file.content == Array("ISA*…~".utf8) && file.size == UInt64(file.content.count))
        #expect(file.contentKey.hasPrefix("sha256:") && file.contentKey.count == 7 + 64)
        #expect(SFTPTestFixture.names(directory) == ["archive"])
        #expect(SFTPTestFixture.contents(directory + "/archive/orders.edi") == Array("ISA*…~".utf8))
    }

    @Test func aFileBeingAppendedToIsTakenOnlyOnceItStopsChanging() async throws {
        try SFTPTestFixture.write(Array("part 1;".utf8), directory + "/growing.csv")
        var pickup = pickup()
        var stored: [[UInt8]] = []
        for part in 2...4 {
            let summary = try await pickup.poll(connection) { stored.append($0.content) }
            #expect(summary.unstable.map(\.value) == ["growing.csv"] && summary.taken.isEmpty)
            try append(Array("part \(part);".utf8), to: "growing.csv")
        }
        _ = try await pickup.poll(connection) { stored.append($0.content) }
        #expect(stored.isEmpty, "first poll after the last append")
        let summary = try await pickup.poll(connection) { stored.append($0.content) }
        #expect(summary.taken.map(\.value) == ["growing.csv"])
        #expect(stored == [Array("part 1;part 2;part 3;part 4;".utf8)])
    }

    @Test func deleteModeRemovesTheFileAfterItWasStored() async throws {
        try SFTPTestFixture.write([1, 2, 3], directory + "/a.edi")
        var pickup = pickup(.delete)
        var stored = 0
        _ = try await pickup.poll(connection) { _ in stored += 1 }
        let summary = try await pickup.poll(connection) { _ in
            // The durable commit happens while the file is still on the server, claimed.
            #expect(SFTPTestFixture.names(directory) == ["a.edi.paklog-processing"])
            stored += 1
        }
        #expect(summary.taken.map(\.value) == ["a.edi"] && stored == 1)
        #expect(SFTPTestFixture.names(directory).isEmpty)
    }

    @Test func aThrowingStoreLeavesTheFileClaimedAndTheNextPollTakesIt() async throws {
        try SFTPTestFixture.write(Array("856".utf8), directory + "/asn.x12")
        var pickup = pickup()
        _ = try await pickup.poll(connection) { _ in Issue.record("taken on first sight") }
        let failing = try await pickup.poll(connection) { _ in throw StoreFailure() }
        #expect(failing.taken.isEmpty)
        #expect(failing.failed.map(\.description) == ["asn.x12: store failed: the ledger is down"])
        #expect(SFTPTestFixture.names(directory) == ["archive", "asn.x12.paklog-processing"])

        var stored: [SFTPPickedFile] = []
        let retry = try await pickup.poll(connection) { stored.append($0) }
        #expect(retry.taken.map(\.value) == ["asn.x12"])
        #expect(stored.map(\.name.value) == ["asn.x12"] && stored.first?.content == Array("856".utf8))
        #expect(SFTPTestFixture.contents(directory + "/archive/asn.x12") == Array("856".utf8))
    }

    @Test func aClaimLeftOverFromACrashIsTakenOverOnceItHeldStill() async throws {
        try SFTPTestFixture.write(Array("left".utf8), directory + "/old.edi.paklog-processing")
        var pickup = pickup()  // a new process: no tracker history
        var stored: [String] = []
        let first = try await pickup.poll(connection) { stored.append($0.name.value) }
        #expect(first.taken.isEmpty && stored.isEmpty, "a claim may still be written to: it waits one poll")
        let summary = try await pickup.poll(connection) { stored.append($0.name.value) }
        #expect(summary.taken.map(\.value) == ["old.edi"] && stored == ["old.edi"])
        #expect(SFTPTestFixture.contents(directory + "/archive/old.edi") == Array("left".utf8))
    }

    /// A writer that paused longer than two polls: its file was claimed, and the writer (whose
    /// open file the rename kept) goes on writing into the claimed name.
    @Test func aClaimThatStillGrowsIsTakenOnlyWhole() async throws {
        let claimed = directory + "/slow.edi.paklog-processing"
        try SFTPTestFixture.write(Array("part one;".utf8), claimed)
        var pickup = pickup()
        var stored: [[UInt8]] = []
        _ = try await pickup.poll(connection) { stored.append($0.content) }
        try append(Array("part two;".utf8), to: "slow.edi.paklog-processing")
        let growing = try await pickup.poll(connection) { stored.append($0.content) }
        #expect(growing.taken.isEmpty && growing.unstable.map(\.value) == ["slow.edi"])
        let still = try await pickup.poll(connection) { stored.append($0.content) }
        #expect(still.taken.map(\.value) == ["slow.edi"])
        #expect(stored == [Array("part one;part two;".utf8)])
    }

    @Test func aNameAlreadyInTheArchiveGetsASuffixAndBothAreKept() async throws {
        try FileManager.default.createDirectory(atPath: directory + "/archive", withIntermediateDirectories: false)
        try SFTPTestFixture.write(Array("yesterday".utf8), directory + "/archive/daily.csv")
        try SFTPTestFixture.write(Array("today".utf8), directory + "/daily.csv")
        var pickup = pickup()
        _ = try await pickup.poll(connection) { _ in }
        let summary = try await pickup.poll(connection) { _ in }
        #expect(summary.taken.map(\.value) == ["daily.csv"])
        let archived = SFTPTestFixture.names(directory + "/archive")
        #expect(archived.count == 2 && archived.allSatisfy { $0.hasPrefix("daily.csv") })
        #expect(SFTPTestFixture.contents(directory + "/archive/daily.csv") == Array("yesterday".utf8))
        let suffixed = try #require(archived.first { $0 != "daily.csv" })
        #expect(SFTPTestFixture.contents(directory + "/archive/" + suffixed) == Array("today".utf8))
    }

    @Test func dotFilesAreUploadsInProgressAndAreLeftAlone() async throws {
        try SFTPTestFixture.write([1], directory + "/.orders.edi.1234.part")
        var pickup = pickup(.delete)
        for _ in 0..<2 {
            let summary = try await pickup.poll(connection) { _ in Issue.record("took a dot file") }
            #expect(summary.taken.isEmpty && summary.unstable.isEmpty)
        }
        #expect(SFTPTestFixture.names(directory) == [".orders.edi.1234.part"])
    }

    @Test func aFileClaimedBySomeoneElseBetweenOurListingAndOurClaimIsSkipped() async throws {
        for name in ["a.edi", "b.edi", "c.edi"] { try SFTPTestFixture.write([1], directory + "/" + name) }
        var pickup = pickup(.delete)
        _ = try await pickup.poll(connection) { _ in }
        let directory = self.directory
        let summary = try await pickup.poll(connection) { file in
            guard file.name.value == "a.edi" else { return }
            // While we store a.edi (files go in name order), another poller claims c.edi, and
            // b.edi's claimed name is taken by an earlier b.edi still in progress.
            try FileManager.default.moveItem(atPath: directory + "/c.edi", toPath: directory + "/c.edi.paklog-processing")
            try SFTPTestFixture.write([2], directory + "/b.edi.paklog-processing")
        }
        #expect(summary.taken.map(\.value) == ["a.edi"])
        #expect(summary.claimedElsewhere.map(\.value) == ["b.edi", "c.edi"])
        #expect(summary.failed.isEmpty)
        #expect(SFTPTestFixture.names(directory) == ["b.edi", "b.edi.paklog-processing", "c.edi.paklog-processing"])
    }
}
