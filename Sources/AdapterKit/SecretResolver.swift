import Foundation
import StrictYAML

/// Resolves the configuration's secret references: `${env:NAME}`, `${env:NAME?}` (optional: unset
/// means absent), `file:PATH` (the file's contents, trailing newline removed), or a literal, in
/// which `${env:NAME}` references are replaced by their values (`Bearer ${env:ERP_TOKEN}`).
public struct SecretResolver: Sendable {
    public var environment: [String: String]
    /// Relative `file:` paths are taken from here (the configuration file's folder).
    public var baseDirectory: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, baseDirectory: String) {
        self.environment = environment
        self.baseDirectory = baseDirectory
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unsetVariable(String)
        case unreadableFile(String)
        case malformed(String)

        public var description: String {
            switch self {
            case .unsetVariable(let name): "environment variable \(name) is not set"
            case .unreadableFile(let path): "cannot read secret file \(path)"
            case .malformed(let text): "malformed reference '\(text)' (use ${env:NAME}, ${env:NAME?} or file:PATH)"
            }
        }
    }

    /// The value of `text`, or nil when it is an optional reference whose variable is unset.
    public func resolve(_ text: String) throws(Failure) -> Secret? {
        if text.hasPrefix("${"), text.hasSuffix("}"), text.firstRange(of: "}")?.upperBound == text.endIndex {
            return try variable(String(text.dropFirst(2).dropLast()), in: text)
        }
        if text.contains("${") {
            // References inside a literal: each is replaced; an unset optional one makes the whole
            // value absent, as it would alone.
            var out = ""
            var origins: [String] = []
            var rest = Substring(text)
            while let start = rest.range(of: "${") {
                out += rest[..<start.lowerBound]
                guard let end = rest[start.upperBound...].firstIndex(of: "}") else { throw .malformed(text) }
                guard let secret = try variable(String(rest[start.upperBound..<end]), in: text) else { return nil }
                out += secret.reveal()
                origins.append(secret.origin)
                rest = rest[rest.index(after: end)...]
            }
            out += rest
            return Secret(out, origin: "inline with " + origins.joined(separator: ", "))
        }
        if text.hasPrefix("file:") {
            let path = String(text.dropFirst(5))
            let full = path.hasPrefix("/") ? path : baseDirectory + "/" + path
            guard let data = FileManager.default.contents(atPath: full), var value = String(data: data, encoding: .utf8) else {
                throw .unreadableFile(full)
            }
            while value.hasSuffix("\n") || value.hasSuffix("\r") { value.removeLast() }
            return Secret(value, origin: "file:\(path)")
        }
        return Secret(text, origin: "inline")
    }

    /// `env:NAME` or `env:NAME?` (the part between `${` and `}`).
    private func variable(_ reference: String, in text: String) throws(Failure) -> Secret? {
        guard reference.hasPrefix("env:") else { throw .malformed(text) }
        var name = String(reference.dropFirst(4))
        let optional = name.hasSuffix("?")
        if optional { name.removeLast() }
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw .malformed(text)
        }
        guard let value = environment[name], !value.isEmpty else {
            if optional { return nil }
            throw .unsetVariable(name)
        }
        return Secret(value, origin: "env:\(name)")
    }

    /// The secret a configuration node refers to; nil when it is an optional reference whose
    /// variable is unset, or when it is wrong (reported on the node, without its value).
    public func resolve(_ node: YAMLNode) -> Secret? {
        guard let text = node.string() else { return nil }
        do {
            return try resolve(text)
        } catch {
            node.report(error.description)
            return nil
        }
    }
}
