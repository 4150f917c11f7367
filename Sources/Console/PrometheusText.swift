import Foundation

/// The samples of a Prometheus text exposition (the daemon's own `/metrics`), read back for the
/// overview: `name{label="value",…} 12`. Comments and malformed lines are skipped.
struct PrometheusText {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    let samples: [Sample]

    init(_ text: String) {
        var samples: [Sample] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let head = line[..<space]
            var name = String(head), labels: [String: String] = [:]
            if let brace = head.firstIndex(of: "{"), head.hasSuffix("}") {
                name = String(head[..<brace])
                labels = Self.labels(head[head.index(after: brace)..<head.index(before: head.endIndex)])
            }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        self.samples = samples
    }

    /// `name`'s value for each value of `label`, summed over the other labels.
    func values(_ name: String, by label: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for s in samples where s.name == name { if let key = s.labels[label] { out[key, default: 0] += s.value } }
        return out
    }

    /// `a="1",b="x\"y"` → [a: 1, b: x"y] (the exposition format's escapes: \\, \", \n).
    private static func labels(_ text: Substring) -> [String: String] {
        var out: [String: String] = [:]
        var i = text.startIndex
        while i < text.endIndex {
            guard let eq = text[i...].firstIndex(of: "="), text.index(after: eq) < text.endIndex, text[text.index(after: eq)] == "\"" else { break }
            let key = text[i..<eq].trimmingCharacters(in: [" ", ","])
            var j = text.index(eq, offsetBy: 2)
            var value = ""
            while j < text.endIndex, text[j] != "\"" {
                if text[j] == "\\", text.index(after: j) < text.endIndex {
                    j = text.index(after: j)
                    value.append(text[j] == "n" ? "\n" : text[j])
                } else {
                    value.append(text[j])
                }
                j = text.index(after: j)
            }
            out[key] = value
            i = j < text.endIndex ? text.index(after: j) : j
        }
        return out
    }
}
