import JSON
import Testing
@testable import X12

@Suite("A large 856 through the definitions")
struct LargeSetTests {
    /// 100 orders × 10 packs × 5 items: 6,101 HL levels, 17,207 segments.
    static func body() -> [String] {
        var b = ["BSN*00*SHIP-BIG*20240106*1405*0001", "HL*1**S", "TD5**2*UPSN", "N1*ST*CORNER STORE*92*STORE-7"]
        var n = 1
        for o in 1...100 {
            n += 1
            let order = n
            b += ["HL*\(order)*1*O", "PRF*PO-\(o)"]
            for p in 1...10 {
                n += 1
                let pack = n
                b += ["HL*\(pack)*\(order)*P", "MAN*CP*PACK-\(o)-\(p)"]
                for i in 1...5 {
                    n += 1
                    b += ["HL*\(n)*\(pack)*I", "LIN**VN*SKU-\(i)", "SN1**\(i)*EA"]
                }
            }
        }
        return b + ["CTT*\(n)"]
    }

    @Test("validates clean and round-trips through loop JSON; the figures are printed (debug build)")
    func large856() throws {
        let set = DefinitionSamples.set("856", gs01: "SH", Self.body())
        #expect(set.segments.count == 17_207)
        let d = try #require(X12Definitions.definition("856", version: "004010"))
        let clock = ContinuousClock()
        var errors: [X12Error] = []
        let validate = clock.measure { errors = X12DefinitionValidator.validate(set, definition: d) }
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        var json: JSONValue = .null
        let toJSON = clock.measure { json = set.loopJSON(definition: d) }
        #expect(json["HL_loop"]?.arrayValue?.count == 6_101)
        var back: X12TransactionSet?
        let fromJSON = try clock.measure { back = try X12TransactionSetEncoder(definition: d, delimiters: .common).encode(json, controlNumber: "0001") }
        #expect(back?.segments.map(\.bytes) == set.segments.map(\.bytes))
        print("856 of \(set.segments.count) segments: validate \(validate), loop JSON \(toJSON), back to segments \(fromJSON)")
    }
}

