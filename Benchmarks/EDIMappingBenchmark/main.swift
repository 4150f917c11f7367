// The EDI paths above the parser, on the shipped mappings: a received file of 940s mapped to
// CreateOrder commands (parse, envelope and definition validation, loop model, mapping), the
// 997 for the same file, and 945s rendered from OrderShipped events (mapping, encoding,
// definition validation, serialization).
//
//   swift build -c release --product EDIMappingBenchmark && .build/release/EDIMappingBenchmark [sets]
//
// The 940s follow the shipped fixture Mappings/x12/fixtures/940-two-orders.x12 (VICS 940
// segment use), with 5 to 20 lines each; one interchange, one group.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import JSON
import Mapping
import X12

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

let sets = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 20_000 : 20_000
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path

func control(_ n: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, 4 - s.count)) + s }

var text = "ISA*00*          *00*          *ZZ*ACME3PL        *ZZ*PAKLOG         *261201*1200*U*00401*000000101*0*P*>~\n"
text += "GS*OW*ACME3PL*PAKLOG*20261201*1200*101*X*004010VICS~\n"
var lineCount = 0
for n in 1...sets {
    var body = ["ST*940*\(control(n))", "W05*N*ORD-\(n)*PO-\(n * 7)", "N1*ST*Customer \(n)", "N3*\(n) Main Street*Apt 4",
                "N4*Springfield*IL*62701*US", "N9*CO*CUST-PO-\(n)", "G62*10*20261203", "W66*PP*U***UPS GROUND*****UPSN"]
    let lines = 5 + n % 16
    lineCount += lines
    for l in 1...lines { body += ["LX*\(l)", "W01*\(l)*EA**VN*SKU-\(n % 500)-\(l)", "G69*Item \(l) of order \(n)"] }
    body += ["W76*\(lines)"]
    body.append("SE*\(body.count + 1)*\(control(n))")
    text += body.map { $0 + "~\n" }.joined()
}
text += "GE*\(sets)*101~\nIEA*1*000000101~\n"
let bytes = Array(text.utf8)
let megabytes = Double(bytes.count) / 1e6
print(String(format: "input: %d 940 sets, %d lines, %.1f MB", sets, lineCount, megabytes))

// 1. 940 → CreateOrder.
let inbound = try MappingFile.load(path: "\(root)/Mappings/x12/940-to-create-order.yaml")
var start = now()
let mapped = try inbound.transactionSets(x12: bytes)
var seconds = now() - start
let refused = mapped.filter { $0.error != nil }.count
precondition(refused == 0, "\(mapped.first { $0.error != nil }!)")
print(String(format: "940 → CreateOrder (parse, validate, loop model, map): %8.0f sets/s  %6.1f MB/s  (%.2f s)", Double(sets) / seconds, megabytes / seconds, seconds))

// Where the time goes: the document model, definition validation, the loop model.
do {
    var t = now()
    let model = X12Document(parsing: bytes)
    let modelSeconds = now() - t
    let group = model.interchanges[0].groups[0]
    t = now()
    var errors = 0
    for set in group.transactionSets { errors += X12DefinitionValidator.validate(set, gs08: group.header[8]).errors.count }
    let validationSeconds = now() - t
    precondition(errors == 0)
    t = now()
    var keys = 0
    for set in group.transactionSets { keys += set.loopJSON(gs08: group.header[8]).objectValue?.count ?? 0 }
    let loopSeconds = now() - t
    print(String(format: "  phases: document model %.2f s, definition validation %.2f s, loop model %.2f s; the mapping itself the rest", modelSeconds, validationSeconds, loopSeconds))
}

// 2. The 997 for the whole file.
start = now()
let document = X12Document(parsing: bytes)
let replies = X12Acknowledger.acknowledge(document) { _ in .init(interchangeControlNumber: 1, groupControlNumber: 1, date: "20261203", time: "0700") }
seconds = now() - start
precondition(replies.first?.groups.first?.acceptedSets == sets)
print(String(format: "997 for the file (parse, validate, acknowledge):      %8.0f sets/s  %6.1f MB/s  (%d bytes of 997)", Double(sets) / seconds, megabytes / seconds, replies[0].bytes?.count ?? 0))

// 3. OrderShipped → 945.
let outbound = try MappingFile.load(path: "\(root)/Mappings/x12/945-from-order-shipped.yaml")
let event = try JSONValue(parsing: [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(root)/Mappings/x12/fixtures/order-shipped.json"))))
let renders = max(sets / 4, 1)
var written = 0
start = now()
let serializer = X12Serializer(delimiters: .common, lineEnding: .lf)
for n in 0..<renders {
    guard let set = try outbound.renderX12(event, controlNumber: control(n % 10_000 + 1)) else { fatalError("dropped") }
    var out: [UInt8] = []
    for s in set.segments { try serializer.write(s, into: &out) }
    written += out.count
}
seconds = now() - start
print(String(format: "OrderShipped → 945 (map, encode, validate, write):  %8.0f sets/s  (%d bytes)", Double(renders) / seconds, written))
