import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// nginx serving HTTPS with HTTP/2 on a loopback port, from a temporary prefix directory.
struct NginxServer: Sendable {
    let port: Int

    func url(_ path: String) -> String { "https://localhost:\(port)\(path)" }
}

func withNginxTLS<T>(_ certificates: TestCertificates, _ body: (NginxServer) async throws -> T) async throws -> T {
    let prefix = FileManager.default.temporaryDirectory
        .appendingPathComponent("paklog-httpclient-nginx-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: prefix + "/logs", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: prefix) }
    let port = try freeLoopbackPort()
    let configuration = """
        daemon off;
        master_process off;
        worker_processes 1;
        pid \(prefix)/nginx.pid;
        error_log \(prefix)/logs/error.log warn;
        events { worker_connections 256; }
        http {
            access_log off;
            client_body_temp_path \(prefix)/body;
            proxy_temp_path \(prefix)/proxy;
            fastcgi_temp_path \(prefix)/fastcgi;
            uwsgi_temp_path \(prefix)/uwsgi;
            scgi_temp_path \(prefix)/scgi;
            server {
                listen 127.0.0.1:\(port) ssl http2;
                ssl_certificate \(certificates.serverCertificate);
                ssl_certificate_key \(certificates.serverKey);
                location / { return 200 "served by nginx\\n"; }
            }
        }
        """
    try configuration.write(toFile: prefix + "/nginx.conf", atomically: true, encoding: .utf8)
    let process = try await PeerProcess.start(
        "/usr/sbin/nginx", ["-c", prefix + "/nginx.conf", "-p", prefix], waitForLine: false)
    do {
        try await waitUntilListening(port: port)
        let result = try await body(NginxServer(port: port))
        await process.stop()
        return result
    } catch {
        await process.stop()
        throw error
    }
}

/// A port that was free a moment ago (bind to port 0, read it, close).
func freeLoopbackPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw PeerError("socket() failed") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    guard bound == 0 else { throw PeerError("bind() failed") }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Polls until something accepts TCP connections on the port (up to about five seconds).
func waitUntilListening(port: Int) async throws {
    for _ in 0..<100 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        close(descriptor)
        if connected == 0 { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw PeerError("nothing listens on 127.0.0.1:\(port)")
}
