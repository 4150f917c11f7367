import Foundation
import JSON
import X12

extension MappingFile {
    /// Runs one `tests:` entry of an x12 mapping. Its input fixture is an X12 file; its expected
    /// fixture is a JSON array with one entry per transaction set, in file order: the set's
    /// output, or `null` for a set the mapping drops. A set the gateway refuses (an envelope or
    /// definition error) or that the mapping fails on makes the test an error naming the set.
    func x12InputTestStatus(_ test: MappingTestCase) -> MappingTestOutcome.Status {
        guard let data = FileManager.default.contents(atPath: test.inputPath) else {
            return .error("input fixture \(test.inputPath): cannot read file")
        }
        let sets: [MappedX12Set]
        do {
            sets = try transactionSets(x12: [UInt8](data))
        } catch {
            return .error("input fixture \(test.inputPath): \(error)")
        }
        let refused = sets.filter { $0.error != nil }
        if let first = refused.first {
            let more = refused.count > 1 ? " (and \(refused.count - 1) more refused set\(refused.count == 2 ? "" : "s"))" : ""
            return .error("input fixture \(test.inputPath) \(first)\(more)")
        }
        let expected: [JSONValue]
        switch EntryExpectation.expected(test, count: sets.count, article: "an", format: "x12", entry: "transaction set", short: "set") {
        case .entries(let values): expected = values
        case .problem(let message): return .error(message)
        }
        let differences = EntryExpectation.differences(expected: expected, actual: sets.map { $0.output ?? .null }) { i in
            "set \(sets[i].identifier) \(sets[i].controlNumber): $[\(i)]"
        }
        return differences.isEmpty ? .passed : .failed(differences.map(MappingTestFailure.difference))
    }

    /// Runs one `tests:` entry of an `output: x12` mapping. Its input fixture is JSON; its
    /// expected fixture is the transaction set as X12 text, ST to SE, written with `*`, `:`,
    /// `^` and `~` plus a newline after each segment, control number 0001. A difference names
    /// the first segment (line) that differs.
    func x12OutputTestStatus(_ test: MappingTestCase, input: JSONValue) -> MappingTestOutcome.Status {
        let set: X12TransactionSet?
        do {
            set = try renderX12(input, controlNumber: MappingTestRunner.x12ControlNumber)
        } catch {
            return .error(error.description)
        }
        switch (test.expectation, set) {
        case (.dropped, nil): return .passed
        case (.output, nil): return .failed([.unexpectedDrop])
        case (.dropped, let set?): return .failed([.expectedDrop(got: set.loopJSON(gs08: "")) ])
        case (.output(let path), let set?):
            guard let data = FileManager.default.contents(atPath: path) else {
                return .error("expected fixture \(path): cannot read file")
            }
            let serializer = X12Serializer(delimiters: .common, lineEnding: .lf)
            var bytes: [UInt8] = []
            for segment in set.segments {
                do { try serializer.write(segment, into: &bytes) } catch { return .error("\(error)") }
            }
            let got = Self.lines(bytes)
            let expected = Self.lines([UInt8](data))
            for i in 0..<max(got.count, expected.count) {
                let e = i < expected.count ? expected[i] : nil
                let g = i < got.count ? got[i] : nil
                if e != g {
                    return .failed([.segment(line: i + 1, expected: e, got: g)])
                }
            }
            return .passed
        }
    }

    private static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
    }
}
