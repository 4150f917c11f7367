import EventStore
import JSON

/// The control numbers of one outbound interchange: ISA13 and the GS06 of each of its groups.
public struct X12OutboundNumbers: Sendable, Hashable {
    public var interchange: Int
    /// GS06 of the first group; group k (0-based) takes `firstGroup + k`, wrapping like ISA13.
    public var firstGroup: Int
    public var groupCount: Int

    public func group(_ k: Int) -> Int { X12ControlNumberLedger.wrapped(firstGroup + k) }
}

/// Per-partner control numbers, kept in the event store.
///
/// **Outbound:** a counter per partner (the cursor `x12-outbound-<partner>`) that a reservation
/// advances *in the transaction that stores the outbound message*: the numbers count as used
/// exactly when the message that carries them is committed, so a crash before the commit
/// leaves nothing that could have left, and a crash after it can never hand the same numbers
/// out again. Two writers that reserve at once cannot both commit: the second gets
/// `EventStoreError.cursorConflict` and `commit` tries again with fresh numbers.
///
/// **Inbound:** per partner, the last interchange control number and a window of the most
/// recent ISA13s and GS06s received (the cursor `x12-inbound-<partner>`), updated in the
/// transaction that stores a received interchange. A repeated ISA13 is a duplicate (TA1 note
/// 025), a repeated GS06 a duplicate group (AK9 code 19); an ISA13 other than the last + 1 is
/// reported as out of sequence (no TA1 code exists for it: it is worth an operator's look,
/// not a rejection, because partners renumber after their own restores).
public struct X12ControlNumberLedger: Sendable {
    /// ISA13 and GS06 are at most nine digits; after 999,999,999 the counter wraps to 1.
    public static let maximum = 999_999_999
    /// How many recent ISA13s and GS06s per partner the duplicate check remembers.
    public static let window = 1_000

    let store: any EventStore

    public init(store: any EventStore) { self.store = store }

    public static func outboundCursor(_ partner: String) -> String { "x12-outbound-\(partner)" }
    public static func inboundCursor(_ partner: String) -> String { "x12-inbound-\(partner)" }

    static func wrapped(_ n: Int) -> Int { (n - 1) % maximum + 1 }

    /// The next numbers for one interchange of `groups` groups to `partner`, and the cursor
    /// update that must be committed with the message that carries them (see `commit`).
    public func reserve(partner: String, groups: Int) async throws -> (numbers: X12OutboundNumbers, update: CursorUpdate) {
        let (numbers, update) = try await reserve(partner: partner, interchanges: [groups])
        return (numbers[0], update)
    }

    /// The next numbers for several interchanges to `partner` (one entry per interchange: its
    /// group count), in order, and the one cursor update that must commit with all of them.
    public func reserve(partner: String, interchanges: [Int]) async throws -> (numbers: [X12OutboundNumbers], update: CursorUpdate) {
        let stored = try await store.loadCursor(Self.outboundCursor(partner))
        var interchange = 0, group = 0
        if let stored, let value = try? JSONValue(parsing: stored.value) {
            interchange = value["interchange"]?.intValue ?? 0
            group = value["group"]?.intValue ?? 0
        }
        var numbers: [X12OutboundNumbers] = []
        for groups in interchanges {
            let next = X12OutboundNumbers(interchange: Self.wrapped(interchange + 1), firstGroup: Self.wrapped(group + 1), groupCount: groups)
            numbers.append(next)
            interchange = next.interchange
            group = Self.wrapped(group + max(groups, 0))
        }
        let next: JSONValue = ["interchange": .number(Double(interchange)), "group": .number(Double(group))]
        return (numbers, CursorUpdate(name: Self.outboundCursor(partner), value: next.serialized(),
                                      expected: stored.map { .value($0.value) } ?? .absent))
    }

    /// Reserves numbers, lets `build` make the transaction that stores the outbound message
    /// with them, and commits both together; on a concurrent reservation, starts over with new
    /// numbers (at most `attempts` times).
    public func commit(
        partner: String, groups: Int, attempts: Int = 8,
        _ build: (X12OutboundNumbers) throws -> AppendTransaction
    ) async throws -> (numbers: X12OutboundNumbers, result: AppendResult) {
        var attempt = 0
        while true {
            attempt += 1
            let (numbers, update) = try await reserve(partner: partner, groups: groups)
            var transaction = try build(numbers)
            transaction.cursors.append(update)
            do {
                return (numbers, try await store.append(transaction))
            } catch EventStoreError.cursorConflict(let name) where name == update.name && attempt < attempts {
                continue
            }
        }
    }
}
