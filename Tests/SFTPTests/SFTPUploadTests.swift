import Foundation
import SFTP
import SSHServerSupport
import Synchronization
import Testing

@Suite("Uploads appear under their final name only when complete")
struct SFTPUploadTests {
    @Test(arguments: [0, 1, 1 << 20])
    func theContentIsExactAndNoTemporaryFileRemains(size: Int) async throws {
        let server = try await SFTPTestFixture.server()
        let directory = try SFTPTestFixture.directory(server)
        let connection = try await SFTPTestFixture.connect(server)
        let content = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        try await connection.upload(content, directory: directory, name: try SFTPRemoteName("out.edi"))
        #expect(SFTPTestFixture.contents(directory + "/out.edi") == content)
        #expect(SFTPTestFixture.names(directory) == ["out.edi"])
    }

    @Test func whileUploadingOnlyTheTemporaryNameExistsAndTheFinalNameAppearsWhole() async throws {
        let server = try await SFTPTestFixture.server()
        let directory = try SFTPTestFixture.directory(server)
        let connection = try await SFTPTestFixture.connect(server)
        let content = [UInt8](repeating: 0x5A, count: 8 << 20)
        // Watch the directory from another thread for the whole upload.
        let seen = Mutex<(temporary: Set<String>, finalSizes: Set<Int>)>(([], []))
        let done = Atomic<Bool>(false)
        let watcher = Thread {
            while !done.load(ordering: .acquiring) {
                for name in SFTPTestFixture.names(directory) {
                    let size = (try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? Int) ?? -1
                    seen.withLock { seen in
                        if name == "big.edi" { seen.finalSizes.insert(size) } else { seen.temporary.insert(name) }
                    }
                }
                usleep(500)  // not a spin: the other tests share these two cores
            }
        }
        watcher.start()
        try await connection.upload(content, directory: directory, name: try SFTPRemoteName("big.edi"))
        try await Task.sleep(for: .milliseconds(20))
        done.store(true, ordering: .releasing)
        let observed = seen.withLock { $0 }
        #expect(observed.finalSizes == [content.count], "the final name was only ever seen complete")
        let temporary = try #require(observed.temporary.first, "the watcher saw the temporary file")
        #expect(observed.temporary.count == 1)
        #expect(temporary.hasPrefix(".big.edi.") && temporary.hasSuffix(".part"))
        #expect(SFTPTestFixture.names(directory) == ["big.edi"])
    }

    @Test func aNameOfTheFullLengthInMultiByteCharactersStillGetsALegalTemporaryName() async throws {
        let server = try await SFTPTestFixture.server()
        let directory = try SFTPTestFixture.directory(server)
        let connection = try await SFTPTestFixture.connect(server)
        let long = String(repeating: "é", count: 127) + "x"  // 255 bytes
        try await connection.upload([9], directory: directory, name: try SFTPRemoteName(long))
        #expect(SFTPTestFixture.names(directory) == [long])
    }

    @Test func anExistingFileIsNotReplacedAndTheTemporaryFileIsRemoved() async throws {
        let server = try await SFTPTestFixture.server()
        let directory = try SFTPTestFixture.directory(server)
        try SFTPTestFixture.write(Array("theirs".utf8), directory + "/out.edi")
        let connection = try await SFTPTestFixture.connect(server)
        do {
            try await connection.upload(Array("ours".utf8), directory: directory, name: try SFTPRemoteName("out.edi"))
            Issue.record("replaced an existing file")
        } catch let error as SFTPError {
            guard case .targetExists(_, _, let target) = error else { throw error }
            #expect(target == directory + "/out.edi")
        }
        #expect(SFTPTestFixture.contents(directory + "/out.edi") == Array("theirs".utf8))
        #expect(SFTPTestFixture.names(directory) == ["out.edi"])
    }

    @Test func aFailedWriteIsReportedWithItsPathAndTheSessionGoesOn() async throws {
        let server = try await SFTPTestFixture.server()
        let connection = try await SFTPTestFixture.connect(server)
        let missing = server.filesDirectory + "/no-such-directory"
        do {
            try await connection.upload([1, 2, 3], directory: missing, name: try SFTPRemoteName("x"))
            Issue.record("wrote into a missing directory")
        } catch let error as SFTPError {
            guard case .noSuchFile(_, let operation, let path) = error else { throw error }
            #expect(operation == .write && path.hasPrefix(missing + "/.x.") && path.hasSuffix(".part"))
        }
        #expect(await connection.isOpen)
    }

    @Test func aRedeliveryWithTheSameAttemptReplacesTheTemporaryFileACrashLeft() async throws {
        let server = try await SFTPTestFixture.server()
        let directory = try SFTPTestFixture.directory(server)
        let connection = try await SFTPTestFixture.connect(server)
        // What a crash mid-upload leaves: the message's temporary file, half written.
        try SFTPTestFixture.write(Array("ISA*half".utf8), directory + "/.945.edi.0123abcd.part")
        try await connection.upload(Array("ISA*whole~".utf8), directory: directory, name: try SFTPRemoteName("945.edi"), attempt: "0123ABCD-...")
        #expect(SFTPTestFixture.names(directory) == ["945.edi"], "the leftover was the message's own: reused, then renamed")
        #expect(SFTPTestFixture.contents(directory + "/945.edi") == Array("ISA*whole~".utf8))
    }
}
