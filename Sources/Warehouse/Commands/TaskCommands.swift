import EventStore
import JSON

/// Operators' work: claiming tasks, confirming picks, shorts.
enum TaskCommands {
    private static func task(_ d: Decision, mustBeActive: Bool = true) async throws -> (StreamName, TaskState)? {
        guard let taskId = d.fields.string("taskId") else { return nil }
        let stream = WarehouseStreams.task(taskId)
        let task = try await d.load(TaskState.self, stream)
        if task.status == .none { d.reject("unknown-task", "taskId", "task '\(taskId)' does not exist"); return nil }
        if mustBeActive && !task.isActive { d.reject("invalid-state", "taskId", "task '\(taskId)' is \(task.status.rawValue)"); return nil }
        return (stream, task)
    }

    /// The operator named by the command must hold the task (a claim by someone else is a conflict).
    private static func checkHolder(_ d: Decision, _ task: TaskState) -> String? {
        let op = d.fields.optionalString("operator")
        if let holder = task.claimedBy, let op, holder != op {
            d.reject("conflict", "operator", "task '\(task.taskId)' is claimed by '\(holder)'")
        }
        return op ?? task.claimedBy
    }

    /// `ClaimTask {taskId, operator}`: of two operators claiming at once, one wins; the other is
    /// refused with a conflict naming the holder.
    static func claim(_ d: Decision) async throws {
        let op = d.fields.string("operator")
        guard let (stream, task) = try await task(d), let op else { return }
        if let holder = task.claimedBy {
            if holder != op { d.reject("conflict", "taskId", "task '\(task.taskId)' is claimed by '\(holder)'") }
            return
        }
        try await d.emit(DomainEvent(TaskState.claimed, .event(["taskId": .string(task.taskId), "operator": .string(op), "at": EventTime.encode(d.now)])), to: stream, as: TaskState.self)
    }

    /// `UnclaimTask {taskId, operator}`: gives a task back to the queue.
    static func unclaim(_ d: Decision) async throws {
        guard let (stream, task) = try await task(d) else { return }
        let op = checkHolder(d, task)
        guard !d.isRefused, task.claimedBy != nil else { return }
        try await d.emit(DomainEvent(TaskState.unclaimed, .event(["taskId": .string(task.taskId), "operator": .optional(op)])), to: stream, as: TaskState.self)
    }

    private static func line(_ d: Decision, _ task: TaskState) -> TaskLine? {
        guard let index = d.fields.int("index") else { return nil }
        if task.kind == .replenishment {
            d.reject("invalid-state", "taskId", "task '\(task.taskId)' is a replenishment: it is done with CompleteTask")
            return nil
        }
        guard task.lines.indices.contains(index) else { d.reject("invalid", "index", "task '\(task.taskId)' has lines 0 to \(task.lines.count - 1)"); return nil }
        let l = task.lines[index]
        if l.status != .open { d.reject("invalid-state", "index", "line \(index) of task '\(task.taskId)' is \(l.status.rawValue)") }
        if let scanned = d.fields.optionalString("location"), scanned != l.place.location {
            d.reject("wrong-location", "location", "line \(index) is picked at \(l.place.location), not \(scanned)")
        }
        return l
    }

    /// `ConfirmPick {taskId, index, quantity, tote?, location?, operator?}`: the whole planned
    /// quantity taken (less is a `ShortTask`). The last open line completes the task.
    static func confirmPick(_ d: Decision) async throws {
        let quantity = d.fields.quantity("quantity")
        guard let (stream, task) = try await task(d), let l = line(d, task) else { return }
        let op = checkHolder(d, task)
        if let quantity, quantity != l.quantity {
            d.reject("invalid", "quantity", quantity < l.quantity ? "is less than the planned \(l.quantity): report it with ShortTask" : "is more than the planned \(l.quantity)")
        }
        guard !d.isRefused else { return }
        try await pick(d, stream, task, l, found: l.quantity, operator: op)
        try await finishIfDone(d, stream)
    }

    /// `CompleteTask {taskId, tote?, operator?, quantity?}`: every open line picked as planned (a
    /// scanner's "tour done"); for a replenishment, the stock moved to the pick face (see
    /// `Replenishment.complete`).
    static func complete(_ d: Decision) async throws {
        guard let (stream, task) = try await task(d) else { return }
        let op = checkHolder(d, task)
        guard !d.isRefused else { return }
        if task.kind == .replenishment { return try await Replenishment.complete(d, stream, task) }
        for l in task.openLines { try await pick(d, stream, task, l, found: l.quantity, operator: op) }
        try await finishIfDone(d, stream)
    }

    /// `ShortTask {taskId, index, found, operator?}`: the location held less than planned. What
    /// was found is picked; the rest is released and written off the location, and the order
    /// line is allocated again elsewhere (a new task) or back-ordered.
    static func short(_ d: Decision) async throws {
        let found = d.fields.quantity("found", allowZero: true)
        guard let (stream, task) = try await task(d), let l = line(d, task) else { return }
        let op = checkHolder(d, task)
        if let found, found >= l.quantity { d.reject("invalid", "found", "is not less than the planned \(l.quantity): confirm the pick instead") }
        guard let found, !d.isRefused else { return }
        try await pick(d, stream, task, l, found: found, operator: op)
        let missing = l.quantity - found
        let inventory = WarehouseStreams.inventory(l.sku)
        let order = WarehouseStreams.order(l.orderId)
        try await d.emit(DomainEvent(InventoryState.released, l.place.merged(into: ["sku": .string(l.sku), "orderId": .string(l.orderId), "line": .int(l.line),
                                                                                     "quantity": .int(missing), "reason": .string("short pick")])),
                         to: inventory, as: InventoryState.self)
        try await d.emit(DomainEvent(InventoryState.shorted, l.place.merged(into: ["sku": .string(l.sku), "missing": .int(missing), "taskId": .string(task.taskId)])),
                         to: inventory, as: InventoryState.self)
        try await d.emit(DomainEvent(OrderState.lineShorted, .event(["orderId": .string(l.orderId), "line": .int(l.line), "sku": .string(l.sku),
                                                                      "missing": .int(missing), "taskId": .string(task.taskId)])),
                         to: order, as: OrderState.self)
        let made = try await Allocation.allocate(d, orderId: l.orderId, reasonForCancel: "short pick, no other stock")
        try await PickTasks.followUp(d, order: try await d.load(OrderState.self, order), made)
        try await Replenishment.requestIfNeeded(d, sku: l.sku, face: l.place.location, cutoff: task.cutoff)
        try await finishIfDone(d, stream)
    }

    /// Records `found` units of line `l` picked (the line shorted when less than planned).
    private static func pick(_ d: Decision, _ stream: StreamName, _ task: TaskState, _ l: TaskLine, found: Int, operator op: String?) async throws {
        let tote = d.fields.optionalString("tote")
        let short = found < l.quantity
        try await d.emit(DomainEvent(short ? TaskState.lineShorted : TaskState.linePicked,
                                     .event(["taskId": .string(task.taskId), "index": .int(l.index), "quantity": .int(l.quantity), "found": .int(found)])),
                         to: stream, as: TaskState.self)
        d.record(DomainEvent(short ? "PickShorted" : "PickConfirmed", l.place.merged(into: [
            "taskId": .string(task.taskId), "waveId": .string(task.waveId), "index": .int(l.index), "orderId": .string(l.orderId), "line": .int(l.line),
            "sku": .string(l.sku), "planned": .int(l.quantity), "quantity": .int(found), "tote": .optional(tote), "operator": .optional(op), "at": EventTime.encode(d.now),
        ])), to: WarehouseStreams.pick(task.taskId))
        guard found > 0 else { return }
        try await d.emit(DomainEvent(InventoryState.picked, l.place.merged(into: ["sku": .string(l.sku), "orderId": .string(l.orderId), "line": .int(l.line),
                                                                                   "quantity": .int(found), "taskId": .string(task.taskId)])),
                         to: WarehouseStreams.inventory(l.sku), as: InventoryState.self)
        try await d.emit(DomainEvent(OrderState.linePicked, .event(["orderId": .string(l.orderId), "line": .int(l.line), "sku": .string(l.sku),
                                                                     "quantity": .int(found), "taskId": .string(task.taskId)])),
                         to: WarehouseStreams.order(l.orderId), as: OrderState.self)
        if !short { try await Replenishment.requestIfNeeded(d, sku: l.sku, face: l.place.location, cutoff: task.cutoff) }
    }

    /// Completes a task with no open line left (cancelled when every line was cancelled).
    static func finishIfDone(_ d: Decision, _ stream: StreamName) async throws {
        let task = try await d.load(TaskState.self, stream)
        guard task.isActive, task.openLines.isEmpty else { return }
        let anything = task.lines.contains { $0.status == .picked || $0.status == .shorted }
        try await d.emit(DomainEvent(anything ? TaskState.completed : TaskState.cancelled, .event(["taskId": .string(task.taskId), "waveId": .string(task.waveId), "at": EventTime.encode(d.now)])),
                         to: stream, as: TaskState.self)
    }
}
