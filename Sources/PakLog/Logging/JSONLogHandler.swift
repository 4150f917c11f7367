import AdapterKit
import Codecs
import Foundation
import JSON
import Logging

/// One JSON object per line (for journald and log shippers): time, level, label, message and
/// metadata. Secrets never reach here: configuration values are `Secret`s that print redacted.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: @Sendable ([UInt8]) -> Void

    public init(label: String, output: @escaping @Sendable ([UInt8]) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes each line with write(2) on fd 2: one system call per line, so lines from
    /// different threads do not interleave.
    public static let standardError: @Sendable ([UInt8]) -> Void = { bytes in
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(STDERR_FILENO, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var line = JSONTextWriter(capacity: 256)
        line.raw("{\"time\":")
        line.string(Self.timestamp())
        line.raw(",\"level\":")
        line.string(event.level.rawValue)
        line.raw(",\"label\":")
        line.string(label)
        line.raw(",\"message\":")
        line.string(event.message.description)
        for key in merged.keys.sorted() {
            line.raw(",")
            line.string(key)
            line.raw(":")
            Self.append(merged[key]!, to: &line)
        }
        line.raw(",\"at\":")
        line.string("\(event.file.split(separator: "/").last ?? ""):\(event.line)")
        line.raw("}\n")
        output(line.bytes)
    }

    private static func append(_ value: Logger.MetadataValue, to line: inout JSONTextWriter) {
        switch value {
        case .string(let s): line.string(s)
        case .stringConvertible(let c): line.string(c.description)
        case .array(let items):
            line.raw("[")
            for (i, item) in items.enumerated() {
                if i > 0 { line.raw(",") }
                append(item, to: &line)
            }
            line.raw("]")
        case .dictionary(let dict):
            line.raw("{")
            for (i, key) in dict.keys.sorted().enumerated() {
                if i > 0 { line.raw(",") }
                line.string(key)
                line.raw(":")
                append(dict[key]!, to: &line)
            }
            line.raw("}")
        }
    }

    /// Now, RFC 3339 with milliseconds, UTC.
    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UTCTimestamp(millisecondsSince1970: Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec / 1_000_000)).rfc3339
    }
}

/// Chooses the log output: human lines on a terminal, JSON lines otherwise.
public enum LoggingBootstrap {
    public static func factory(format: LoggingSettings.Format, level: Logger.Level) -> @Sendable (String) -> any LogHandler {
        let json: Bool
        switch format {
        case .json: json = true
        case .text: json = false
        case .auto: json = isatty(STDERR_FILENO) == 0
        }
        return { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
