// AS2 receive (issue 25): a 100 KB X12 payload, compressed, signed (SHA-256) and encrypted
// (AES-256-CBC), taken apart and answered with a signed synchronous MDN; in the same run,
// pyas2lib (PyPI, the foreign implementation of the tests) parsing the same bytes and building
// its MDN. Both sides do the same work: decrypt, decompress, verify, MIC, sign the receipt;
// neither stores anything (the daemon's durable path is measured by its own test figures).
//
//   swift run -c release AS2Benchmark [iterations] [python-with-pyas2lib]
//
// The peer's python defaults to .build/peers/pyas2/bin/python (scripts/peers/pyas2.sh).
import AS2
import Codecs
import Foundation
import PyAS2Support

let arguments = CommandLine.arguments
let iterations = arguments.count > 1 ? Int(arguments[1]) ?? 2000 : 2000
let python = arguments.count > 2 ? arguments[2] : PyAS2Peer.python

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paklog-as2-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let receiver = try PyAS2Peer.Identity(name: "receiver", in: directory, days: 30)
let sender = try PyAS2Peer.Identity(name: "sender", in: directory, days: 30)
let receiverCertificate = receiver.certificate, receiverKey = receiver.key
let senderCertificate = sender.certificate, senderKey = sender.key

// 100 KB of 940 orders: the shape of a real file, not random bytes (which would not compress).
let payload: [UInt8] = {
  var payload: [UInt8] = []
  var order = 0
  while payload.count < 100_000 {
    order += 1
    payload += Array("ST*940*\(String(format: "%04d", order))~W05*N*ORD\(order)*PO\(order)~N1*ST*ACME STORE \(order)*9*0061414\(order)~N3*\(order) MAIN ST~N4*SPRINGFIELD*IL*62701*US~LX*1~W01*12*EA**VN*SKU-\(order % 97)~LX*2~W01*3*CA**VN*SKU-\(order % 89)~W76*15*30*LB~SE*10*\(String(format: "%04d", order))~\n".utf8)
  }
  return payload
}()
let digest = AS2DigestName(.sha256, spelling: "sha256")
let built = try AS2OutboundMessage.build(
    content: payload, mediaType: "application/edi-x12", filename: "orders.x12", messageID: AS2Identifiers.messageID(domain: "bench.paklog"),
    options: AS2SendOptions(as2From: "SENDER", as2To: "RECEIVER", signing: (senderCertificate, senderKey, digest),
                            encryption: (receiverCertificate, .aes256), compress: true, receipt: .synchronous(signedWith: digest)))
let headerFields = Dictionary(built.headers.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { a, _ in a })
let keys = AS2Keys(ourCertificate: receiverCertificate, ourKey: receiverKey, partnerSigning: [senderCertificate])
let policy = AS2SecurityPolicy()
print("AS2 receive: \(payload.count / 1000) KB payload, \(built.body.count / 1000) KB on the wire (compressed, signed SHA-256, AES-256-CBC), signed synchronous MDN")

func receiveOnce() throws -> Int {
    let request = try AS2Request(headers: headerFields)
    let message = try AS2Unwrapper.unwrap(request, body: built.body, keys: keys, policy: policy)
    let mdn = request.receipt(for: .success(message), messageID: AS2Identifiers.messageID(domain: "bench.paklog"))
    return try mdn.rendered(signing: (receiverCertificate, receiverKey, request.receiptDigest!)).body.count
}

// Warm-up, and the check that the benchmark measures a receipt of the right bytes.
guard try AS2Unwrapper.unwrap(try AS2Request(headers: headerFields), body: built.body, keys: keys, policy: policy).content == payload else {
    fatalError("the message does not come apart into the payload")
}
_ = try receiveOnce()
let start = ContinuousClock.now
var bytes = 0
for _ in 0..<iterations { bytes += try receiveOnce() }
let elapsed = ContinuousClock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let ours = Double(iterations) / seconds
print(String(format: "  paklog:   %6.0f messages/s (%d in %.2f s, one thread)", ours, iterations, seconds))

// Two threads, one per core: the receiver holds no lock of its own.
let parallelStart = ContinuousClock.now
let perThread = iterations / 2
DispatchQueue.concurrentPerform(iterations: 2) { _ in
    for _ in 0..<perThread { _ = try! receiveOnce() }
}
let parallelElapsed = ContinuousClock.now - parallelStart
let parallelSeconds = Double(parallelElapsed.components.seconds) + Double(parallelElapsed.components.attoseconds) / 1e18
print(String(format: "  paklog:   %6.0f messages/s (two threads)", Double(perThread * 2) / parallelSeconds))

// Where the time goes: each layer alone, on the same message.
func perMessage(_ n: Int, _ body: () throws -> Void) rethrows -> Double {
    let t0 = ContinuousClock.now
    for _ in 0..<n { try body() }
    let d = ContinuousClock.now - t0
    return (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) / Double(n) * 1e6
}
let enveloped = try MIMEEntity(fields: [("Content-Type", headerFields["content-type"]!)], body: built.body).decodedBody()
let signedEntity = try MIMEEntity(parsing: CMS.decrypt(enveloped, certificate: receiverCertificate, key: receiverKey).content)
let parts = try signedEntity.parts()
let signature = try parts[1].decodedBody()
let compressedDER = try MIMEEntity(parsing: parts[0].raw).body
let n = max(100, iterations / 2)
let decryptCost = try perMessage(n) { _ = try CMS.decrypt(enveloped, certificate: receiverCertificate, key: receiverKey) }
let verifyCost = try perMessage(n) { _ = try CMS.verifyDetached(signature: signature, content: parts[0].raw, certificate: senderCertificate) }
let inflateCost = try perMessage(n) { _ = try CompressedData.decompress(compressedDER) }
let signCost = try perMessage(n) { _ = try CMS.signDetached(Array(repeating: 65, count: 600), certificate: receiverCertificate, key: receiverKey, digest: .sha256) }
let request = try AS2Request(headers: headerFields)
let unwrapped = try AS2Unwrapper.unwrap(request, body: built.body, keys: keys, policy: policy)
let unwrapCost = try perMessage(n) { _ = try AS2Unwrapper.unwrap(request, body: built.body, keys: keys, policy: policy) }
let receiptCost = try perMessage(n) {
    _ = try request.receipt(for: .success(unwrapped), messageID: "x@y").rendered(signing: (receiverCertificate, receiverKey, request.receiptDigest!))
}
print(String(format: "  per message: take apart %.0f µs, MDN %.0f µs", unwrapCost, receiptCost))
print(String(format: "  per message: decrypt %.0f µs, verify %.0f µs, inflate %.0f µs, sign the MDN %.0f µs; the rest (MIME, MIC, MDN text) %.0f µs of %.0f µs",
             decryptCost, verifyCost, inflateCost, signCost, 1e6 / ours - decryptCost - verifyCost - inflateCost - signCost, 1e6 / ours))

// The peer, on the same bytes.
let headersFile = directory.appendingPathComponent("message.headers.json").path
let bodyFile = directory.appendingPathComponent("message.body").path
try JSONSerialization.data(withJSONObject: built.headers.map { [$0.0, $0.1] }).write(to: URL(fileURLWithPath: headersFile))
try Data(built.body).write(to: URL(fileURLWithPath: bodyFile))
let peerIterations = max(40, iterations / 4)
let job: [String: Any] = ["receiverKeyAndCert": try receiver.combinedPEM(in: directory), "senderCertificate": sender.certificateFile,
                          "receiverName": "RECEIVER", "senderName": "SENDER", "headersFile": headersFile, "bodyFile": bodyFile,
                          "iterations": peerIterations]
let jobFile = directory.appendingPathComponent("bench.json").path
try JSONSerialization.data(withJSONObject: job).write(to: URL(fileURLWithPath: jobFile))
guard FileManager.default.isExecutableFile(atPath: python) else {
    print("  pyas2lib: not measured (no \(python); run scripts/peers/pyas2.sh)")
    exit(0)
}
let output: String
do { output = try PyAS2Peer.run(python, [PyAS2Peer.script, "bench", jobFile]) } catch {
    print("  pyas2lib: failed: \(error)")
    exit(1)
}
guard let line = output.split(separator: "\n").last,
      let result = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
      let peerSeconds = result["seconds"] as? Double else {
    print("  pyas2lib: no result in: \(output)")
    exit(1)
}
let theirs = Double(peerIterations) / peerSeconds
print(String(format: "  pyas2lib: %6.1f messages/s (%d in %.2f s; status %@)", theirs, peerIterations, peerSeconds, "\(result["statuses"] ?? "?")"))
print(String(format: "  ratio:    %.1f× (goal ≥ 10×)", ours / theirs))
