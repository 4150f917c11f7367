import Foundation
import OffThePool

extension PyAS2Peer {
    /// ``init(directory:partnerCertificateDays:)`` from async code, off the cooperative pool.
    public static func make(directory: URL? = nil, partnerCertificateDays: Int = 365) async throws -> PyAS2Peer {
        try await offThePool { try PyAS2Peer(directory: directory, partnerCertificateDays: partnerCertificateDays) }
    }

    /// ``run(_:_:extra:)`` from async code, off the cooperative pool.
    public func running(_ command: String, _ cases: [Case], extra: [String: Int] = [:], strings: [String: String] = [:]) async throws {
        var all: [String: Any] = extra
        for (k, v) in strings { all[k] = v }
        let job = try jobFile(command, cases, extra: all)
        try await offThePool { _ = try PyAS2Peer.run(PyAS2Peer.python, [PyAS2Peer.script, command, job]) }
    }
}
