/// Turns a Ratliff–Rosenthal tour subgraph into a visiting sequence: the subgraph is connected with
/// every degree even, so it has an Euler circuit (Hierholzer's algorithm finds one), and the order in
/// which that circuit first reaches each pick is a sequence of exactly the subgraph's length.
enum TourEulerWalk {
    static func stops(of plan: RatliffRosenthalTourRouter.Plan, occupancy: TourAisleOccupancy, in layout: SingleBlockLayout) -> [PickPosition] {
        // Vertices: 2k is column k's front end, 2k + 1 its back end, then the required points.
        var positionOfVertex: [PickPosition?] = Array(repeating: nil, count: 2 * plan.columns.count)
        var edges: [(Int, Int)] = []
        var depotVertex = -1

        func chain(_ vertices: [Int], times: Int) {
            guard vertices.count > 1 else { return }
            for _ in 0..<times {
                for i in 1..<vertices.count { edges.append((vertices[i - 1], vertices[i])) }
            }
        }

        for (k, column) in plan.columns.enumerated() {
            let front = 2 * k, back = 2 * k + 1
            // Required points front to back, with their distance from the front.
            var points: [(vertex: Int, y: Double)] = []
            if column.holdsDepot {
                depotVertex = positionOfVertex.count
                positionOfVertex.append(nil)
                points.append((depotVertex, 0))
            }
            if let aisle = column.aisle {
                for bay in occupancy.bays(inAisle: aisle) {
                    let position = PickPosition(aisle: aisle, bay: bay)
                    points.append((positionOfVertex.count, layout.y(position)))
                    positionOfVertex.append(position)
                }
            }
            let vertices = points.map(\.vertex)
            switch plan.covers[k] {
            case .none: break
            case .traverse: chain([front] + vertices + [back], times: 1)
            case .doubleTraverse: chain([front] + vertices + [back], times: 2)
            case .fromFront: chain([front] + vertices, times: 2)
            case .fromBack: chain([back] + vertices.reversed(), times: 2)
            case .split:
                // The first widest gap: any widest one gives the length the programme priced.
                var cut = 0
                for i in 1..<(points.count - 1) where points[i + 1].y - points[i].y > points[cut + 1].y - points[cut].y { cut = i }
                chain([front] + vertices[...cut], times: 2)
                chain([back] + vertices[(cut + 1)...].reversed(), times: 2)
            }
            if k < plan.links.count {
                for _ in 0..<plan.links[k].front { edges.append((front, front + 2)) }
                for _ in 0..<plan.links[k].back { edges.append((back, back + 2)) }
            }
        }
        precondition(depotVertex >= 0, "the depot is always in the column span")

        var incident = [[(edge: Int, to: Int)]](repeating: [], count: positionOfVertex.count)
        for (e, (u, v)) in edges.enumerated() {
            incident[u].append((e, v))
            incident[v].append((e, u))
        }
        var used = [Bool](repeating: false, count: edges.count)
        var next = [Int](repeating: 0, count: positionOfVertex.count)
        var stack = [depotVertex]
        var circuit: [Int] = []
        while let v = stack.last {
            while next[v] < incident[v].count && used[incident[v][next[v]].edge] { next[v] += 1 }
            if next[v] < incident[v].count {
                let (edge, to) = incident[v][next[v]]
                used[edge] = true
                stack.append(to)
            } else {
                circuit.append(stack.removeLast())
            }
        }
        assert(used.allSatisfy { $0 }, "the tour subgraph is connected")

        var seen = Set<Int>()
        var stops: [PickPosition] = []
        for vertex in circuit.reversed() {
            if let position = positionOfVertex[vertex], seen.insert(vertex).inserted { stops.append(position) }
        }
        return stops
    }
}
