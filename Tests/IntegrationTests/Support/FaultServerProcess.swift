import Foundation
import Testing

/// `Tests/MessagingTests/Support/fault_server.py` as a child process: a carrier's label API
/// (`/label`), a receipt URL that can be switched off (`/switch`), and the rest of its paths.
struct FaultServerProcess {
    let process: ChildProcess
    let port: Int

    /// Starts it on a free port (the script prints the port first).
    static func start() async throws -> FaultServerProcess {
        let script = BuiltProducts.repositoryRoot.appendingPathComponent("Tests/MessagingTests/Support/fault_server.py").path
        let process = try ChildProcess("/usr/bin/python3", [script], environment: ["PYTHONUNBUFFERED": "1"], holdingStandardInput: true)
        _ = await pollUntil(timeout: .seconds(20), interval: .milliseconds(50)) { process.standardOutput.contains("\n") }
        guard let port = Int(process.standardOutput.prefix { $0.isNumber }) else {
            process.signal(SIGKILL)
            throw FaultServerDidNotStart(standardError: process.standardError)
        }
        return FaultServerProcess(process: process, port: port)
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    struct FaultServerDidNotStart: Error, CustomStringConvertible {
        let standardError: String
        var description: String { "fault_server.py did not start: \(standardError)" }
    }
}

/// The routes that get a packed carton its label from a carrier peer: the saga's
/// `LabelRequested` to an InOut `carrier` endpoint, its reply mapped to `RecordLabel`.
enum LabelRoutes {
    /// Writes the reply mapping into `directory` and returns the routes (YAML list items at
    /// two spaces).
    static func write(in directory: TemporaryDirectory) throws -> String {
        let mapping = try directory.write("label-reply.yaml", """
            name: label-reply
            version: 1
            input: json
            fields:
              cartonId: request.cartonId
              trackingNumber: body.trackingNumber
              labelFormat: "'PDF'"
            """)
        return """
              - name: label-requests
                from: topic:pack-events
                when: headers.eventType = 'LabelRequested'
                steps:
                  - to: [carrier]
              - name: label-replies
                from: reply:carrier
                steps:
                  - transform: \(mapping)
                  - to: [command:RecordLabel]
            """
    }
}
