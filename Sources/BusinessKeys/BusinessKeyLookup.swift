import EventStore
import Foundation
import GRDB

extension BusinessKeyIndex {
    /// At most this many events in one answer (the first ones by position).
    public static let entryLimit = 500
    /// At most this many flows joined to one answer.
    static let flowLimit = 100

    /// The timeline of `value`: the events that carry it as a key (of `kind`, or of any kind),
    /// every event of their flows, and the flows joined to those by an order id, an AS2
    /// Message-ID, a message id or an acknowledgment key they carry, ordered by position.
    public func lookup(_ value: String, kind: BusinessKeyKind? = nil) async throws -> BusinessKeyTimeline {
        let query = value.trimmingSpaces
        let through = position
        guard !query.isEmpty else { return BusinessKeyTimeline(matches: [], entries: [], truncated: false, indexedThrough: through) }
        let found = try await database.read { db in try Self.positions(of: query, kind: kind, db) }
        let selected = found.positions.sorted().prefix(Self.entryLimit)
        var entries: [BusinessKeyTimelineEntry] = []
        for run in Self.runs(of: Array(selected)) {
            let page = try await store.readAll(after: run.lowerBound - 1, filter: .all, maxCount: run.count)
            for event in page.events where run.contains(event.position) {
                entries.append(TimelineStepDescription.describe(event, keys: extractor.keys(of: event)))
            }
        }
        return BusinessKeyTimeline(matches: found.matches, entries: entries, truncated: found.positions.count > Self.entryLimit, indexedThrough: through)
    }

    /// The matched keys and the positions of their flows.
    static func positions(of value: String, kind: BusinessKeyKind?, _ db: Database) throws -> (matches: [BusinessKey], positions: Set<Int64>) {
        var values = [value]
        if value.allSatisfy(\.isASCIIDigit) { values.append(BusinessKey.numeric(value)) }
        if value.hasPrefix("<"), value.hasSuffix(">") { values.append(String(value.dropFirst().dropLast())) }
        var sql = "SELECT DISTINCT value, kind, position FROM business_keys WHERE value IN (\(placeholders(values.count)))"
        var arguments = StatementArguments(values)
        if let kind {
            sql += " AND kind = ?"
            arguments += [kind.rawValue]
        }
        sql += " LIMIT \(entryLimit * 4)"
        var matches: [BusinessKey] = [], seen: Set<BusinessKey> = []
        var seeds: Set<Int64> = []
        for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
            guard let kind = BusinessKeyKind(rawValue: row["kind"]) else { continue }
            let key = BusinessKey(kind: kind, value: row["value"])
            if seen.insert(key).inserted { matches.append(key) }
            seeds.insert(row["position"])
        }
        guard !seeds.isEmpty else { return ([], []) }
        var flows = try flows(of: seeds, db)
        var positions = seeds.union(try positions(inFlows: flows, db))
        // One hop further: keys that tie other flows to these (an order's later commands, an MDN
        // or a 997 that came back as a message of its own).
        let joining = BusinessKeyKind.allCases.filter(\.joinsFlows).map(\.rawValue)
        let joinKeys = try Row.fetchAll(db, sql: """
            SELECT DISTINCT value, kind FROM business_keys
            WHERE position IN (\(list(positions.prefix(entryLimit * 4)))) AND kind IN (\(placeholders(joining.count))) LIMIT 50
            """, arguments: StatementArguments(joining))
        var joined: Set<Int64> = []
        for row in joinKeys {
            let (v, k): (String, String) = (row["value"], row["kind"])
            joined.formUnion(try Int64.fetchAll(db, sql: "SELECT position FROM business_keys WHERE value = ? AND kind = ? LIMIT \(entryLimit)", arguments: [v, k]))
        }
        joined.subtract(positions)
        if !joined.isEmpty {
            let more = try Self.flows(of: joined, db).subtracting(flows)
            flows.formUnion(more)
            positions.formUnion(joined)
            positions.formUnion(try Self.positions(inFlows: more, db))
        }
        return (matches, try sameOrders(positions, seeds: seeds, db))
    }

    /// One file can carry several orders (a 940 with two transaction sets): they share the
    /// file's flow, but a search that found one order shows that order's events only. The orders
    /// of the events the key was found in, grown by every event of the flows that names one of
    /// them beside others (a webhook's order number, the canonical order id its mapping made),
    /// are the search's orders; an event naming only other orders is left out. Events that name
    /// no order (the received file, its MDN, a delivery attempt) stay.
    private static func sameOrders(_ positions: Set<Int64>, seeds: Set<Int64>, _ db: Database) throws -> Set<Int64> {
        var orders: [Int64: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT position, value FROM business_keys WHERE position IN (\(list(positions.prefix(entryLimit * 4)))) AND kind = ?
            """, arguments: [BusinessKeyKind.order.rawValue]) {
            orders[row["position"], default: []].insert(row["value"])
        }
        var family = seeds.reduce(into: Set<String>()) { $0.formUnion(orders[$1] ?? []) }
        guard !family.isEmpty else { return positions }
        var grew = true
        while grew {
            grew = false
            for keys in orders.values where !keys.isDisjoint(with: family) && !keys.isSubset(of: family) {
                family.formUnion(keys)
                grew = true
            }
        }
        return positions.filter { orders[$0].map { !$0.isDisjoint(with: family) } ?? true }
    }

    private static func flows(of positions: Set<Int64>, _ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT DISTINCT flow FROM business_key_positions WHERE position IN (\(list(positions.prefix(entryLimit * 4)))) LIMIT \(flowLimit)"))
    }

    private static func positions(inFlows flows: Set<String>, _ db: Database) throws -> [Int64] {
        guard !flows.isEmpty else { return [] }
        return try Int64.fetchAll(db, sql: "SELECT position FROM business_key_positions WHERE flow IN (\(placeholders(flows.count))) LIMIT \(entryLimit * 4)",
                                  arguments: StatementArguments(Array(flows)))
    }

    private static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ",") }
    /// Integers only (positions): safe to write into the statement.
    private static func list<S: Sequence<Int64>>(_ values: S) -> String { values.map(String.init).joined(separator: ",") }

    /// Sorted positions as runs of consecutive ones, each read with one page.
    static func runs(of sorted: [Int64]) -> [ClosedRange<Int64>] {
        var runs: [ClosedRange<Int64>] = []
        for p in sorted {
            if let last = runs.last, last.upperBound + 1 == p { runs[runs.count - 1] = last.lowerBound...p } else { runs.append(p...p) }
        }
        return runs
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
