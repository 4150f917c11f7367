// X12 parse + envelope validation throughput, against a memchr scan of the same bytes (the
// limit: one pass that only finds terminators) and, when available, pyx12's segment reader.
//
//   swift build -c release --product X12Benchmark && .build/release/X12Benchmark [MB] [pyx12-python]
//
// X12_PROFILE=N runs only the parse + validation N times and exits, so that a profiler
// (`perf record`) sees the hot loop rather than the input generation and the other parts.
//
// The input is generated: interchanges of 1,000 transaction sets, alternating realistic 940
// (warehouse shipping order) and 856 (ship notice with S/O/P/I hierarchy and SSCC-18 cartons)
// sets, CR/LF after each terminator as many partners send them.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import X12

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
func zeros(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }

/// A 940 with `lines` order lines.
func set940(_ control: String, order: Int, lines: Int) -> [String] {
    var s = ["ST*940*\(control)", "W05*N*SO\(order)*PO\(order * 7)", "N1*ST*ACME DISTRIBUTION CENTER 4*9*0012345678901",
             "N3*1200 INDUSTRIAL PARKWAY*DOCK 7", "N4*COLUMBUS*OH*43215*US", "N1*SF*PAKLOG 3PL WAREHOUSE*91*WH01",
             "N9*PO*PO\(order * 7)", "G62*10*20240315", "W66*PP*M***FDEG"]
    for l in 1...lines {
        s += ["LX*\(l)", "W01*\(l * 3)*EA*00012345\(zeros(l, 4))*VN*SKU-\(order % 977)-\(l)*UP*0123456\(zeros(l, 5))",
              "G69*WIDGET ASSORTMENT \(l) BLUE 12 PACK", "N9*LI*\(zeros(l, 6))"]
    }
    s += ["W76*\(lines * 3)*\(lines * 2).5*LB", "SE*\(s.count + 2)*\(control)"]
    return s
}

/// An 856 with `packs` cartons of two items each.
func set856(_ control: String, shipment: Int, packs: Int) -> [String] {
    var s = ["ST*856*\(control)", "BSN*00*SH\(shipment)*20240315*1432*0001", "HL*1**S", "TD1*CTN25*\(packs)****G*\(packs * 12).4*LB",
             "TD5*B*2*FDEG*M*FEDEX GROUND", "REF*BM*BOL\(shipment)", "DTM*011*20240315", "N1*ST*ACME STORE 221*92*221",
             "N1*SF*PAKLOG 3PL WAREHOUSE*92*WH01", "HL*2*1*O", "PRF*PO\(shipment * 3)***20240310"]
    var hl = 2
    for p in 1...packs {
        hl += 1
        let pack = hl
        s += ["HL*\(pack)*2*P", "MAN*GM*00\(zeros(shipment % 1_000_000_000, 10))\(zeros(p, 6))"]
        for i in 1...2 {
            hl += 1
            s += ["HL*\(hl)*\(pack)*I", "LIN**UP*0123456\(zeros(p * 2 + i, 5))*VN*SKU-\(p)-\(i)", "SN1**\(i * 6)*EA"]
        }
    }
    s += ["CTT*\(hl)", "SE*\(s.count + 2)*\(control)"]
    return s
}

func generate(megabytes: Int) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(megabytes << 20 + (1 << 20))
    var interchange = 0
    var sequence = 0
    while out.count < megabytes << 20 {
        interchange += 1
        let isa13 = zeros(interchange, 9)
        var segs = ["ISA*00*          *00*          *ZZ*\(pad("PAKLOG", 15))*ZZ*\(pad("RETAILER", 15))*240315*1432*^*00501*\(isa13)*0*P*>"]
        segs.append("GS*SH*PAKLOG*RETAILER*20240315*1432*\(interchange)*X*005010")
        for k in 1...1000 {
            sequence += 1
            let control = zeros(k, 4)
            segs += k % 2 == 0 ? set940(control, order: sequence, lines: 1 + sequence % 6) : set856(control, shipment: sequence, packs: 1 + sequence % 5)
        }
        segs += ["GE*1000*\(interchange)", "IEA*1*\(isa13)"]
        for s in segs { out += Array(s.utf8); out += [0x7E, 0x0D, 0x0A] }
    }
    return out
}

func best(_ runs: Int, _ body: () -> Void) -> Double {
    var t = Double.infinity
    for _ in 0..<runs {
        let start = now()
        body()
        t = min(t, now() - start)
    }
    return t
}

let args = CommandLine.arguments
let megabytes = args.count > 1 ? Int(args[1]) ?? 128 : 128
let bytes = generate(megabytes: megabytes)
let mb = Double(bytes.count) / 1e6
print("input: \(String(format: "%.1f", mb)) MB (10^6 bytes), 940 + 856 sets, 1,000 per interchange")

if let n = getenv("X12_PROFILE").flatMap({ Int(String(cString: $0)) }), n > 0 {
    let seconds = best(n) { bytes.withUnsafeBytes { precondition(X12Reader.validate($0).errors.isEmpty) } }
    print(String(format: "profile: best of %d runs %8.1f MB/s", n, mb / seconds))
    exit(0)
}

// 1. Parse + envelope validation (every segment cut into elements, all envelope rules).
var errors = 0, sets = 0
let parse = best(5) {
    bytes.withUnsafeBytes { buffer in
        let v = X12Reader.validate(buffer)
        errors = v.errors.count
        sets = v.transactionSetCount
    }
}
precondition(errors == 0, "the generated input must be valid")

// 2. The limit: memchr counting segment terminators.
var terminators = 0
let scan = best(5) {
    bytes.withUnsafeBytes { buffer in
        var count = 0
        var p = buffer.baseAddress!
        var left = buffer.count
        while left > 0, let hit = memchr(p, 0x7E, left) {
            count += 1
            let next = UnsafeRawPointer(hit) + 1
            left -= p.distance(to: next)
            p = next
        }
        terminators = count
    }
}

// 3. The same through the file reader's 64 KiB chunks, as the daemon reads partner files.
let path = "/tmp/x12-benchmark-\(getpid()).edi"
do {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}
defer { unlink(path) }
let chunked = best(3) {
    let v = try! X12Reader.validate(path: path)
    precondition(v.errors.isEmpty)
}

// 4. The document model, streamed one transaction set at a time (a copy per segment).
let modelSlice = Array(bytes.prefix(32 << 20))
let modelCut = modelSlice.lastIndex(of: 0x0A)! + 1
var modelSets = 0
let model = best(3) {
    var pair = X12HandlerPair(X12EnvelopeValidator(), X12TransactionSetStream { _ in modelSets += 1 })
    X12StreamParser.parse(Array(modelSlice[..<modelCut]), into: &pair)
}
let modelMB = Double(modelCut) / 1e6

func rate(_ seconds: Double, _ megabytes: Double = mb) -> Double { megabytes / seconds }
print(String(format: "parse + envelope validation: %8.1f MB/s  (%d sets, %d segments)", rate(parse), sets, terminators))
print(String(format: "memchr terminator scan:      %8.1f MB/s", rate(scan)))
print(String(format: "ratio memchr / parser:       %8.2f x", scan > 0 ? parse / scan : 0))
print(String(format: "file reader, 64 KiB chunks:  %8.1f MB/s", rate(chunked)))
print(String(format: "document model (streamed):   %8.1f MB/s  (first %.0f MB)", rate(model, modelMB), modelMB))

// 5. pyx12's segment reader (pyx12.x12file.X12Reader: tokenizing + ISA/GS/ST envelope checks)
//    on a slice, when a Python with pyx12 is given.
if args.count > 2 {
    let python = args[2]
    let sliceBytes = Array(bytes.prefix(8 << 20))
    // Cut the slice at an interchange boundary so that it is valid X12 on its own.
    var cut = sliceBytes.count
    let iea = Array("IEA*1*".utf8)
    var i = sliceBytes.count - iea.count
    while i > 0 {
        if sliceBytes[i] == iea[0], Array(sliceBytes[i..<(i + iea.count)]) == iea {
            cut = sliceBytes[i...].firstIndex(of: 0x0A)! + 1
            break
        }
        i -= 1
    }
    let slicePath = "/tmp/x12-benchmark-slice-\(getpid()).edi"
    let fd = open(slicePath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    _ = sliceBytes.withUnsafeBytes { write(fd, $0.baseAddress, cut) }
    close(fd)
    defer { unlink(slicePath) }
    let script = """
    import sys, time
    import pyx12.error_handler, pyx12.x12file
    t = time.perf_counter()
    n = 0
    src = pyx12.x12file.X12Reader(open(sys.argv[1]))
    for seg in src:
        n += 1
    print(n, time.perf_counter() - t)
    """
    let scriptPath = "/tmp/x12-benchmark-pyx12-\(getpid()).py"
    let sfd = open(scriptPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    _ = Array(script.utf8).withUnsafeBytes { write(sfd, $0.baseAddress, $0.count) }
    close(sfd)
    defer { unlink(scriptPath) }
    guard let pipe = popen("\(python) \(scriptPath) \(slicePath)", "r") else { fatalError("cannot run \(python)") }
    var output: [UInt8] = []
    while true {
        let c = fgetc(pipe)
        if c == EOF { break }
        output.append(UInt8(truncatingIfNeeded: c))
    }
    pclose(pipe)
    let text = String(decoding: output, as: UTF8.self)
    let fields = text.split(separator: " ")
    if fields.count == 2, let seconds = Double(fields[1].filter { !$0.isWhitespace }) {
        let sliceMB = Double(cut) / 1e6
        print(String(format: "pyx12 X12Reader:             %8.2f MB/s  (%.1f MB slice, %@ segments)", sliceMB / seconds, sliceMB, String(fields[0])))
        print(String(format: "ratio parser / pyx12:        %8.0f x", rate(parse) / (sliceMB / seconds)))
    } else {
        print("pyx12 did not run: \(text)")
    }
}
