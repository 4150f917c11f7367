import JSON
import OrderedCollections

/// Where stock of one SKU is: a location and, for lot-controlled items, a lot.
public struct StockPlace: Hashable, Sendable, Comparable {
    public var location: String
    public var lot: String?
    public init(location: String, lot: String?) {
        self.location = location
        self.lot = lot
    }
    public static func < (a: StockPlace, b: StockPlace) -> Bool { (a.location, a.lot ?? "") < (b.location, b.lot ?? "") }

    var json: [String: JSONValue] {
        var o: [String: JSONValue] = ["location": .string(location)]
        if let lot { o["lot"] = .string(lot) }
        return o
    }
}

/// Stock at one place: on hand, and how much of it orders hold.
public struct StockBalance: Sendable, Equatable {
    public var onHand: Int
    public var reserved: Int
    /// Epoch milliseconds of the lot's expiry (FEFO), if the item is expiry-controlled.
    public var expiry: Int64?
    /// Epoch milliseconds of the earliest receipt still here (FIFO).
    public var receivedAt: Int64
    public var available: Int { onHand - reserved }
}

/// One order line's hold on stock at one place.
public struct Reservation: Sendable, Equatable, Hashable {
    public var orderId: String
    public var line: Int
    public var place: StockPlace
    public var quantity: Int
}

/// All stock of one SKU (`inventory-<sku>`, topic `inventory-events`): balances per place and
/// the reservations that hold them, so two orders can never reserve the same unit (both
/// allocations append to this stream with the version they read).
public struct InventoryState: AggregateState, SnapshotCapable {
    public static let category = "inventory"
    public static let received = "StockReceived"
    public static let adjusted = "StockAdjusted"
    public static let moved = "StockMoved"
    public static let reserved = "StockReserved"
    public static let released = "StockReleased"
    public static let picked = "StockPicked"
    public static let shorted = "StockShorted"
    public static let returned = "StockReturned"
    public static let replenishmentRequested = "ReplenishmentRequested"
    public static let replenishmentFinished = "ReplenishmentFinished"

    public var sku = ""
    public var balances: [StockPlace: StockBalance] = [:]
    /// Keyed by `orderId#line`.
    public var reservations: [String: [Reservation]] = [:]
    /// Open replenishment tasks by the pick face they fill (one at a time per face).
    public var replenishments: [String: String] = [:]

    public init() {}

    public var onHand: Int { balances.values.reduce(0) { $0 + $1.onHand } }
    public var reservedTotal: Int { balances.values.reduce(0) { $0 + $1.reserved } }
    public var available: Int { balances.values.reduce(0) { $0 + max(0, $1.available) } }

    static func key(_ orderId: String, _ line: Int) -> String { "\(orderId)#\(line)" }

    public func reservations(order: String, line: Int) -> [Reservation] { reservations[Self.key(order, line)] ?? [] }

    /// The places to take `quantity` from, by `rule` (FEFO skips stock expired at `now`), as far
    /// as there is available stock: the result may hold less than asked.
    public func allocation(of quantity: Int, rule: AllocationRule, nowMillis: Int64) -> [(place: StockPlace, quantity: Int)] {
        var candidates = balances.filter { $0.value.available > 0 }
        if rule == .fefo { candidates = candidates.filter { ($0.value.expiry ?? .max) > nowMillis } }
        let ordered = candidates.sorted { a, b in
            switch rule {
            case .fefo:
                let ea = a.value.expiry ?? .max, eb = b.value.expiry ?? .max
                if ea != eb { return ea < eb }
            case .fifo:
                if a.value.receivedAt != b.value.receivedAt { return a.value.receivedAt < b.value.receivedAt }
            }
            return a.key < b.key
        }
        var left = quantity
        var out: [(StockPlace, Int)] = []
        for (place, balance) in ordered where left > 0 {
            let take = min(left, balance.available)
            out.append((place, take))
            left -= take
        }
        return out
    }

    public mutating func apply(_ event: DomainEvent) throws(JSONFieldError) {
        let f = try event.fields
        func place(_ field: String = "location") throws(JSONFieldError) -> StockPlace {
            StockPlace(location: try f.string(field), lot: try f.optionalString("lot"))
        }
        switch event.type {
        case Self.received:
            sku = try f.string("sku")
            let p = try place()
            let at = Int64(try f.int("receivedAt"))
            var b = balances[p] ?? StockBalance(onHand: 0, reserved: 0, expiry: nil, receivedAt: at)
            if b.onHand == 0 { b.receivedAt = at }
            b.onHand += try f.int("quantity")
            if let e = try f.optionalInt("expiry") { b.expiry = Int64(e) }
            balances[p] = b
        case Self.adjusted:
            sku = try f.string("sku")
            let p = try place()
            var b = balances[p] ?? StockBalance(onHand: 0, reserved: 0, expiry: nil, receivedAt: 0)
            b.onHand += try f.int("delta")
            balances[p] = b
        case Self.moved:
            let from = try place("from"), to = try place("to")
            let q = try f.int("quantity")
            guard var source = balances[from] else { return }
            source.onHand -= q
            var target = balances[to] ?? StockBalance(onHand: 0, reserved: 0, expiry: source.expiry, receivedAt: source.receivedAt)
            target.onHand += q
            target.receivedAt = min(target.receivedAt, source.receivedAt)
            balances[from] = source
            balances[to] = target
        case Self.reserved:
            let p = try place(), q = try f.int("quantity")
            balances[p, default: StockBalance(onHand: 0, reserved: 0, expiry: nil, receivedAt: 0)].reserved += q
            let r = Reservation(orderId: try f.string("orderId"), line: try f.int("line"), place: p, quantity: q)
            reservations[Self.key(r.orderId, r.line), default: []].append(r)
        case Self.released, Self.picked:
            let p = try place(), q = try f.int("quantity")
            let key = Self.key(try f.string("orderId"), try f.int("line"))
            balances[p, default: StockBalance(onHand: 0, reserved: 0, expiry: nil, receivedAt: 0)].reserved -= q
            if event.type == Self.picked { balances[p]!.onHand -= q }
            var list = reservations[key] ?? []
            var left = q
            for i in list.indices where left > 0 && list[i].place == p {
                let take = min(left, list[i].quantity)
                list[i].quantity -= take
                left -= take
            }
            list.removeAll { $0.quantity == 0 }
            reservations[key] = list.isEmpty ? nil : list
        case Self.shorted:
            let p = try place()
            balances[p, default: StockBalance(onHand: 0, reserved: 0, expiry: nil, receivedAt: 0)].onHand -= try f.int("missing")
        case Self.returned:
            let p = try place()
            balances[p, default: StockBalance(onHand: 0, reserved: 0, expiry: nil, receivedAt: 0)].onHand += try f.int("quantity")
        case Self.replenishmentRequested:
            replenishments[try f.string("to")] = try f.string("taskId")
        case Self.replenishmentFinished:
            replenishments[try f.string("to")] = nil
        default:
            break
        }
    }

    public var snapshot: JSONValue? {
        let b: [JSONValue] = balances.keys.sorted().map { p in
            let v = balances[p]!
            var o = p.json
            o["onHand"] = .number(Double(v.onHand))
            o["reserved"] = .number(Double(v.reserved))
            o["receivedAt"] = .number(Double(v.receivedAt))
            if let e = v.expiry { o["expiry"] = .number(Double(e)) }
            return .object(OrderedDictionary(uniqueKeysWithValues: o.sorted { $0.key < $1.key }))
        }
        let r: [JSONValue] = reservations.keys.sorted().flatMap { k in
            reservations[k]!.map { v -> JSONValue in
                var o = v.place.json
                o["orderId"] = .string(v.orderId)
                o["line"] = .number(Double(v.line))
                o["quantity"] = .number(Double(v.quantity))
                return .object(OrderedDictionary(uniqueKeysWithValues: o.sorted { $0.key < $1.key }))
            }
        }
        let pending: [JSONValue] = replenishments.keys.sorted().map { ["to": .string($0), "taskId": .string(replenishments[$0]!)] }
        return ["sku": .string(sku), "balances": .array(b), "reservations": .array(r), "replenishments": .array(pending)]
    }

    public init(snapshot: JSONValue) throws(JSONFieldError) {
        let f = try JSONFieldReader(subject: "inventory snapshot", value: snapshot)
        sku = try f.string("sku")
        for item in f.optional("balances")?.arrayValue ?? [] {
            let b = try JSONFieldReader(subject: "inventory snapshot balance", value: item)
            let p = StockPlace(location: try b.string("location"), lot: try b.optionalString("lot"))
            balances[p] = StockBalance(onHand: try b.int("onHand"), reserved: try b.int("reserved"), expiry: try b.optionalInt("expiry").map(Int64.init),
                                       receivedAt: Int64(try b.int("receivedAt")))
        }
        for item in f.optional("reservations")?.arrayValue ?? [] {
            let r = try JSONFieldReader(subject: "inventory snapshot reservation", value: item)
            let v = Reservation(orderId: try r.string("orderId"), line: try r.int("line"),
                                place: StockPlace(location: try r.string("location"), lot: try r.optionalString("lot")), quantity: try r.int("quantity"))
            reservations[Self.key(v.orderId, v.line), default: []].append(v)
        }
        for item in f.optional("replenishments")?.arrayValue ?? [] {
            let r = try JSONFieldReader(subject: "inventory snapshot replenishment", value: item)
            replenishments[try r.string("to")] = try r.string("taskId")
        }
    }
}
