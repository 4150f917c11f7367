import AdapterKit
import EventStore
import Foundation
import Logging
import Messaging
import ServiceLifecycle
import StoreTestSupport
import StrictYAML
import Synchronization
import Testing
@testable import PakLog

/// A source kind and an endpoint kind defined here, in a test target, without touching any of
/// PakLog's files: registered with `KindRegistry.adding`, read from YAML by the loader, built and
/// run by the daemon's pipeline, with a message going through both.
@Suite("Source and endpoint kinds as plug-ins", .serialized)
struct PlugInKindTests {
    /// What the throw-away kinds saw: messages the sink was handed, feed services started.
    final class Recorder: Sendable {
        let delivered = Mutex<[OutboxMessage]>([])
        let feedStarts = Mutex<[String]>([])
    }

    /// `type: test-feed`: a service that puts `count` messages with body `{"n": i, "label": …}`
    /// into the inbox when it starts, then waits to be stopped.
    struct FeedKind: SourceKind {
        let recorder: Recorder
        let type = "test-feed"
        let keys = ["count", "label"]

        func configuration(_ section: ConfigurationSection) -> (any SourceConfiguration)? {
            guard let count = section.mapping.required("count")?.int(in: 1...100) else { return nil }
            return Feed(count: count, label: section.mapping.optional("label")?.string() ?? "", recorder: recorder)
        }

        struct Feed: SourceConfiguration, Equatable {
            let count: Int
            let label: String
            let recorder: Recorder

            func makeSource(_ context: SourceContext) throws -> any Source {
                FeedSource(service: FeedService(name: context.name, count: count, label: label, inbox: context.inbox, recorder: recorder))
            }

            static func == (a: Feed, b: Feed) -> Bool { a.count == b.count && a.label == b.label }
        }

        struct FeedSource: Source {
            let service: FeedService
            var services: [any Service] { [service] }
        }

        struct FeedService: Service {
            let name: String
            let count: Int
            let label: String
            let inbox: Inbox
            let recorder: Recorder

            func run() async throws {
                recorder.feedStarts.withLock { $0.append(label) }
                for n in 0..<count {
                    let body = Array(#"{"n":\#(n),"label":"\#(label)"}"#.utf8)
                    _ = try await inbox.accept(Envelope(source: name, body: body, idempotencyKey: "\(label)-\(n)"))
                }
                // Until a graceful shutdown or a cancellation (a reload that replaces it).
                try? await gracefulShutdown()
            }
        }
    }

    /// `type: test-sink`: an endpoint that keeps what it is given.
    struct SinkKind: EndpointKind {
        let recorder: Recorder
        let type = "test-sink"
        let keys = ["failFirst"]

        func configuration(_ section: ConfigurationSection) -> (any EndpointConfiguration)? {
            Sink(recorder: recorder)
        }

        struct Sink: EndpointConfiguration, Equatable {
            let recorder: Recorder
            func makeEndpoint(_ context: EndpointContext) throws -> any Endpoint { SinkEndpoint(recorder: recorder) }
            static func == (a: Sink, b: Sink) -> Bool { true }
        }

        struct SinkEndpoint: Endpoint {
            let recorder: Recorder
            func deliver(_ message: OutboxMessage) async throws -> DeliveryOutcome {
                recorder.delivered.withLock { $0.append(message) }
                return .delivered(statusCode: nil)
            }
        }
    }

    static func yaml(label: String) -> String {
        """
        sources:
          feed:
            type: test-feed
            count: 3
            label: \(label)
        endpoints:
          sink:
            type: test-sink
            redelivery:
              maximumRedeliveries: 1
        routes:
          - name: feed-to-sink
            from: feed
            steps:
              - to: [endpoint:sink]
        """
    }

    func loader(_ recorder: Recorder) -> ConfigurationLoader {
        ConfigurationLoader(environment: [:], kinds: .builtIn.adding(sources: [FeedKind(recorder: recorder)], endpoints: [SinkKind(recorder: recorder)]))
    }

    /// Patience, not a bound: with the whole suite on two cores, tests that block the
    /// cooperative pool while they start child processes (peers, daemons) have held this one up
    /// for over 30 s.
    func eventually(_ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(120)
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    @Test("a message goes from a test source kind's service through a route to a test endpoint kind")
    func messageThroughBothKinds() async throws {
        let recorder = Recorder()
        let config = try loader(recorder).load(text: Self.yaml(label: "a"), file: "plugins.yaml", baseDirectory: "/tmp")
        #expect(config.sources.map(\.type) == ["test-feed"])
        #expect(config.endpoints.map(\.type) == ["test-sink"])
        #expect(config.endpoints.first?.redelivery.maximumRedeliveries == 1, "the dispatcher's settings are read for every kind")

        let testStore = try TestStore()
        let store = try testStore.open()
        let pipeline = try Pipeline(configuration: config, store: store, logger: Logger(label: "test.pipeline"), executor: nil)
        let group = ServiceGroup(services: [pipeline], logger: Logger(label: "test.group"))
        let running = Task { try await group.run() }

        let delivered = try await eventually { recorder.delivered.withLock { $0.count } == 3 }
        #expect(delivered)
        let bodies = recorder.delivered.withLock { $0.map(\.body) }
        #expect(Set(bodies.compactMap { $0["n"]?.intValue }) == [0, 1, 2])
        #expect(recorder.delivered.withLock { $0.allSatisfy { $0.endpoint == "sink" && $0.route == "feed-to-sink" } })
        let inbox = try await store.readStream("inbox-feed", from: 0, direction: .forward, maxCount: 10)
        #expect(inbox.count == 3, "the feed's messages are in its inbox stream")

        // A reload with a changed section replaces the source: its service is stopped and the new
        // one started, which feeds three more messages.
        let changed = try loader(recorder).load(text: Self.yaml(label: "b"), file: "plugins.yaml", baseDirectory: "/tmp")
        try await pipeline.reload(configuration: changed)
        #expect(try await eventually { recorder.delivered.withLock { $0.count } == 6 })
        #expect(recorder.feedStarts.withLock { $0 } == ["a", "b"])
        // The same section again keeps the running source: no third start.
        try await pipeline.reload(configuration: changed)
        try await Task.sleep(for: .milliseconds(200))
        #expect(recorder.feedStarts.withLock { $0 } == ["a", "b"])

        await group.triggerGracefulShutdown()
        try await running.value
        await store.close()
    }

    @Test("a kind's section is checked against its own keys, and an unknown type names the registered kinds")
    func sectionsAreCheckedByKind() {
        let recorder = Recorder()
        let yaml = """
            sources:
              feed:
                type: test-feed
                count: 3
                lable: typo
              other:
                type: carrier-pigeon
            """
        var problems: [String] = []
        do {
            _ = try loader(recorder).load(text: yaml, file: "plugins.yaml", baseDirectory: "/tmp")
        } catch {
            problems = error.diagnostics.map(\.description)
        }
        #expect(problems == [
            "plugins.yaml:5:5: sources.feed.lable: unknown key 'lable' (did you mean 'label'?); allowed here: type, count, label",
            "plugins.yaml:7:11: sources.other.type: 'carrier-pigeon' is not a source kind of this daemon (as2, http-poll, sftp, test-feed, webhook)",
        ])
    }
}
