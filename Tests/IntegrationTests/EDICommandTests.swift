import Foundation
import Testing

/// `paklog edi parse|validate|ack|render` and `paklog mapping run` on x12, as an operator runs
/// them: the real binary, the shipped mappings and fixtures, a public file read in place.
@Suite("paklog edi: parse, validate, ack and render X12 from the command line")
struct EDICommandTests {
    static let root = BuiltProducts.repositoryRoot
    static let fixtures = root.appendingPathComponent("Mappings/x12/fixtures").path
    /// A public 204 whose SE01 says 41 for 38 segments (`../shared/interop/x12/README.md`).
    static let badSE01 = root.deletingLastPathComponent().appendingPathComponent("shared/interop/x12/17_edinet_204_LF-terminator_bad-SE01.edi").path

    func paklog(_ arguments: [String]) async throws -> (status: Int32?, out: String, err: String) {
        let child = try ChildProcess(try BuiltProducts.executable("paklog"), arguments)
        let status = await child.wait(timeout: .seconds(30))
        return (status, child.standardOutput, child.standardError)
    }

    @Test func validateAcceptsAValidFileAndNamesEveryErrorOfABrokenOne() async throws {
        let good = try await paklog(["edi", "validate", "\(Self.fixtures)/940-two-orders.x12"])
        #expect(good.status == 0)
        #expect(good.out.contains("1 interchange(s), 1 group(s), 2 set(s): valid"))
        let bad = try await paklog(["edi", "validate", Self.badSE01])
        #expect(bad.status == 1)
        #expect(bad.out.contains("segment 38 SE of the set"))
        #expect(bad.out.contains("SE01 is \"41\", counted 38 [AK5 718 4 (segmentCountMismatch)]"))
    }

    @Test func ackAnswersWithA997ThatValidatesItself() async throws {
        let ack = try await paklog(["edi", "ack", Self.badSE01, "--interchange-control-number", "77"])
        #expect(ack.status == 0)
        #expect(ack.out.contains("AK5*R*4*1"), "\(ack.out)")
        let dir = try TemporaryDirectory()
        let path = try dir.write("ack.x12", ack.out)
        let check = try await paklog(["edi", "validate", path])
        #expect(check.status == 0, "\(check.out)")
        #expect(ack.out.contains("*000000077*0*T*"))
    }

    @Test func renderWritesTheShippedFixtureAndParseShowsTheLoopModel() async throws {
        let render = try await paklog(["edi", "render", Self.root.appendingPathComponent("Mappings/x12/945-from-order-shipped.yaml").path,
                                       "\(Self.fixtures)/order-shipped.json"])
        #expect(render.status == 0, "\(render.err)")
        #expect(render.out == (try String(contentsOfFile: "\(Self.fixtures)/945-order-shipped.expected.x12", encoding: .utf8)))
        let parse = try await paklog(["edi", "parse", "--compact", "\(Self.fixtures)/940-two-orders.x12"])
        #expect(parse.status == 0)
        #expect(parse.out.contains(#""W05":{"W0501":"N","W0502":"ORD-1001""#))
        #expect(parse.out.contains(#""LX_loop":[{"LX":{"LX01":"1"}"#))
    }

    @Test func mappingRunMapsEachSetAndNamesARefusedOne() async throws {
        let mapping = Self.root.appendingPathComponent("Mappings/x12/940-to-create-order.yaml").path
        let run = try await paklog(["mapping", "run", "--compact", mapping, "\(Self.fixtures)/940-two-orders.x12"])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.hasPrefix(#"[{"orderId":"ORD-1001""#))
        let bad = try await paklog(["mapping", "run", mapping, Self.badSE01])
        #expect(bad.status == 1)
        #expect(bad.err.contains("204 178780001 (interchange 1, group 1, set 1)"))
    }
}
