// libFuzzer target over the X12 pipeline a partner's file goes through (issue 24).
// Built by scripts/fuzz-x12 with `swiftc -sanitize=fuzzer`, outside SwiftPM (SwiftPM has no
// fuzzer product type); it is not a SwiftPM target, so `swift build` ignores this directory.
// Errors in the input are expected and fine; a crash, trap, hang or leak is a finding, and so
// is any disagreement between the chunked and the whole-buffer parse (fatalError below).
import JSON
import X12

/// Records what the whole-buffer parse reports, to compare with the chunked one.
private typealias Pipeline = X12HandlerPair<X12EnvelopeValidator, X12DocumentBuilder>

/// Chunk lengths for the streaming parse: irregular, so that chunk boundaries fall inside
/// the ISA, inside segments and on terminators; 700 exceeds the parser's 512-byte carry step.
private let chunkLengths = [1, 2, 3, 5, 8, 13, 64, 700]

/// Builds the definition tables (lazy globals) before fuzzing, so that LeakSanitizer does not
/// take their one-time allocation in the first input for a leak.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    for version in X12Definitions.versions { _ = X12Definitions.definition("850", version: version) }
    _ = X12Document(parsing: Array("ISA*00*          *00*          *ZZ*A              *ZZ*B              *260101*0000*U*00401*000000001*0*P*>~".utf8))
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    // 1. Parse + envelope validation, as a whole buffer (what the mapping engine calls).
    let document = X12Document(parsing: bytes)

    // 2. Definition validation of every set.
    let validations = document.setValidations
    precondition(validations.count == document.interchanges.reduce(0) { $0 + $1.groups.reduce(0) { $0 + $1.transactionSets.count } })

    // 3. Loop JSON of every set, and where a definition exists, the reverse (loop JSON → X12).
    for interchange in document.interchanges {
        for group in interchange.groups {
            let gs08 = group.header[8]
            for set in group.transactionSets {
                let json = set.loopJSON(gs08: gs08)
                guard let definition = X12Definitions.lookup(set.identifier, gs08: gs08).definition else { continue }
                // Errors are fine (the tolerant tree may hold values the encoder refuses).
                _ = try? X12TransactionSetEncoder(definition: definition, delimiters: interchange.delimiters)
                    .encode(json, controlNumber: set.controlNumber)
            }
        }
    }

    // 4. The streaming parser fed in small chunks must see exactly what the whole parse saw.
    var pair = Pipeline(X12EnvelopeValidator(), X12DocumentBuilder())
    var parser = X12StreamParser()
    var offset = 0
    var k = size  // start the length cycle at an input-dependent place
    while offset < size {
        let n = min(chunkLengths[k % chunkLengths.count], size - offset)
        parser.feed(UnsafeRawBufferPointer(start: data + offset, count: n), into: &pair)
        offset += n
        k += 1
    }
    parser.finish(into: &pair)
    if pair.first.errors != document.errors {
        fatalError("chunked parse errors differ:\n  whole:   \(document.errors)\n  chunked: \(pair.first.errors)")
    }
    if pair.second.interchanges != document.interchanges {
        fatalError("chunked parse built different interchanges")
    }
    return 0
}
