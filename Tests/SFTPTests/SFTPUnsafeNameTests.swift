import Foundation
import SFTP
import SSHServerSupport
import Testing

@Suite("Names from the server with control characters are reported, never used")
struct SFTPUnsafeNameTests {
    static let unsafe = ["a\nb", "tab\there", "bell\u{7}", "esc\u{1B}[31m", "del\u{7F}"]

    private func directoryWithUnsafeNames(_ server: SSHTestServer) throws -> String {
        let directory = try SFTPTestFixture.directory(server)
        try SFTPTestFixture.write([1], directory + "/good.edi")
        for name in Self.unsafe { try SFTPTestFixture.write([2], directory + "/" + name) }
        return directory
    }

    @Test func aListingRejectsThemWithTheirReason() async throws {
        let server = try await SFTPTestFixture.server()
        let directory = try directoryWithUnsafeNames(server)
        let connection = try await SFTPTestFixture.connect(server)
        let listing = try await connection.list(directory)
        #expect(listing.entries.map(\.name.value) == ["good.edi"])
        #expect(Set(listing.rejected.map { String(decoding: $0.bytes, as: UTF8.self) }) == Set(Self.unsafe))
        #expect(listing.rejected.allSatisfy { $0.problem == .containsControlCharacter })
        #expect(listing.rejected.allSatisfy { !$0.description.contains("\n") && !$0.description.contains("\u{1B}") })
    }

    @Test func thePickupReportsThemAndLeavesThemAlone() async throws {
        let server = try await SFTPTestFixture.server()
        let directory = try directoryWithUnsafeNames(server)
        let connection = try await SFTPTestFixture.connect(server)
        var pickup = SFTPPickup(SFTPPickupSettings(directory: directory, disposal: .delete), logger: SFTPTestFixture.logger)
        var stored: [String] = []
        for _ in 0..<2 {
            let summary = try await pickup.poll(connection) { stored.append($0.name.value) }
            #expect(summary.rejected.count == Self.unsafe.count)
        }
        #expect(stored == ["good.edi"])
        #expect(Set(SFTPTestFixture.names(directory)) == Set(Self.unsafe))
    }
}
