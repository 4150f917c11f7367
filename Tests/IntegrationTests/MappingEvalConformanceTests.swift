import Foundation
import JSON
import JSONataSuite
import Synchronization
import Testing

/// The official JSONata suite once more, every case through the real `paklog mapping eval`
/// command (expression, input file, `--bind`, limits, exit status, JSON on standard output, the
/// error code on standard error), beside the in-process check in MappingTests.
@Suite("paklog mapping eval against the official JSONata suite")
struct MappingEvalConformanceTests {
    /// The same rate the in-process check holds.
    static let requiredPassRate = 0.998
    /// Commands run at once: much of each is process start-up.
    static let workers = 4

    @Test("every case of the suite, evaluated by the command, passes as in process")
    func officialSuiteThroughTheCommand() async throws {
        guard let suite = JSONataSuite.locate() else {
            Issue.record("JSONata test suite not found; set PAKLOG_JSONATA_SUITE")
            return
        }
        let binary = try BuiltProducts.executable("paklog")
        let scratch = try TemporaryDirectory()
        let cases = try suite.cases()
        let scratchPath = scratch.path
        let outcomes = Mutex([JSONataSuite.Outcome?](repeating: nil, count: cases.count))
        let next = Atomic<Int>(0)
        // Worker threads, not tasks: each waits for its child, and the cooperative pool is left
        // to the tests running beside this one.
        let remaining = Atomic<Int>(Self.workers)
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            for _ in 0..<Self.workers {
                Thread {
                    while case let index = next.add(1, ordering: .relaxed).oldValue, index < cases.count {
                        let outcome = Self.evaluate(cases[index], binary: binary, scratch: scratchPath, index: index)
                        outcomes.withLock { $0[index] = outcome }
                    }
                    if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { finished.resume() }
                }.start()
            }
        }
        var report = JSONataSuiteReport()
        let results = outcomes.withLock { $0 }
        for (c, outcome) in zip(cases, results) {
            report.record(c, failure: JSONataSuite.failure(of: c, outcome ?? .error(code: "(not run)", message: "")))
        }
        print("paklog mapping eval: " + report.summary.split(separator: "\n").last!)
        if report.passRate < Self.requiredPassRate { print(report.failures.prefix(40).joined(separator: "\n")) }
        #expect(report.total == JSONataSuite.caseCount)
        #expect(report.passRate >= Self.requiredPassRate, "pass rate \(report.passRate) through the command")
    }

    /// Runs `paklog mapping eval` for one case.
    static func evaluate(_ c: JSONataSuite.Case, binary: String, scratch: String, index: Int) -> JSONataSuite.Outcome {
        var arguments = ["mapping", "eval", "--compact", "--depth", String(c.depth ?? 100_000),
                         "--time-limit", String(c.timeLimitMilliseconds ?? 10_000), "--", c.expression]
        if let file = c.datasetFile {
            arguments.append(file.path)
        } else if let input = c.input {
            let path = scratch + "/input-\(index).json"
            FileManager.default.createFile(atPath: path, contents: Data(input.serialized()))
            arguments.append(path)
        }
        for (name, value) in c.bindings.sorted(by: { $0.key < $1.key }) {
            arguments.insert(contentsOf: ["--bind", "\(name)=\(value.jsonString)"], at: 2)
        }
        let (status, output, errors) = run(binary, arguments)
        switch status {
        case 0:
            if output.isEmpty { return .value(nil) }
            do { return .value(try JSONValue(parsing: output, replacingLoneSurrogates: true)) } catch {
                return .error(code: "(output is not JSON)", message: "\(error): \(String(decoding: output, as: UTF8.self))")
            }
        case 1:
            // "paklog: T0410: message…", then the expression line and the caret.
            let text = String(decoding: errors, as: UTF8.self)
            let first = text.split(separator: "\n").first.map(String.init) ?? ""
            let body = first.hasPrefix("paklog: ") ? first.dropFirst(8) : first[...]
            let code = body.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            return .error(code: code, message: text)
        default:
            return .error(code: "(exit \(status))", message: String(decoding: errors, as: UTF8.self))
        }
    }

    /// Runs `binary` to completion, at nice 15 so that the daemons other tests start beside this
    /// one keep the processor they wait for; standard output and error are read on their own
    /// threads so that neither pipe can fill up and stall the child.
    static func run(_ binary: String, _ arguments: [String]) -> (Int32, [UInt8], [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
        process.arguments = ["-n", "15", binary] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, [], Array("\(error)".utf8)) }
        let errors = Mutex<[UInt8]>([])
        let reading = DispatchGroup()
        reading.enter()
        Thread {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            errors.withLock { $0 = Array(data) }
            reading.leave()
        }.start()
        let output = Array(out.fileHandleForReading.readDataToEndOfFile())
        reading.wait()
        process.waitUntilExit()
        return (process.terminationStatus, output, errors.withLock { $0 })
    }
}
