import Foundation

/// Checks `condition` every `interval` until it holds or `timeout` passes; returns whether it
/// held. Tests wait for real outcomes this way and then assert on them, never on elapsed time.
func pollUntil(timeout: Duration, interval: Duration = .milliseconds(250), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}

/// The events of one stream of a (possibly running) daemon's store, read with
/// `paklog events read STREAM --store PATH`: the operator's own view, as JSON objects.
func paklogEventsRead(stream: String, storePath: String) async throws -> [[String: Any]] {
    let reader = try ChildProcess(try BuiltProducts.executable("paklog"), ["events", "read", stream, "--store", storePath])
    guard await reader.wait(timeout: .seconds(30)) == 0 else {
        struct ReadFailed: Error, CustomStringConvertible { let description: String }
        throw ReadFailed(description: "paklog events read \(stream) failed:\n\(reader.standardError)")
    }
    // The pipe's handler may still be draining output right after the exit: wait until it stops growing.
    var length = -1
    for _ in 0..<40 where reader.standardOutput.utf8.count != length {
        length = reader.standardOutput.utf8.count
        try? await Task.sleep(for: .milliseconds(50))
    }
    return reader.standardOutput.split(separator: "\n").compactMap { line in
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}
