import EventStore
import JSON

/// Replenishment: when a pick face has nothing free left of a SKU (after a short there, or a
/// pick that took its last free unit) and a reserve location holds free stock of it, a task to
/// bring that stock down to the face. One open replenishment per face and SKU at a time (the
/// inventory stream records it, so a second short does not ask twice).
///
/// The drop is what the chosen reserve place holds free (a full pallet or case layer, as a
/// reach-truck driver moves it), from the place the item's rule would pick first: the earliest
/// expiry for FEFO items, else the oldest receipt.
enum Replenishment {
    /// The priority of replenishment tasks: above any order's, since picks wait for them.
    static let priority = 1_000

    /// Creates a replenishment task for `sku` at `face` if it is a pick face with nothing free
    /// and reserve stock exists. `cutoff` is that of the work waiting for it.
    static func requestIfNeeded(_ d: Decision, sku: String, face: String, cutoff: Int64?) async throws {
        let faceLocation = try await d.load(LocationState.self, WarehouseStreams.location(face))
        guard faceLocation.exists, faceLocation.kind == .pickFace else { return }
        let stream = WarehouseStreams.inventory(sku)
        let stock = try await d.load(InventoryState.self, stream)
        guard stock.replenishments[face] == nil else { return }
        let freeAtFace = stock.balances.filter { $0.key.location == face }.values.reduce(0) { $0 + $1.available }
        guard freeAtFace <= 0 else { return }
        let item = try await d.load(ItemState.self, WarehouseStreams.item(sku))
        var best: (place: StockPlace, balance: StockBalance)?
        for (place, balance) in stock.balances where balance.available > 0 && place.location != face {
            guard (try await d.load(LocationState.self, WarehouseStreams.location(place.location))).kind == .reserve else { continue }
            if let b = best, !isBefore((place, balance), b, fefo: item.allocation == .fefo) { continue }
            best = (place, balance)
        }
        guard let best else { return }
        let version = d.loadedVersion(stream) ?? -1
        let taskId = "R.\(sku).\(face).\(version + 1)"
        let line = TaskLine(index: 0, orderId: "", line: 0, sku: sku, place: best.place, quantity: best.balance.available)
        try await d.emit(DomainEvent(TaskState.created, .event([
            "taskId": .string(taskId), "kind": .string(TaskState.Kind.replenishment.rawValue), "waveId": .string(""), "zone": .string(faceLocation.zone),
            "to": .string(face), "cutoff": cutoff.map { .int64($0) }, "priority": .int(priority), "createdAt": EventTime.encode(d.now), "lines": .array([line.json]),
        ])), to: WarehouseStreams.task(taskId), as: TaskState.self)
        try await d.emit(DomainEvent(InventoryState.replenishmentRequested, best.place.merged(into: [
            "sku": .string(sku), "to": .string(face), "quantity": .int(best.balance.available), "taskId": .string(taskId),
        ])), to: stream, as: InventoryState.self)
    }

    private static func isBefore(_ a: (place: StockPlace, balance: StockBalance), _ b: (place: StockPlace, balance: StockBalance), fefo: Bool) -> Bool {
        if fefo, a.balance.expiry != b.balance.expiry { return (a.balance.expiry ?? .max) < (b.balance.expiry ?? .max) }
        if a.balance.receivedAt != b.balance.receivedAt { return a.balance.receivedAt < b.balance.receivedAt }
        return a.place < b.place
    }

    /// `CompleteTask` of a replenishment: what is still free at the reserve place, up to the
    /// planned quantity (or the operator's `quantity`), moves to the face. Nothing free left
    /// there (it was allocated meanwhile) cancels the task.
    static func complete(_ d: Decision, _ stream: StreamName, _ task: TaskState) async throws {
        guard let line = task.lines.first, let face = task.replenishTo else { return }
        let moved = d.fields.optionalQuantity("quantity")
        if let moved, moved > line.quantity { d.reject("invalid", "quantity", "is more than the planned \(line.quantity)") }
        guard !d.isRefused else { return }
        let inventory = WarehouseStreams.inventory(line.sku)
        let stock = try await d.load(InventoryState.self, inventory)
        let quantity = min(moved ?? line.quantity, max(0, stock.balances[line.place]?.available ?? 0))
        if quantity > 0 {
            var data: [(String, JSONValue)] = [("sku", .string(line.sku)), ("from", .string(line.place.location)), ("to", .string(face)),
                                               ("quantity", .int(quantity)), ("taskId", .string(task.taskId))]
            if let lot = line.place.lot { data.append(("lot", .string(lot))) }
            try await d.emit(DomainEvent(InventoryState.moved, .object(.init(uniqueKeysWithValues: data))), to: inventory, as: InventoryState.self)
            try await d.emit(DomainEvent(TaskState.linePicked, .event(["taskId": .string(task.taskId), "index": .int(0), "quantity": .int(quantity), "found": .int(quantity)])),
                             to: stream, as: TaskState.self)
        }
        try await d.emit(DomainEvent(InventoryState.replenishmentFinished, .event(["sku": .string(line.sku), "to": .string(face), "taskId": .string(task.taskId),
                                                                                   "quantity": .int(quantity)])),
                         to: inventory, as: InventoryState.self)
        try await d.emit(DomainEvent(quantity > 0 ? TaskState.completed : TaskState.cancelled,
                                     .event(["taskId": .string(task.taskId), "waveId": .string(""), "at": EventTime.encode(d.now)])),
                         to: stream, as: TaskState.self)
    }
}
