// MappingBenchmark: how many times per second the shipped order mapping (Shopify order with 20 line
// items → canonical order, the one-expression form) evaluates, here and, in the same run, in other
// JSONata engines from PyPI: `jsonata-rs` (Rust) and `jsonata-python`, plus `jlens` and `jsonatapy`
// (Rust, the fastest measured on this machine kind). Each peer gets its own virtual environment
// (three of them install a module named `jsonata`) under $PAKLOG_BENCH_CACHE (default
// ~/.cache/paklog-bench), created on first use with `python3 -m venv` + `pip install`.
// Peers are timed the same way as we are: compile once, input already converted, evaluate in a
// loop. Rounds alternate between the engines and each keeps its best; results are compared with ours.
//
//   swift run -c release MappingBenchmark [--seconds 1] [--rounds 3] [--no-peers]
//       [--peers jsonata-rs,jsonata-python,jlens,jsonatapy] [--mapping FILE] [--fields-mapping FILE] [--input FILE] [--no-json]
//       [--only evaluate|bytes|tree|parse|tape [--iterations N]]   (one figure of ours alone, for a profiler)
// Then JSON parsing alone (the input, and a 10 MB array of copies of it) in MB/s beside Python's
// `json` and `orjson` (PyPI, in its own virtual environment); `--no-json` skips it.
import Foundation
import JSON
import Mapping

// MARK: Arguments

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
var mappingPath = repositoryRoot.appendingPathComponent("Mappings/examples/order-to-canonical-expression.yaml").path
var fieldsMappingPath = repositoryRoot.appendingPathComponent("Mappings/examples/order-to-canonical.yaml").path
var inputPath = repositoryRoot.appendingPathComponent("Mappings/examples/fixtures/order-20-lines.json").path
var secondsPerRound = 1.0
var rounds = 3
var runPeers = true
var peerNames: [String] = []
/// `--only evaluate|bytes`: time just that figure of ours, for a profiler (no peers, no JSON).
var only: String?
/// With `--only`: a fixed number of iterations instead of `--seconds` (for callgrind).
var onlyIterations: Int?
/// The command line, read front to back; `--peers` may stand alone (every peer), so it looks at
/// the next argument before taking it.
struct Arguments {
    private var rest = Array(CommandLine.arguments.dropFirst())[...]
    mutating func next() -> String? { rest.popFirst() }
    mutating func nextValue() -> String? {
        guard let first = rest.first, !first.hasPrefix("--") else { return nil }
        return rest.popFirst()
    }
}
var arguments = Arguments()
while let argument = arguments.next() {
    switch argument {
    case "--seconds": secondsPerRound = Double(arguments.next() ?? "") ?? secondsPerRound
    case "--rounds": rounds = Int(arguments.next() ?? "") ?? rounds
    case "--no-peers": runPeers = false
    case "--peers": peerNames = (arguments.nextValue() ?? "").split(separator: ",").map(String.init)
    case "--mapping": mappingPath = arguments.next() ?? mappingPath
    case "--fields-mapping": fieldsMappingPath = arguments.next() ?? fieldsMappingPath
    case "--input": inputPath = arguments.next() ?? inputPath
    case "--no-json": break
    case "--only": only = arguments.next()
    case "--iterations": onlyIterations = Int(arguments.next() ?? "")
    default:
        FileHandle.standardError.write(Data("usage: MappingBenchmark [--seconds S] [--rounds N] [--no-peers] [--peers jsonata-rs,jsonata-python,jlens,jsonatapy] [--mapping FILE] [--fields-mapping FILE] [--input FILE] [--no-json] [--only evaluate|bytes|tree|parse|tape [--iterations N]]\n".utf8))
        exit(2)
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("MappingBenchmark: \(message)\n".utf8))
    exit(1)
}

// MARK: Our engine

let mapping: MappingFile
let fieldsMapping: MappingFile
do {
    mapping = try MappingFile.load(path: mappingPath)
    fieldsMapping = try MappingFile.load(path: fieldsMappingPath)
} catch {
    fail("\(error)")
}
guard let source = mapping.expressionSource else { fail("\(mappingPath) must be an `expression:` mapping") }
guard let inputData = FileManager.default.contents(atPath: inputPath) else { fail("cannot read \(inputPath)") }
/// The input text as the byte-taking figures get it, made once: the Python peers' bytes-to-bytes
/// figure parses the `bytes` object read once, too (converting it in the loop was a 15 KB copy
/// per evaluation that only we paid).
let inputBytes = [UInt8](inputData)
let input: JSONValue
do {
    input = try JSONValue(parsing: inputBytes)
} catch {
    fail("\(inputPath): \(error)")
}
let expression: JSONataExpression
do {
    expression = try JSONataExpression(source)
} catch {
    fail("\(error)")
}

/// Evaluations per second of `body` over one round of `secondsPerRound`, after a short warm-up.
@MainActor func measureRound(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    for _ in 0..<20 { try body() }
    var count = 0
    let start = clock.now
    var elapsed = Duration.zero
    repeat {
        for _ in 0..<10 { try body() }
        count += 10
        elapsed = clock.now - start
    } while elapsed < .seconds(secondsPerRound)
    return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

let ours: JSONValue
do {
    guard let result = try expression.evaluate(input) else { fail("the expression gave undefined on \(inputPath)") }
    ours = result
} catch {
    fail("our evaluation failed: \(error)")
}
if (try? fieldsMapping.apply(input)) != .output(ours) {
    print("MISMATCH: \(fieldsMappingPath) and \(mappingPath) give different results")
}
let lineCount = input["line_items"]?.arrayValue?.count ?? 0
print("MappingBenchmark: \(URL(fileURLWithPath: mappingPath).lastPathComponent) on \(URL(fileURLWithPath: inputPath).lastPathComponent) (\(lineCount) line items, \(inputData.count) bytes)")
print("expression: \(source.utf8.count) bytes; output \(ours.serialized().count) bytes; best of \(rounds) rounds × \(secondsPerRound) s, engines alternating")

if let only {
    let clock = ContinuousClock()
    let start = clock.now
    var count = 0
    do {
        while onlyIterations.map({ count < $0 }) ?? (clock.now - start < .seconds(secondsPerRound)) {
            switch only {
            case "evaluate": _ = try expression.evaluate(input)
            case "bytes": _ = try expression.evaluate(jsonText: inputBytes)
            case "tree": _ = try expression.evaluate(try JSONValue(parsing: inputBytes))?.serialized()
            case "tape": _ = try JSONTape(parsing: inputBytes)
            case "parse": _ = try JSONValue(parsing: inputBytes)
            default: fail("--only takes evaluate, bytes, tree, parse or tape")
            }
            count += 1
        }
    } catch {
        fail("\(error)")
    }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("\(only): \(count) in \(String(format: "%.2f", seconds)) s, \(Int(Double(count) / seconds)) per second")
    exit(0)
}

/// Best rate per engine, in the order they were first measured.
var rows: [(name: String, rate: Double)] = []
@MainActor func record(_ name: String, _ rate: Double) {
    if let i = rows.firstIndex(where: { $0.name == name }) {
        rows[i].rate = max(rows[i].rate, rate)
    } else {
        rows.append((name, rate))
    }
}

@MainActor func measureOurs() {
    do {
        record("paklog JSONataExpression.evaluate", try measureRound { _ = try expression.evaluate(input) })
        record("paklog MappingFile.apply (+ drop_if)", try measureRound { _ = try mapping.apply(input) })
        record("paklog MappingFile.apply, fields: form", try measureRound { _ = try fieldsMapping.apply(input) })
        record("paklog parse bytes + evaluate + serialize", try measureRound {
            _ = try expression.evaluate(jsonText: inputBytes)
        })
        record("paklog parse to JSONValue + evaluate + serialize", try measureRound {
            _ = try expression.evaluate(try JSONValue(parsing: inputBytes))?.serialized()
        })
    } catch {
        fail("our evaluation failed: \(error)")
    }
}

// MARK: Peers

struct Peer {
    let name: String
    /// The PyPI package, also the name of its virtual environment.
    let package: String
    /// How the peer script compiles and calls the expression (see `peerScript`).
    let style: String
    /// The module it installs.
    let module: String
}

/// jsonata-rs and jsonata-python are the peers of record; jlens and jsonatapy (both Rust engines)
/// are the fastest JSONata engines on PyPI measured on this machine kind.
let allPeers = [
    Peer(name: "jsonata-rs (PyPI, Rust)", package: "jsonata-rs", style: "jsonata", module: "jsonata"),
    Peer(name: "jsonata-python (PyPI)", package: "jsonata-python", style: "jsonata", module: "jsonata"),
    Peer(name: "jlens (PyPI, Rust)", package: "jlens", style: "jlens", module: "jlens"),
    Peer(name: "jsonatapy (PyPI, Rust)", package: "jsonatapy", style: "jsonatapy", module: "jsonatapy"),
]

let peerScript = """
    import json, sys, time
    src = open(sys.argv[1]).read()
    raw = open(sys.argv[2], "rb").read()
    data = json.loads(raw)
    seconds = float(sys.argv[3])
    style = sys.argv[4]
    if style == "jsonata":
        import jsonata
        compiled = jsonata.Jsonata(src)
        evaluate_on = lambda d: compiled.evaluate(d)
    elif style == "jlens":
        import jlens
        compiled = jlens.Expression(src)
        evaluate_on = lambda d: compiled.evaluate(d, {})
    else:
        import jsonatapy
        compiled = jsonatapy.compile(src)
        evaluate_on = lambda d: compiled.evaluate(d, {})
    # Bytes to bytes: parse the input text, evaluate, write the result as JSON text, with the
    # fastest codec in the environment.
    try:
        import orjson
        loads, dumps, codec = orjson.loads, orjson.dumps, "orjson"
    except ImportError:
        loads, dumps, codec = json.loads, json.dumps, "json"
    def rate(body):
        for _ in range(5):
            body()
        n = 0
        t0 = time.perf_counter()
        while True:
            body()
            n += 1
            t = time.perf_counter() - t0
            if t >= seconds:
                break
        return n / t
    result = evaluate_on(data)
    evaluated = rate(lambda: evaluate_on(data))
    bytes_rate = rate(lambda: dumps(evaluate_on(loads(raw))))
    print(json.dumps({"rate": evaluated, "bytesRate": bytes_rate, "codec": codec, "result": result}))
    """

/// Runs `executable` with `arguments`; returns its exit status, standard output and the end of
/// its standard error (kept in a file, so that neither pipe can fill up and block the child).
func run(_ executable: String, _ arguments: [String]) -> (status: Int32, output: Data, error: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe()
    let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("mapping-benchmark-stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: errorPath.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errorPath) }
    process.standardOutput = out
    process.standardError = try? FileHandle(forWritingTo: errorPath)
    do {
        try process.run()
    } catch {
        return (-1, Data(), "\(error)")
    }
    let output = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let errorOutput = (try? Data(contentsOf: errorPath)) ?? Data()
    return (process.terminationStatus, output, String(decoding: errorOutput.suffix(2000), as: UTF8.self))
}

/// The peer's virtual environment's python, created (venv + pip install) on first use.
func peerPython(_ peer: Peer, cache: URL) -> String? {
    let venv = cache.appendingPathComponent(peer.package)
    let python = venv.appendingPathComponent("bin/python").path
    if FileManager.default.isExecutableFile(atPath: python),
        run(python, ["-c", "import \(peer.module), orjson"]).status == 0
    {
        return python
    }
    print("setting up \(peer.package) in \(venv.path) …")
    let created = run("/usr/bin/env", ["python3", "-m", "venv", venv.path])
    guard created.status == 0 else {
        print("  python3 -m venv failed: \(created.error)")
        return nil
    }
    // orjson too: the bytes-to-bytes figure is against the fastest codec a peer can be given.
    let installed = run(python, ["-m", "pip", "install", "--quiet", peer.package, "orjson"])
    guard installed.status == 0 else {
        print("  pip install \(peer.package) failed: \(installed.error)")
        return nil
    }
    return python
}

// Rounds alternate between the engines, so that a burst of load on this shared machine hurts
// every engine's worst round rather than one engine's only measurement; each keeps its best.
var peers: [(peer: Peer, python: String)] = []
let work = FileManager.default.temporaryDirectory.appendingPathComponent("mapping-benchmark-\(ProcessInfo.processInfo.processIdentifier)")
let scriptPath = work.appendingPathComponent("peer_bench.py").path
let expressionPath = work.appendingPathComponent("expression.jsonata").path
if runPeers {
    let cache = ProcessInfo.processInfo.environment["PAKLOG_BENCH_CACHE"].map { URL(fileURLWithPath: $0) }
        ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/paklog-bench")
    try? FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
    try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: scriptPath, contents: Data(peerScript.utf8))
    _ = FileManager.default.createFile(atPath: expressionPath, contents: Data(source.utf8))
    for peer in allPeers where peerNames.isEmpty || peerNames.contains(peer.package) {
        if let python = peerPython(peer, cache: cache) {
            peers.append((peer, python))
        } else {
            print("\(peer.name): not available")
        }
    }
}

var compared: Set<String> = []
for _ in 0..<rounds {
    measureOurs()
    for (peer, python) in peers {
        // jsonata-python is much slower: it gets the same wall time and counts fewer evaluations.
        let result = run(python, [scriptPath, expressionPath, inputPath, String(secondsPerRound), peer.style])
        guard result.status == 0,
            let report = try? JSONValue(parsing: [UInt8](result.output)),
            let rate = report["rate"]?.doubleValue
        else {
            print("\(peer.name): failed (\(result.status)): \(result.error.suffix(400))")
            continue
        }
        record(peer.name, rate)
        if let bytesRate = report["bytesRate"]?.doubleValue {
            record("\(peer.name), bytes to bytes (\(report["codec"]?.stringValue ?? "json"))", bytesRate)
        }
        guard compared.insert(peer.name).inserted else { continue }
        let differences = JSONDifference.differences(expected: ours, actual: report["result"] ?? .null)
        if differences.isEmpty {
            print("\(peer.name): same result as ours")
        } else {
            print("\(peer.name): RESULT MISMATCH (\(differences.count) differences; expected = ours, got = theirs):")
            for d in differences.prefix(10) { print("  \(d)") }
        }
    }
}
try? FileManager.default.removeItem(at: work)

// MARK: Report

print("")
let oursRate = rows.first { $0.name == "paklog JSONataExpression.evaluate" }?.rate ?? 0
let oursBytesRate = rows.first { $0.name == "paklog parse bytes + evaluate + serialize" }?.rate ?? 0
let width = rows.map(\.name.count).max() ?? 0
for (name, rate) in rows {
    let padded = name + String(repeating: " ", count: width - name.count)
    let count = String(Int(rate.rounded()))
    // Bytes-to-bytes figures compare with ours of the same kind.
    let reference = name.contains("bytes to bytes") ? oursBytesRate : oursRate
    let ratio = name.hasPrefix("paklog") ? "" : "   ours/peer = " + String(format: "%.2f", reference / rate) + "×"
    print(padded + String(repeating: " ", count: max(0, 12 - count.count)) + count + " evaluations/s" + ratio)
}

// MARK: JSON parsing alone: MB/s beside Python's json and orjson

/// Parses per second of `bytes`, as MB/s, best of `rounds`.
/// MB/s of `JSONValue(parsing:)`, or with `tape` of `JSONTape(parsing:)` (the whole text
/// checked and indexed, no value made: what `evaluate(jsonText:)` starts with).
@MainActor func parseMegabytesPerSecond(_ bytes: [UInt8], tape: Bool = false) -> Double {
    var best = 0.0
    for _ in 0..<rounds {
        let rate = tape ? measureRound { _ = try? JSONTape(parsing: bytes) } : measureRound { _ = try? JSONValue(parsing: bytes) }
        best = max(best, rate * Double(bytes.count) / 1e6)
    }
    return best
}

let jsonPeerScript = """
    import json, sys, time
    data = open(sys.argv[1], "rb").read()
    seconds = float(sys.argv[2])
    rounds = int(sys.argv[3])
    import orjson
    def best(loads):
        top = 0.0
        for _ in range(rounds):
            for _ in range(3):
                loads(data)
            n, t0 = 0, time.perf_counter()
            while True:
                loads(data)
                n += 1
                t = time.perf_counter() - t0
                if t >= seconds:
                    break
            top = max(top, n * len(data) / t / 1e6)
        return top
    print(json.dumps({"json": best(json.loads), "orjson": best(orjson.loads)}))
    """

if !CommandLine.arguments.contains("--no-json") {
    // The 15 KB order, and an array of copies of it of 10 MB or more.
    let order = [UInt8](inputData)
    var array: [UInt8] = [UInt8(ascii: "[")]
    while array.count < 10_000_000 {
        if array.count > 1 { array.append(UInt8(ascii: ",")) }
        array += order
    }
    array.append(UInt8(ascii: "]"))
    var lines: [(String, Double, Double, [String: Double])] = []
    let jsonWork = FileManager.default.temporaryDirectory.appendingPathComponent("json-benchmark-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.createDirectory(at: jsonWork, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: jsonWork) }
    let script = jsonWork.appendingPathComponent("json_bench.py").path
    _ = FileManager.default.createFile(atPath: script, contents: Data(jsonPeerScript.utf8))
    let cache = ProcessInfo.processInfo.environment["PAKLOG_BENCH_CACHE"].map { URL(fileURLWithPath: $0) }
        ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/paklog-bench")
    let python = runPeers ? peerPython(Peer(name: "orjson (PyPI)", package: "orjson", style: "", module: "orjson"), cache: cache) : nil
    for (label, bytes) in [("order, \(order.count) bytes", order), ("array of orders, \(array.count) bytes", array)] {
        let ours = parseMegabytesPerSecond(bytes)
        let tape = parseMegabytesPerSecond(bytes, tape: true)
        var theirs: [String: Double] = [:]
        if let python {
            let file = jsonWork.appendingPathComponent("input.json")
            _ = FileManager.default.createFile(atPath: file.path, contents: Data(bytes))
            let result = run(python, [script, file.path, String(secondsPerRound), String(rounds)])
            if result.status == 0, let report = try? JSONValue(parsing: [UInt8](result.output)) {
                theirs["json"] = report["json"]?.doubleValue
                theirs["orjson"] = report["orjson"]?.doubleValue
            } else {
                print("json peers failed (\(result.status)): \(result.error.suffix(400))")
            }
        }
        lines.append((label, ours, tape, theirs))
    }
    print("")
    print("JSON parse, MB/s (best of \(rounds) rounds × \(secondsPerRound) s): to a value tree (JSONValue; orjson and json build")
    print("Python objects), and paklog's JSONTape (checked and indexed; values made when a mapping reads them)")
    for (label, ours, tape, theirs) in lines {
        var line = "  " + label.padding(toLength: 36, withPad: " ", startingAt: 0) + String(format: "tree %7.1f   tape %7.1f", ours, tape)
        for name in ["orjson", "json"] {
            if let rate = theirs[name] {
                line += "   \(name) " + String(format: "%7.1f", rate) + " (tree/\(name) " + String(format: "%.2f", ours / rate) + "×, tape/\(name) " + String(format: "%.2f", tape / rate) + "×)"
            }
        }
        print(line)
    }
}
