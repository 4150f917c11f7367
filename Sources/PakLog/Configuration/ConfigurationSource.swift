import AdapterKit
import Foundation
import StrictYAML

/// Where the daemon's configuration comes from: a file given with `--config`, or the embedded
/// default. Reload reads the same source again.
public enum ConfigurationSource: Sendable, Equatable {
    case file(String)
    case embeddedDefault

    /// Loads and validates; throws every problem found.
    public func load(environment: [String: String] = ProcessInfo.processInfo.environment, kinds: KindRegistry = .builtIn) throws(YAMLDiagnostics) -> PakLogConfiguration {
        let loader = ConfigurationLoader(environment: environment, kinds: kinds)
        switch self {
        case .file(let path):
            return try loader.load(path: path)
        case .embeddedDefault:
            return try loader.load(
                text: DefaultConfiguration.yaml, file: "<embedded default>",
                baseDirectory: environment["PAKLOG_HOME"] ?? FileManager.default.currentDirectoryPath)
        }
    }
}
