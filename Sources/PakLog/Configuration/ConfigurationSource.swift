import AdapterKit
import Foundation
import StrictYAML

/// Where the daemon's configuration comes from: a file given with `--config`, or the embedded
/// default. Reload reads the same source again. The embedded default's relative paths (its
/// mapping) are taken from `$PAKLOG_HOME`, else the working directory, then the installed share
/// directory (`InstalledFiles`), so it runs from a checkout and, installed, from any folder.
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
                baseDirectory: environment["PAKLOG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.currentDirectoryPath)
        }
    }
}
