import Codecs
import Foundation
import HTTPClient
import SSHServerSupport
import Testing

/// The `sftp` source in the real daemon against a real OpenSSH sshd (issue 25): files dropped
/// into a partner's directory while the daemon runs and is killed with SIGKILL once.
@Suite("SFTP through the daemon", .serialized)
struct SFTPDaemonTests {
    @Test("500 files dropped while the daemon runs, SIGKILL once: every file stored once and archived once; a file still being written is not taken early; a wrong host key is refused",
          .timeLimit(.minutes(4)))
    func fiveHundredFilesAcrossAKill() async throws {
        let server = try await SSHTestServer.start()
        defer { server.stop() }
        let inbound = server.filesDirectory + "/to-paklog"
        let archive = server.filesDirectory + "/to-paklog-archive"
        let impostorDirectory = server.filesDirectory + "/impostor"
        let outbound = server.filesDirectory + "/from-paklog"
        for d in [inbound, impostorDirectory, outbound] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        try Data("ISA*untouched~".utf8).write(to: URL(fileURLWithPath: impostorDirectory + "/never.edi"))

        let directory = try TemporaryDirectory()
        let port = freeLoopbackPort()
        let storePath = directory.path + "/paklog.sqlite"
        // Another key's fingerprint: the impostor partner pins a host key this server does not have.
        let wrongKey = "SHA256:" + Base64.encode(Digest.hash(Array("not the server's key".utf8), .sha256), padding: false)
        let configPath = try directory.write("paklog.yaml", """
            storage: {path: \(storePath), durability: full}
            http: {host: 127.0.0.1, port: \(port), apiTokens: ["sftp-test-token"]}
            logging: {level: info, format: json}
            partners:
              acme:
                sftp: {host: 127.0.0.1, port: \(server.port), username: \(server.username), privateKey: \(server.clientKeyPath),
                       hostKey: "\(server.hostKeyFingerprint)", inbound: [\(inbound)], archive: \(archive), outbound: \(outbound), every: 1s}
              impostor:
                sftp: {host: 127.0.0.1, port: \(server.port), username: \(server.username), privateKey: \(server.clientKeyPath),
                       hostKey: "\(wrongKey)", inbound: [\(impostorDirectory)], every: 200ms}
            sources:
              acme-files: {type: sftp, partner: acme}
              impostor-files: {type: sftp, partner: impostor}
            endpoints:
              acme-drop: {type: sftp, partner: acme}
            routes:
              # Each file back to the partner's server (as a 945 would leave): under its own name.
              - {name: echo, from: acme-files, steps: [{to: acme-drop}]}
            """)
        let client = HTTPClient()
        func startDaemon() async throws -> ChildProcess {
            let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
            try await waitUntilHealthy(client, port: port, daemon: daemon, timeout: .seconds(60))
            return daemon
        }
        func content(_ i: Int) -> Data {
            Data(("ISA*00*FILE\(i)~" + String(repeating: "W01*\(i)*EA~", count: 60 + i % 40) + "\n").utf8)
        }
        var daemon = try await startDaemon()

        // The slow file: a chunk every 60 ms for about 1.5 s, so no two polls (1 s apart) see it the same
        // (a writer that pauses longer than two polls cannot be told from a finished one).
        let slowPath = inbound + "/slow-upload.edi"
        let slowChunks = 25
        // On a thread of its own, not a task: with the whole suite running, the cooperative pool
        // can be busy for seconds, which would make this writer pause longer than two polls.
        let slowDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            FileManager.default.createFile(atPath: slowPath, contents: Data())
            let handle = FileHandle(forWritingAtPath: slowPath)!
            for chunk in 0..<slowChunks {
                handle.seekToEndOfFile()
                handle.write(Data("SLOW*\(chunk)*".utf8) + Data(repeating: 0x41, count: 200) + Data("~\n".utf8))
                usleep(60_000)
            }
            handle.closeFile()
            slowDone.signal()
        }
        // 500 files, dropped over about 2.5 s while the daemon polls.
        let dropper = Task.detached {
            for i in 0..<500 {
                try content(i).write(to: URL(fileURLWithPath: inbound + "/order-\(String(format: "%03d", i)).edi"))
                if i % 10 == 9 { try await Task.sleep(for: .milliseconds(50)) }
            }
        }

        // SIGKILL once the first files are stored and more are still arriving.
        // Watched in the archive (a directory listing, not a read of the store: cheap on a busy machine).
        let someStored = await pollUntil(timeout: .seconds(60)) {
            ((try? FileManager.default.contentsOfDirectory(atPath: archive)) ?? []).count >= 60
        }
        #expect(someStored, "\(daemon.standardError.suffix(2000))")
        daemon.signal(SIGKILL)
        _ = await daemon.wait(timeout: .seconds(10))
        let atKill = (try? FileManager.default.contentsOfDirectory(atPath: inbound)) ?? []
        let storedAtKill = ((try? await paklogEventsRead(stream: "inbox-acme-files", storePath: storePath)) ?? []).count
        print("SFTP kill: \(storedAtKill) stored, \(atKill.filter { $0.hasSuffix(".paklog-processing") }.count) claimed and not archived, \(atKill.count) in the directory")
        try await dropper.value
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread { slowDone.wait(); done.resume() }
        }
        daemon = try await startDaemon()

        let archived = await pollUntil(timeout: .seconds(90)) {
            ((try? FileManager.default.contentsOfDirectory(atPath: archive)) ?? []).count >= 501
        }
        #expect(archived, "every file ends in the archive\n\(daemon.standardError.suffix(2000))")
        let events = try await paklogEventsRead(stream: "inbox-acme-files", storePath: storePath)
        var stored: [String: Data] = [:]
        for e in events {
            let data = e["data"] as! [String: Any]
            let headers = data["headers"] as! [String: String]
            let name = headers["filename"]!
            #expect(stored[name] == nil, "\(name) stored twice")
            stored[name] = Data(try Base64.decode(data["bodyBase64"] as! String))
        }
        #expect(stored.count == 501, "500 files and the slow one, each once: \(stored.count)")
        for i in 0..<500 {
            let name = "order-\(String(format: "%03d", i)).edi"
            #expect(stored[name] == content(i), "\(name) stored with its content")
            #expect(FileManager.default.contents(atPath: archive + "/" + name) == content(i), "\(name) archived once, intact")
        }
        let slow = try Data(contentsOf: URL(fileURLWithPath: archive + "/slow-upload.edi"))
        #expect(stored["slow-upload.edi"] == slow, "the slow file was taken whole, not early")
        #expect(slow.count == slowChunks * (200 + 2) + (0..<slowChunks).map { "SLOW*\($0)*".utf8.count }.reduce(0, +))
        let archiveNames = try FileManager.default.contentsOfDirectory(atPath: archive)
        #expect(archiveNames.count == 501, "no file archived twice (a second copy would carry a suffix): \(archiveNames.count)")
        let left = try FileManager.default.contentsOfDirectory(atPath: inbound)
        #expect(left.isEmpty, "nothing left behind, no claim unfinished: \(left)")

        // Relayed by the sftp endpoint: every file once, complete, no temporary name left.
        let relayed = await pollUntil(timeout: .seconds(60)) {
            ((try? FileManager.default.contentsOfDirectory(atPath: outbound)) ?? []).count >= 501
        }
        #expect(relayed, "\(daemon.standardError.suffix(2000))")
        let outNames = try FileManager.default.contentsOfDirectory(atPath: outbound)
        #expect(outNames.count == 501 && !outNames.contains { $0.hasPrefix(".") }, "\(outNames.count) files, temporary ones: \(outNames.filter { $0.hasPrefix(".") })")
        for i in stride(from: 0, to: 500, by: 7) {
            let name = "order-\(String(format: "%03d", i)).edi"
            #expect(FileManager.default.contents(atPath: outbound + "/" + name) == content(i), "\(name)")
        }

        // The impostor's server key is not the pinned one: refused before login, raised, nothing taken.
        #expect(FileManager.default.fileExists(atPath: impostorDirectory + "/never.edi"))
        let raised = try await paklogEventsRead(stream: "error-partner.impostor", storePath: storePath)
        #expect(raised.contains { $0["type"] as? String == "SFTPHostKeyMismatch" }, "\(raised)")
        #expect(((try? await paklogEventsRead(stream: "inbox-impostor-files", storePath: storePath)) ?? []).isEmpty)

        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        await client.shutdown()
    }
}
