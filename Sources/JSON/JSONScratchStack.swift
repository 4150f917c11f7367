/// A stack of the elements of the arrays and objects being built, shared by every level of one
/// parse: a container pushes its elements and, when it closes, moves them into an array of the
/// exact size. This spares an array per container growing (and copying) as it fills, and moving
/// spares the retain and release a copy would cost per element.
struct JSONScratchStack<Element>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>?
    private var capacity = 0
    private(set) var count = 0

    init() {}

    deinit {
        // A parse that failed leaves its unfinished containers' elements here.
        if let base {
            base.deinitialize(count: count)
            base.deallocate()
        }
    }

    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (base.unsafelyUnwrapped + count).initialize(to: element)
        count += 1
    }

    /// The element at `index` (below `count`).
    @inline(__always)
    subscript(index: Int) -> Element { base.unsafelyUnwrapped[index] }

    private mutating func grow() {
        let newCapacity = Swift.max(16, capacity * 2)
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if let base {
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = newBase
        capacity = newCapacity
    }

    /// Moves the elements from `start` up into an array, leaving `start` elements.
    mutating func popArray(from start: Int) -> [Element] {
        let moved = count - start
        guard moved > 0, let source = base.map({ $0 + start }) else { return [] }
        count = start
        return [Element](unsafeUninitializedCapacity: moved) { buffer, initialized in
            buffer.baseAddress.unsafelyUnwrapped.moveInitialize(from: source, count: moved)
            initialized = moved
        }
    }

    /// `popArray(from:)` as a `ContiguousArray`, the storage `OrderedDictionary` keeps.
    mutating func popContiguousArray(from start: Int) -> ContiguousArray<Element> {
        let moved = count - start
        guard moved > 0, let source = base.map({ $0 + start }) else { return [] }
        count = start
        return ContiguousArray<Element>(unsafeUninitializedCapacity: moved) { buffer, initialized in
            buffer.baseAddress.unsafelyUnwrapped.moveInitialize(from: source, count: moved)
            initialized = moved
        }
    }

    /// Drops the elements from `start` up (their keys' fingerprints, which need no deinit).
    mutating func truncate(to start: Int) {
        base?.advanced(by: start).deinitialize(count: count - start)
        count = start
    }
}
