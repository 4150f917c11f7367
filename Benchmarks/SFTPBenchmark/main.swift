// SFTP throughput against a local OpenSSH sshd (started here, on loopback): uploads of small
// files through the temporary-name-then-rename path, and the inbound pick-up of the same files
// (list, stability over two polls, claim, read, store, archive). Loopback hides network
// latency, so these figures are the client's and sshd's per-request costs, not a partner's.
//
//   swift run -c release SFTPBenchmark [files]   (default 500)
import Foundation
import Logging
import SFTP
import SSHServerSupport

let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 500
let fileSize = 1024
let logger = Logger(label: "bench.sftp", factory: { _ in SwiftLogNoOpLogHandler() })

func rate(_ files: Int, _ elapsed: Duration) -> String {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return String(format: "%7.0f files/s  (%d files in %.3f s)", Double(files) / seconds, files, seconds)
}

/// In a function: the pick-up's `mutating` poll cannot run on top-level (main actor) state.
func run() async throws {
    let server = try SSHTestServer()
    let settings = SFTPServerSettings(
        host: "127.0.0.1", port: server.port, username: server.username,
        authentication: .privateKey(path: server.clientKeyPath, passphrase: nil),
        hostKey: try SFTPHostKeyFingerprint(server.hostKeyFingerprint))
    let clock = ContinuousClock()

    let connectStart = clock.now
    let connection = try await SFTPConnection.connect(settings, logger: logger)
    print("connect + handshake + host key + auth + sftp: \(clock.now - connectStart)")

    let inbound = server.filesDirectory + "/inbound"
    try await connection.makeDirectory(inbound)
    let payload = [UInt8](repeating: UInt8(ascii: "x"), count: fileSize)
    let names = try (0..<count).map { try SFTPRemoteName(String(format: "order-%06d.edi", $0)) }

    let statStart = clock.now
    for _ in 0..<200 { _ = try await connection.stat(inbound) }
    let statSeconds = Double((clock.now - statStart).components.seconds) + Double((clock.now - statStart).components.attoseconds) / 1e18
    print(String(format: "stat round trip:  %.3f ms (mean of 200)", statSeconds / 200 * 1000))

    let uploadStart = clock.now
    for name in names { try await connection.upload(payload, directory: inbound, name: name) }
    print("upload 1 KB:      \(rate(count, clock.now - uploadStart))")

    var pickup = SFTPPickup(SFTPPickupSettings(directory: inbound), logger: logger)
    var stored = 0
    let pickupStart = clock.now
    let first = try await pickup.poll(connection) { _ in stored += 1 }
    let second = try await pickup.poll(connection) { file in
        precondition(file.content.count == fileSize)
        stored += 1
    }
    let pickupElapsed = clock.now - pickupStart
    precondition(first.unstable.count == count && second.taken.count == count && stored == count, "pick-up took \(second)")
    print("pick-up 1 KB:     \(rate(count, pickupElapsed))  [2 polls, claim, read, archive]")

    await connection.close()
    server.stop()
}

try await run()
