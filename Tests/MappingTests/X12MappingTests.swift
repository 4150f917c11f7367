import Foundation
import JSON
import Testing
@testable import Mapping
import X12

/// One interchange (ISA fixed width, `*` `:` `~`, 004010) around `body` (GS…GE), closed by IEA.
private func interchange(_ body: [String], groups: Int = 1) -> [UInt8] {
    let isa = "ISA*00*          *00*          *ZZ*ACME3PL        *ZZ*PAKLOG         *261201*1200*U*00401*000000101*0*P*:~\n"
    return Array((isa + body.map { $0 + "~\n" }.joined() + "IEA*\(groups)*000000101~\n").utf8)
}

private let order940 = """
    name: x12-940-orders
    version: 1
    input: x12
    fields:
      orderId: W05.W0502
      partner: interchange.sender
      group: group.controlNumber
      skus: '[LX_loop.W01.W0105]'
    """

@Suite("X12 mappings: input x12 per transaction set, output x12 checked against its definition")
struct X12MappingTests {
    @Test func eachSetOfAGroupIsMappedWithItsEnvelope() throws {
        let mapping = try loadMapping(order940)
        let sets = try mapping.transactionSets(x12: interchange([
            "GS*OW*ACME3PL*PAKLOG*20261201*1200*7*X*004010",
            "ST*940*0001", "W05*N*ORD-1", "N1*ST*JANE", "W66*PP*M", "LX*1", "W01*2*EA**VN*SKU-1", "SE*7*0001",
            "ST*940*0002", "W05*N*ORD-2", "N1*ST*JOHN", "W66*PP*M", "LX*1", "W01*1*EA**VN*SKU-2", "LX*2", "W01*4*EA**VN*SKU-3", "SE*9*0002",
            "GE*2*7",
        ]))
        #expect(sets.map(\.controlNumber) == ["0001", "0002"])
        #expect(sets.map(\.set) == [1, 2])
        #expect(sets[0].output == ["orderId": "ORD-1", "partner": "ACME3PL", "group": "7", "skus": ["SKU-1"]])
        #expect(sets[1].output == ["orderId": "ORD-2", "partner": "ACME3PL", "group": "7", "skus": ["SKU-2", "SKU-3"]])
    }

    @Test func aSetWithABrokenTrailerIsRefusedWithItsPositionWhileItsNeighbourIsMapped() throws {
        let mapping = try loadMapping(order940)
        let sets = try mapping.transactionSets(x12: interchange([
            "GS*OW*ACME3PL*PAKLOG*20261201*1200*7*X*004010",
            "ST*940*0001", "W05*N*ORD-1", "N1*ST*JANE", "W66*PP*M", "LX*1", "W01*2*EA**VN*SKU-1", "SE*9*0001",
            "ST*940*0002", "W05*N*ORD-2", "N1*ST*JOHN", "W66*PP*M", "LX*1", "W01*1*EA**VN*SKU-2", "SE*7*0002",
            "GE*2*7",
        ]))
        let error = try #require(sets[0].error)
        guard case .x12(let problems) = error.kind else { Issue.record("expected an x12 refusal, got \(error)"); return }
        #expect(problems.contains { $0.code == .transactionSet(.segmentCountMismatch) && $0.position.transactionSet == 1 })
        #expect(error.description.contains("group 1, set 1"))
        #expect(sets[1].output?["orderId"] == "ORD-2")
    }

    @Test func aDefinitionErrorRefusesTheSetNamingTheElement() throws {
        let mapping = try loadMapping(order940)
        // W0501 "Z" is no order status code; W01 lacks its mandatory unit of measure.
        let sets = try mapping.transactionSets(x12: interchange([
            "GS*OW*ACME3PL*PAKLOG*20261201*1200*7*X*004010",
            "ST*940*0001", "W05*Z*ORD-1", "N1*ST*JANE", "W66*PP*M", "LX*1", "W01*2***VN*SKU-1", "SE*7*0001",
            "GE*1*7",
        ]))
        let error = try #require(sets[0].error)
        #expect(error.description.contains("W0501"))
        #expect(error.description.contains("W0102"))
    }

    @Test func aSetWithoutADefinitionIsRefusedAsNotSupported() throws {
        let mapping = try loadMapping(order940)
        let sets = try mapping.transactionSets(x12: interchange([
            "GS*IN*ACME3PL*PAKLOG*20261201*1200*7*X*004010",
            "ST*810*0001", "BIG*20261201*INV-1", "SE*3*0001",
            "GE*1*7",
        ]))
        guard case .x12(let problems)? = sets.first?.error?.kind else { Issue.record("expected a refusal"); return }
        #expect(problems.map(\.code) == [.transactionSet(.setNotSupported)])
    }

    @Test func bytesWithoutAnInterchangeAndJSONMappingsAreRefusedAsAWhole() throws {
        let mapping = try loadMapping(order940)
        #expect(throws: MappingError.self) { _ = try mapping.transactionSets(x12: Array("{\"not\": \"x12\"}".utf8)) }
        let json = try loadMapping("name: j\nversion: 1\ninput: json\nfields:\n  a: b\n")
        #expect {
            _ = try json.transactionSets(x12: interchange([]))
        } throws: { error in
            (error as? MappingError)?.description.contains("reads 'json' input") == true
        }
    }

    private let shippingAdvice = """
        name: x12-945
        version: 1
        input: json
        output: x12
        fields:
          transactionSet: '"945"'
          version: '"004010"'
          W06: '{"W0601": status, "W0602": orderId}'
          LX_loop: '[lines.{"LX": {"LX01": $string(line)}, "W12_loop": [{"W12": {"W1201": "CC", "W1202": $string(quantity), "W1203": $string(quantity), "W1205": "EA", "W1207": "VN", "W1208": sku}}]}]'
          W27: '{"W2701": "M", "W2702": "UPSN"}'
          W03.W0301: '$string($sum(lines.quantity))'
        """

    @Test func anX12OutputIsWrittenWithThePartnersDelimitersAndControlNumber() throws {
        let mapping = try loadMapping(shippingAdvice)
        #expect(mapping.output == .x12)
        let delimiters = X12Delimiters(element: UInt8(ascii: "|"), component: UInt8(ascii: ">"), repetition: nil, segment: UInt8(ascii: "\n"))
        let set = try #require(try mapping.renderX12(
            ["status": "F", "orderId": "ORD-1", "lines": [["line": 1, "quantity": 3, "sku": "SKU-1"]]],
            controlNumber: "4711", delimiters: delimiters))
        var bytes: [UInt8] = []
        for segment in set.segments { try X12Serializer(delimiters: delimiters).write(segment, into: &bytes) }
        #expect(String(decoding: bytes, as: UTF8.self) == """
            ST|945|4711
            W06|F|ORD-1
            W27|M|UPSN
            LX|1
            W12|CC|3|3||EA||VN|SKU-1
            W03|3
            SE|7|4711

            """)
    }

    @Test func anInvalidX12OutputNamesTheJSONPathOfTheMappingsResult() throws {
        let mapping = try loadMapping(shippingAdvice)
        // "Q" is not a W0601 reporting code; the SKU is longer than W1208 allows (48).
        #expect {
            _ = try mapping.renderX12(
                ["status": "Q", "orderId": "ORD-1", "lines": [["line": 1, "quantity": 3, "sku": .string(String(repeating: "S", count: 49))]]],
                controlNumber: "0001")
        } throws: { error in
            let text = (error as? MappingError)?.description ?? ""
            return text.contains("$.W06.W0601") && text.contains("$.LX_loop[0].W12_loop[0].W12.W1208")
        }
        let unknownKey = try loadMapping(shippingAdvice.replacingOccurrences(of: "W03.W0301", with: "W99.W9901"))
        #expect {
            _ = try unknownKey.renderX12(["status": "F", "orderId": "ORD-1", "lines": [["line": 1, "quantity": 3, "sku": "SKU-1"]]], controlNumber: "0001")
        } throws: { error in
            (error as? MappingError)?.description.contains("$.W99") == true
        }
    }

    @Test func theShippedX12MappingsPassTheirTests() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Mappings/x12").standardized.path
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count == 9)
        let report = MappingTestRunner.run(files: files.map { "\(folder)/\($0)" })
        #expect(report.passed, "\(MappingTestRunner.render(report))")
        #expect(report.outcomes.count == 9)
    }

    /// The public 999 (StAEDI, `../shared/interop/x12/06_…`) through the shipped 997/999 mapping:
    /// a partially accepted group fails the delivery it answers, naming the rejected sets.
    @Test func aPublic999BecomesANegativeAcknowledgment() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        let mapping = try MappingFile.load(path: root.appendingPathComponent("Mappings/x12/997-to-acknowledgment.yaml").path)
        let file = root.deletingLastPathComponent().appendingPathComponent("shared/interop/x12/06_staedi_999_repetition-composite.edi")
        let sets = try mapping.transactionSets(x12: [UInt8](try Data(contentsOf: file)))
        #expect(sets.count == 1)
        #expect(sets[0].output == [
            "key": "x12:123456789:HC:17456", "accepted": false,
            "reason": "AK9 P for group 17456: 837 0002 rejected (5): CLM at 22 code 8; 837 0003 rejected (5): REF at 57 code 3",
        ])
    }
}
