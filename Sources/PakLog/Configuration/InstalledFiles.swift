import Foundation

/// Where an installed `paklog` finds the files shipped beside it: `<prefix>/share/paklog`, the
/// FHS place for a package's read-only data, found from the running executable
/// (`<prefix>/bin/paklog`), so that one binary works wherever it was installed (`/usr/local`,
/// `/usr`, a packager's `DESTDIR`) and from any working directory.
///
/// The shipped mappings are files there (`share/paklog/Mappings/…`), not resources inside the
/// binary: operators read them, copy them next to their configuration to change them, and run
/// their tests with `paklog mapping test`; one copy serves all of that.
public enum InstalledFiles {
    /// `<prefix>/share/paklog` of the running executable, when it exists (nil in a development
    /// build, which runs from the checkout instead).
    public static let shareDirectory: String? = {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let share = URL(fileURLWithPath: executable).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/paklog").standardizedFileURL.path
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: share, isDirectory: &isDirectory) && isDirectory.boolValue ? share : nil
    }()

    /// The folders a relative path in the configuration (a mapping file) is looked up in, in
    /// order: the configuration's own folder, then the installed share directory.
    public static func searchPath(baseDirectory: String) -> [String] {
        [baseDirectory] + (shareDirectory.map { [$0] } ?? []).filter { $0 != baseDirectory }
    }

    /// The first existing `baseDirectory/path` or `share/path`; an absolute `path` as it is.
    /// Nil when none exists.
    public static func locate(_ path: String, baseDirectory: String) -> String? {
        if path.hasPrefix("/") { return FileManager.default.fileExists(atPath: path) ? path : nil }
        return searchPath(baseDirectory: baseDirectory).map { $0 + "/" + path }.first { FileManager.default.fileExists(atPath: $0) }
    }
}
