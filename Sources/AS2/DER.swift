/// The small part of ASN.1 BER/DER (X.690) that CMS CompressedData and the envelope's algorithm
/// need: tag-length-value elements, definite and indefinite lengths, constructed OCTET STRINGs.
struct DERElement {
    /// The identifier octet (class, constructed bit, tag number < 31).
    var tag: UInt8
    /// The contents (for an indefinite length: up to, not including, the end-of-contents octets).
    var contents: ArraySlice<UInt8>

    var isConstructed: Bool { tag & 0x20 != 0 }

    static let sequence: UInt8 = 0x30
    static let integer: UInt8 = 0x02
    static let octetString: UInt8 = 0x04
    static let objectIdentifier: UInt8 = 0x06
    /// `[0]` constructed, context-specific (EXPLICIT tagging in CMS).
    static let context0: UInt8 = 0xA0

    struct Malformed: Error, CustomStringConvertible {
        var offset: Int
        var problem: String
        var description: String { "malformed ASN.1 at byte \(offset): \(problem)" }
    }

    /// Reads the elements of `bytes` one after another.
    static func elements(_ bytes: ArraySlice<UInt8>) throws(Malformed) -> [DERElement] {
        var out: [DERElement] = []
        var i = bytes.startIndex
        while i < bytes.endIndex {
            // Two zero octets end an indefinite-length parent; the caller stops there.
            if bytes[i] == 0, i + 1 < bytes.endIndex, bytes[i + 1] == 0 { break }
            let (element, next) = try read(bytes, at: i)
            out.append(element)
            i = next
        }
        return out
    }

    /// The element at `i` and the index after it.
    static func read(_ bytes: ArraySlice<UInt8>, at start: Int) throws(Malformed) -> (DERElement, Int) {
        var i = start
        guard i + 2 <= bytes.endIndex else { throw Malformed(offset: i, problem: "truncated element") }
        let tag = bytes[i]
        guard tag & 0x1F != 0x1F else { throw Malformed(offset: i, problem: "multi-byte tags are not used here") }
        i += 1
        let first = bytes[i]
        i += 1
        if first == 0x80 {
            // Indefinite length: the contents are elements up to 00 00.
            guard tag & 0x20 != 0 else { throw Malformed(offset: start, problem: "indefinite length on a primitive element") }
            var j = i
            while true {
                guard j + 2 <= bytes.endIndex else { throw Malformed(offset: start, problem: "no end-of-contents") }
                if bytes[j] == 0 && bytes[j + 1] == 0 { break }
                j = try read(bytes, at: j).1
            }
            return (DERElement(tag: tag, contents: bytes[i..<j]), j + 2)
        }
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count <= 4, i + count <= bytes.endIndex else { throw Malformed(offset: start, problem: "bad length") }
            for _ in 0..<count { length = length << 8 | Int(bytes[i]); i += 1 }
        }
        guard length <= bytes.endIndex - i else { throw Malformed(offset: start, problem: "length \(length) runs past the end") }
        return (DERElement(tag: tag, contents: bytes[i..<(i + length)]), i + length)
    }

    /// The children of a constructed element.
    func children() throws(Malformed) -> [DERElement] { try Self.elements(contents) }

    /// An OCTET STRING's bytes, joining the segments of a constructed (BER) one.
    func octets() throws(Malformed) -> [UInt8] {
        guard tag & 0x1F == 0x04 else { throw Malformed(offset: contents.startIndex, problem: "expected an OCTET STRING") }
        if !isConstructed { return Array(contents) }
        var out: [UInt8] = []
        for child in try children() { out += try child.octets() }
        return out
    }

    /// DER encoding of one element.
    static func encode(_ tag: UInt8, _ contents: [UInt8]) -> [UInt8] {
        var out = [tag]
        let n = contents.count
        if n < 0x80 {
            out.append(UInt8(n))
        } else {
            var lengthBytes: [UInt8] = []
            var v = n
            while v > 0 { lengthBytes.insert(UInt8(v & 0xFF), at: 0); v >>= 8 }
            out.append(0x80 | UInt8(lengthBytes.count))
            out += lengthBytes
        }
        return out + contents
    }
}

/// Object identifiers of RFC 5652 and RFC 3274, as DER contents (without tag and length).
enum CMSObjectIdentifier {
    /// id-data, 1.2.840.113549.1.7.1
    static let data: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01]
    /// id-envelopedData, 1.2.840.113549.1.7.3
    static let envelopedData: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x03]
    /// id-ct-compressedData, 1.2.840.113549.1.9.16.1.9
    static let compressedData: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x01, 0x09]
    /// id-alg-zlibCompress, 1.2.840.113549.1.9.16.3.8
    static let zlibCompress: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x03, 0x08]
}
