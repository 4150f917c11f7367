import Foundation
import HTTPClient
import Testing

extension EndToEndTests {
    /// Webhooks are answered inside the connection's pipeline, ahead of the router; HTTP/1.1
    /// pipelining must still get its responses in request order (RFC 9112 §9.3.2).
    @Suite("Pipelined requests")
    struct Pipelining {
        @Test("webhooks and router requests sent back to back on one connection are answered in order")
        func answeredInOrder() async throws {
            let rig = try await EndToEndRig.start(withReceiver: false)
            var wire: [UInt8] = []
            var expected: [Int] = []
            for n in 0..<6 {
                let webhook = try SignedWebhook.signed(id: "msg_pipelined_\(n)", body: try OrderFixture.body(orderNumber: 450_000 + n), orderNumber: 450_000 + n)
                wire += Self.raw(webhook)
                expected.append(202)
                wire += Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
                expected.append(200)
            }
            // The same webhook again, last: a duplicate, answered with the first receipt.
            wire += Self.raw(try SignedWebhook.signed(id: "msg_pipelined_0", body: try OrderFixture.body(orderNumber: 450_000), orderNumber: 450_000))
            expected.append(202)

            let responses = try Self.exchange(wire, port: rig.daemon.port, responses: expected.count)
            #expect(responses.map(\.status) == expected, "\(responses.map { "\($0.status) \($0.body)" })")
            let bodies = responses.map(\.body)
            #expect(bodies.enumerated().filter { $0.offset % 2 == 1 }.allSatisfy { $0.element == "ok\n" }, "\(bodies)")
            #expect(bodies[0].contains("\"duplicate\":false") && bodies.last?.contains("\"duplicate\":true") == true, "\(bodies)")
            // RFC 9110 §6.6.1: an origin server with a clock sends Date, as an IMF-fixdate.
            let date = try #require(responses[0].headers["date"], "\(responses[0].headers)")
            let stated = try RetryAfter.parse(date).date(receivedAt: Date())
            #expect(abs(stated.timeIntervalSinceNow) < 60, "\(date)")
            let store = try await rig.finish()
            #expect(Set(store.inboxKeys(source: "orders")) == Set((0..<6).map { "msg_pipelined_\($0)" }), "store: \(store.overview)")
        }

        @Test("a body over the limit without Content-Length is answered 413 and the connection closed")
        func chunkedOversize() async throws {
            let rig = try await EndToEndRig.start(withReceiver: false, maxBodyBytes: 1024)
            let webhook = try SignedWebhook.signed(id: "msg_chunked", body: Array(repeating: UInt8(ascii: " "), count: 4096) + Array("{}".utf8))
            var wire = Array("POST /webhooks/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nwebhook-id: \(webhook.id)\r\nwebhook-timestamp: \(webhook.timestamp)\r\nwebhook-signature: \(webhook.signature)\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            for chunk in stride(from: 0, to: webhook.body.count, by: 512) {
                let piece = webhook.body[chunk..<min(chunk + 512, webhook.body.count)]
                wire += Array("\(String(piece.count, radix: 16))\r\n".utf8) + piece + Array("\r\n".utf8)
            }
            wire += Array("0\r\n\r\n".utf8)
            let responses = try Self.exchange(wire, port: rig.daemon.port, responses: 1)
            #expect(responses.first?.status == 413, "\(responses)")
            #expect(responses.first?.body.contains("1024") == true, "\(responses)")
            let store = try await rig.finish()
            #expect(!store.inboxKeys(source: "orders").contains("msg_chunked"))
        }

        static func raw(_ webhook: SignedWebhook) -> [UInt8] {
            Array("POST /webhooks/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(webhook.contentType)\r\nwebhook-id: \(webhook.id)\r\nwebhook-timestamp: \(webhook.timestamp)\r\nwebhook-signature: \(webhook.signature)\r\nContent-Length: \(webhook.body.count)\r\n\r\n".utf8) + webhook.body
        }

        struct Response: CustomStringConvertible {
            var status: Int
            /// Field names lowercased.
            var headers: [String: String]
            var body: String
            var description: String { "\(status) \(body)" }
        }

        /// Writes `wire` in one go on a fresh connection and reads `responses` responses (each with
        /// a Content-Length), or fewer if the server closes first.
        static func exchange(_ wire: [UInt8], port: Int, responses count: Int) throws -> [Response] {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw POSIXError(.EIO) }
            defer { close(fd) }
            var timeout = timeval(tv_sec: 30, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
            var sent = 0
            while sent < wire.count {
                let n = wire[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }   // the server may close early (413)
                sent += n
            }
            var buffer: [UInt8] = []
            var parsed: [Response] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while parsed.count < count {
                if let (response, used) = parse(buffer) {
                    parsed.append(response)
                    buffer.removeFirst(used)
                    continue
                }
                let n = recv(fd, &chunk, chunk.count, 0)
                if n <= 0 { break }
                buffer += chunk[0..<n]
            }
            return parsed
        }

        /// One response from the front of `bytes`, and how many bytes it took.
        static func parse(_ bytes: [UInt8]) -> (Response, Int)? {
            guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
            let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
            let lines = head.components(separatedBy: "\r\n")
            guard let status = lines.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
            }
            let length = headers["content-length"].flatMap { Int($0) } ?? 0
            guard bytes.count >= end.upperBound + length else { return nil }
            let body = String(decoding: bytes[end.upperBound..<end.upperBound + length], as: UTF8.self)
            return (Response(status: status, headers: headers, body: body), end.upperBound + length)
        }
    }
}
