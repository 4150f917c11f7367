import COpenSSL

extension PublicKey {
    /// An RSA public key from its modulus and public exponent, unsigned big-endian octets (as a
    /// JWK's `n` and `e` hold them, RFC 7518 §6.3.1).
    public convenience init(rsaModulus n: [UInt8], exponent e: [UInt8]) throws(PrivateKey.Failure) {
        guard !n.isEmpty, !e.isEmpty else { throw .unreadable("an RSA key needs a modulus and an exponent") }
        let bigN = n.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        let bigE = e.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        defer { BN_free(bigN); BN_free(bigE) }
        guard let bigN, let bigE else { throw .unreadable(OpenSSLError.drain()) }
        let key = try Self.fromData(type: "RSA") { builder in
            OSSL_PARAM_BLD_push_BN(builder, Self.cName("n"), bigN) == 1 && OSSL_PARAM_BLD_push_BN(builder, Self.cName("e"), bigE) == 1
        }
        self.init(taking: key)
    }

    /// An EC public key from its curve (the OpenSSL group name: `prime256v1`, `secp384r1`) and
    /// its point's affine coordinates, each the curve's full size (as a JWK's `x` and `y` hold
    /// them, RFC 7518 §6.2.1). A point not on the curve is refused.
    public convenience init(curve: String, x: [UInt8], y: [UInt8]) throws(PrivateKey.Failure) {
        guard !x.isEmpty, x.count == y.count else { throw .unreadable("the coordinates x and y differ in length") }
        // The uncompressed point encoding (SEC 1 §2.3.3): 0x04 ‖ x ‖ y.
        let point = [0x04] + x + y
        // The closures of withCString and withUnsafeBufferPointer rethrow untyped errors: the
        // outcome comes out as a Result.
        let made: Result<OpaquePointer, PrivateKey.Failure> = curve.withCString { group in
            point.withUnsafeBufferPointer { octets in
                Result { () throws(PrivateKey.Failure) in
                    try Self.fromData(type: "EC") { builder in
                        OSSL_PARAM_BLD_push_utf8_string(builder, Self.cName("group"), group, 0) == 1
                            && OSSL_PARAM_BLD_push_octet_string(builder, Self.cName("pub"), octets.baseAddress, octets.count) == 1
                    }
                }
            }
        }
        let key = try made.get()
        self.init(taking: key)
    }

    /// A parameter name (OSSL_PKEY_PARAM_RSA_N is "n", …_RSA_E "e", …_GROUP_NAME "group",
    /// …_PUB_KEY "pub"; openssl/core_names.h) in static memory: the builder keeps the name's
    /// pointer until it makes the parameters, so the temporary C string Swift makes of a String
    /// argument would dangle. A static string literal is NUL-terminated.
    private static func cName(_ name: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// A public key of `type` from the parameters `push` adds (EVP_PKEY_fromdata, OpenSSL 3),
    /// checked (EVP_PKEY_public_check). What `push` hands the builder must stay alive until
    /// this returns: the builder copies it only when it makes the parameters.
    private static func fromData(type: String, _ push: (OpaquePointer) -> Bool) throws(PrivateKey.Failure) -> OpaquePointer {
        guard let builder = OSSL_PARAM_BLD_new() else { throw .unreadable(OpenSSLError.drain()) }
        defer { OSSL_PARAM_BLD_free(builder) }
        guard push(builder), let parameters = OSSL_PARAM_BLD_to_param(builder) else { throw .unreadable(OpenSSLError.drain()) }
        defer { OSSL_PARAM_free(parameters) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else { throw .unreadable(OpenSSLError.drain()) }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1, EVP_PKEY_fromdata(context, &key, paklog_EVP_PKEY_PUBLIC_KEY, parameters) == 1, let key else {
            throw .unreadable("not a valid \(type) public key: \(OpenSSLError.drain())")
        }
        guard let check = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else {
            EVP_PKEY_free(key)
            throw .unreadable(OpenSSLError.drain())
        }
        defer { EVP_PKEY_CTX_free(check) }
        guard EVP_PKEY_public_check(check) == 1 else {
            EVP_PKEY_free(key)
            throw .unreadable("not a valid \(type) public key (the check failed): \(OpenSSLError.drain())")
        }
        return key
    }
}
