import Codecs

/// Who is calling an ingress route, as the connection's TLS handshake established it.
public struct HTTPIngressPeer: Sendable, Equatable {
    /// Whether the request came over TLS.
    public var tls: Bool
    /// SHA-256 of the client certificate's DER (`AA:BB:…`, as `X509Certificate.sha256Fingerprint`),
    /// when the client presented one; the handshake verified it against `http.tls.clientCA`.
    public var clientCertificate: String?
    /// The partner whose certificate it is, when the route maps certificates to partners.
    public var partner: String?

    public init(tls: Bool, clientCertificate: String? = nil, partner: String? = nil) {
        self.tls = tls
        self.clientCertificate = clientCertificate
        self.partner = partner
    }

    /// A plain-HTTP request.
    public static let plain = HTTPIngressPeer(tls: false)

    /// The fingerprint of a certificate's DER, in the form partner profiles print.
    public static func fingerprint(der: [UInt8]) -> String {
        X509Certificate.sha256Fingerprint(der: der)
    }
}

/// A partner route's demand for mutual TLS: a verified client certificate, and one that belongs
/// to one of the route's partners (`certificates.tls` in their profiles).
public struct ClientCertificateRequirement: Sendable, Equatable {
    /// Certificate fingerprint → partner name.
    public var partners: [String: String]

    public init(partners: [String: String]) { self.partners = partners }

    /// The partner `peer`'s certificate maps to, or the refusal (403, and why).
    public func partner(of peer: HTTPIngressPeer) -> Result<String, Refusal> {
        guard peer.tls else { return .failure(Refusal("this route requires TLS with a client certificate")) }
        guard let fingerprint = peer.clientCertificate else {
            return .failure(Refusal("this route requires a TLS client certificate; none was presented"))
        }
        guard let partner = partners[fingerprint] else {
            return .failure(Refusal("the client certificate \(fingerprint) belongs to no partner of this route"))
        }
        return .success(partner)
    }

    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
