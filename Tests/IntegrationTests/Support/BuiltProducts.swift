import Foundation

/// Finds executables built with the test bundle (`paklog`, `StoreCrashChild` …): they sit next to
/// the test runner in SwiftPM's build folder. `PAKLOG_BUILD_DIR` overrides the folder.
enum BuiltProducts {
    static var directory: URL {
        if let dir = ProcessInfo.processInfo.environment["PAKLOG_BUILD_DIR"] { return URL(fileURLWithPath: dir) }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // …/debug/paklogPackageTests.xctest (a file on Linux) → …/debug
        while url.pathComponents.count > 1, url.pathExtension != "xctest" { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent()
    }

    /// The path of a built executable; fails the calling test with a clear message if missing.
    static func executable(_ name: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MissingProduct(name: name, directory: directory.path)
        }
        return path
    }

    struct MissingProduct: Error, CustomStringConvertible {
        let name: String
        let directory: String
        var description: String { "\(name) was not built in \(directory); run `swift build --build-tests` first" }
    }

    /// The repository root (for shipped files such as Mappings/ and README.md).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
