import Foundation
import Testing
@testable import EventStore

@Suite("Expected versions")
struct ExpectedVersionTests {
    @Test("noStream succeeds on a new stream and fails once it exists, naming stream and versions")
    func noStream() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let first = try await store.append(to: "order-1", [event()], expectedVersion: .noStream)
            #expect(first.streamVersions["order-1"] == 0)
            await #expect(throws: EventStoreError.wrongExpectedVersion(stream: "order-1", expected: .noStream, actual: 0)) {
                try await store.append(to: "order-1", [event()], expectedVersion: .noStream)
            }
            let error = EventStoreError.wrongExpectedVersion(stream: "order-1", expected: .noStream, actual: 0)
            #expect(error.description == "wrong expected version for stream 'order-1': expected no stream, actual 0")
        }
    }

    @Test("streamExists fails on a missing stream with actual 'no stream'")
    func streamExists() async throws {
        try await withTemporaryStore { (store, _) async throws in
            do {
                try await store.append(to: "order-2", [event()], expectedVersion: .streamExists)
                Issue.record("append to a missing stream with .streamExists succeeded")
            } catch let error as EventStoreError {
                #expect(error == .wrongExpectedVersion(stream: "order-2", expected: .streamExists, actual: -1))
                #expect(error.description == "wrong expected version for stream 'order-2': expected stream exists, actual no stream")
            }
            try await store.append(to: "order-2", [event()])
            let result = try await store.append(to: "order-2", [event()], expectedVersion: .streamExists)
            #expect(result.streamVersions["order-2"] == 1)
        }
    }

    @Test("exact succeeds only at the stream's current version")
    func exact() async throws {
        try await withTemporaryStore { (store, _) async throws in
            try await store.append(to: "order-3", [event(), event()], expectedVersion: .noStream)
            await #expect(throws: EventStoreError.wrongExpectedVersion(stream: "order-3", expected: .exact(0), actual: 1)) {
                try await store.append(to: "order-3", [event()], expectedVersion: .exact(0))
            }
            let result = try await store.append(to: "order-3", [event()], expectedVersion: .exact(1))
            #expect(result.streamVersions["order-3"] == 2)
            #expect(try await store.streamVersion("order-3") == 2)
            #expect(EventStoreError.wrongExpectedVersion(stream: "order-3", expected: .exact(0), actual: 1).description
                == "wrong expected version for stream 'order-3': expected 0, actual 1")
        }
    }

    @Test("any appends whatever the stream holds")
    func any() async throws {
        try await withTemporaryStore { (store, _) async throws in
            #expect(try await store.append(to: "order-4", [event()], expectedVersion: .any).streamVersions["order-4"] == 0)
            #expect(try await store.append(to: "order-4", [event()], expectedVersion: .any).streamVersions["order-4"] == 1)
            #expect(try await store.streamVersion("order-5") == -1)
        }
    }

    @Test("a failed expectation on one stream writes nothing of a multi-stream transaction")
    func multiStreamAtomicity() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let transaction = AppendTransaction(appends: [
                StreamAppend(stream: "order-6", events: [event()], expectedVersion: .noStream),
                StreamAppend(stream: "wave-6", events: [event()], expectedVersion: .streamExists),
            ])
            await #expect(throws: EventStoreError.wrongExpectedVersion(stream: "wave-6", expected: .streamExists, actual: -1)) {
                try await store.append(transaction)
            }
            #expect(try await store.headPosition() == 0)
            #expect(try await store.streamVersion("order-6") == -1)
        }
    }

    @Test("8 concurrent writers racing with .exact: one winner per version, no gaps, no duplicates")
    func concurrentExactWriters() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let versions: Int64 = 40
            let wins = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        var won: [Int64] = []
                        var expected: Int64 = -1
                        while expected < versions - 1 {
                            do {
                                let e = event(json: #"{"writer":\#(writer),"version":\#(expected + 1)}"#)
                                let expectation: ExpectedVersion = expected == -1 ? .noStream : .exact(expected)
                                try await store.append(to: "race-1", [e], expectedVersion: expectation)
                                expected += 1
                                won.append(expected)
                            } catch let EventStoreError.wrongExpectedVersion(stream, _, actual) {
                                #expect(stream == "race-1")
                                #expect(actual > expected)
                                expected = actual
                            }
                        }
                        return won
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0 += $1 }
            }
            #expect(wins.sorted() == Array(0..<versions))
            let stored = try await store.readStream("race-1", from: 0, direction: .forward, maxCount: 1000)
            #expect(stored.map(\.streamVersion) == Array(0..<versions))
            #expect(Set(stored.map(\.id)).count == Int(versions))
        }
    }
}
