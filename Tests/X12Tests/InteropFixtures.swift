import Foundation

/// The public X12 files beside the repository (`<repo>/../shared/interop/x12/`), read in place.
enum InteropFixtures {
    /// `#filePath` may name this file through a symlink, so symlinks are resolved before walking
    /// up to the directory holding `Package.swift` and `Sources`.
    static let directory: URL = {
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path),
               FileManager.default.fileExists(atPath: directory.appendingPathComponent("Sources").path)
            {
                break
            }
            directory.deleteLastPathComponent()
        }
        return directory.deletingLastPathComponent().appendingPathComponent("shared/interop/x12")
    }()

    /// The fixture files (everything but README.md and SHA256SUMS), sorted.
    static func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0 != "README.md" && $0 != "SHA256SUMS" }
            .sorted()
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}
