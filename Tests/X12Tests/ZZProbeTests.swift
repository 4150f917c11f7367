import Testing
@testable import X12

@Test func probeFixtures() throws {
    for name in try InteropFixtures.names() {
        let doc = X12Document(parsing: try InteropFixtures.bytes(name))
        for v in doc.setValidations {
            print("PROBE \(name) \(v.lookup.definition?.identifier ?? "-") \(v.lookup.note ?? "") errors=\(v.errors.count)")
            for e in v.errors.prefix(6) { print("PROBE   \(e.code) seg \(e.position.segmentInSet ?? 0) \(e.position.segmentID.map { "\($0)" } ?? "") el \(e.position.element ?? 0): \(e.rule)") }
        }
    }
}
