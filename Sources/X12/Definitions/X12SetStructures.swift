/// The structure of each transaction set: segments and loops in order with requirement and
/// maximum use, as the X12 004010 tables give them, cut to the segments real 3PL and retail
/// guides use (the rest of the standard's optional segments are left out on purpose: a
/// segment we do not define is reported as not in the set and kept under "unparsed", never
/// dropped). Table format: see ``X12DefinitionTables``.
enum X12SetStructures {
    struct Entry {
        var name: String
        var functionalIdentifier: String
        var structure: String
    }

    /// The N1 loop most sets share (Name, Address, Contact).
    private static func n1Loop(_ req: String, _ max: String, extra: String = "") -> String {
        """
        { \(req) \(max)
        N1 M 1
        N2 O 2
        N3 O 2
        N4 O 1
        REF O 12
        PER O 3
        \(extra)
        }
        """
    }

    /// The party loop of the warehouse (WINS) sets: up to 10 parties, each N1 with its names,
    /// address lines, place and contacts (940 adds a G61 contact before PER).
    private static func winsN1Loop(contact: String = "") -> String {
        """
        { O 10
        N1 M 1
        N2 O 2
        N3 O 2
        N4 O 1
        \(contact)
        PER O 3
        }
        """
    }

    /// 940 Warehouse Shipping Order: WINS 004010 as the 3PL guides print it (header W05, N1
    /// loop, N9/G62/NTE/W66 references and carrier, LX loop with W01 line items, W76 totals).
    static let s940 = Entry(name: "Warehouse Shipping Order", functionalIdentifier: "OW", structure: """
        ST M 1
        W05 M 1
        \(winsN1Loop(contact: "G61 O 1"))
        N9 O 10
        G61 O 3
        G62 O 10
        NTE O 10
        W09 O 1
        W66 M 1
        { M 9999
        LX M 1
        W01 M 1
        G69 O 5
        N9 O 200
        NTE O 10
        MAN O 10
        }
        W76 O 1
        SE M 1
        """)

    /// 945 Warehouse Shipping Advice: WINS 004010 (W06, N1 loop, N9/G62/NTE, W27 carrier,
    /// W10 unit loads, LX loop with MAN and W12 items, W03 totals).
    static let s945 = Entry(name: "Warehouse Shipping Advice", functionalIdentifier: "SW", structure: """
        ST M 1
        W06 M 1
        \(winsN1Loop())
        N9 O 30
        G62 O 10
        NTE O 10
        W27 M 1
        W10 O 10
        { M 9999
        LX M 1
        MAN O 10
        { M 9999
        W12 M 1
        G69 O 5
        N9 O 20
        }
        }
        W03 M 1
        SE M 1
        """)

    /// 943 Warehouse Stock Transfer Shipment Advice: WINS 004010 (W06, N1 loop, N9/G62,
    /// W27 carrier, W04 item loop, W03 totals).
    static let s943 = Entry(name: "Warehouse Stock Transfer Shipment Advice", functionalIdentifier: "AR", structure: """
        ST M 1
        W06 M 1
        \(winsN1Loop())
        N9 O 10
        G62 O 5
        NTE O 10
        W27 O 1
        { M 9999
        W04 M 1
        G69 O 5
        N9 O 200
        }
        W03 M 1
        SE M 1
        """)

    /// 944 Warehouse Stock Transfer Receipt Advice: WINS 004010 (W17, N1 loop, N9/G62, LX
    /// loop holding the W07 item loop, W14 totals).
    static let s944 = Entry(name: "Warehouse Stock Transfer Receipt Advice", functionalIdentifier: "RE", structure: """
        ST M 1
        W17 M 1
        \(winsN1Loop())
        N9 O 10
        G62 O 5
        NTE O 10
        { M 999999
        LX M 1
        { M 9999
        W07 M 1
        G69 O 5
        N9 O 200
        }
        }
        W14 M 1
        SE M 1
        """)

    /// 850 Purchase Order: VICS 004010 header (BEG, CUR, REF, PER, FOB, CSH, SAC loop, ITD,
    /// DTM, PID, PKG, TD5/TD1/TD3/TD4, MAN, N9 loop, N1 loop), PO1 loop (CTP, PID loop, PO4,
    /// SAC loop, SDQ, DTM, carrier, N1 loop), CTT loop.
    static let s850 = Entry(name: "Purchase Order", functionalIdentifier: "PO", structure: """
        ST M 1
        BEG M 1
        CUR O 1
        REF O >1
        PER O 3
        FOB O >1
        CSH O 5
        { O 25
        SAC M 1
        CUR O 1
        }
        ITD O >1
        DTM O 10
        PID O 200
        MEA O 40
        PKG O 200
        TD1 O 2
        TD5 O 12
        TD3 O 12
        TD4 O 5
        MAN O 10
        { O 1000
        N9 M 1
        DTM O >1
        MSG O 1000
        }
        \(n1Loop("O", "200", extra: "FOB O 1\nTD5 O 12"))
        { M 100000
        PO1 M 1
        CUR O 1
        PO3 O 25
        { O >1
        CTP M 1
        CUR O 1
        }
        MEA O 40
        { O 1000
        PID M 1
        MEA O 10
        }
        PO4 O >1
        REF O >1
        PER O 3
        { O 25
        SAC M 1
        CUR O 1
        }
        ITD O >1
        FOB O >1
        SDQ O 500
        DTM O 10
        TD1 O 1
        TD5 O 12
        TD3 O 12
        TD4 O 5
        PKG O 200
        MAN O 10
        MSG O 12
        { O 200
        SCH M 1
        TD1 O 1
        TD5 O 1
        TD3 O 1
        TD4 O 1
        REF O >1
        }
        \(n1Loop("O", "200"))
        { O 1000
        SLN M 1
        PID O 1000
        }
        }
        { O 1
        CTT M 1
        AMT O 1
        }
        SE M 1
        """)

    /// 855 Purchase Order Acknowledgment: VICS 004010 (BAK header, references, carrier, N1
    /// loop; PO1 loop with PID loop, PO4, DTM and the ACK loop; CTT loop).
    static let s855 = Entry(name: "Purchase Order Acknowledgment", functionalIdentifier: "PR", structure: """
        ST M 1
        BAK M 1
        CUR O 1
        REF O >1
        PER O 3
        FOB O >1
        CSH O 5
        ITD O >1
        DTM O 10
        PID O 200
        PKG O 200
        TD1 O 2
        TD5 O 12
        TD3 O 12
        TD4 O 5
        MAN O 10
        { O 1000
        N9 M 1
        DTM O >1
        MSG O 1000
        }
        \(n1Loop("O", "200"))
        { O 100000
        PO1 M 1
        CUR O 1
        PO3 O 25
        { O >1
        CTP M 1
        CUR O 1
        }
        { O 1000
        PID M 1
        MEA O 10
        }
        PO4 O >1
        REF O >1
        PER O 3
        { O 25
        SAC M 1
        CUR O 1
        }
        DTM O 10
        TD5 O 12
        MAN O 10
        { O 104
        ACK M 1
        DTM O 1
        }
        \(n1Loop("O", "200"))
        }
        { O 1
        CTT M 1
        AMT O 1
        }
        SE M 1
        """)

    /// 856 Ship Notice/Manifest: VICS 004010 (BSN, DTM, one HL loop for every level: shipment,
    /// order, tare, pack, item; CTT). The levels nest by HL01/HL02 pointers, not by loops.
    static let s856 = Entry(name: "Ship Notice/Manifest", functionalIdentifier: "SH", structure: """
        ST M 1
        BSN M 1
        DTM O 10
        { M 200000
        HL M 1
        LIN O 1
        SN1 O 1
        SLN O 1000
        PRF O 1
        PO4 O 1
        PID O 200
        MEA O 40
        PKG O 25
        TD1 O 20
        TD5 O 10
        TD3 O 12
        TD4 O 5
        REF O >1
        PER O 3
        MAN O >1
        DTM O 10
        FOB O 1
        PAL O 1
        \(n1Loop("O", "200"))
        SDQ O 100
        }
        CTT O 1
        SE M 1
        """)

    /// 846 Inventory Inquiry/Advice: 004010 (BIA, references, N1 loop; LIN loop with PID,
    /// MEA, DTM, REF and QTY quantities, and an N1 loop per location; CTT).
    static let s846 = Entry(name: "Inventory Inquiry/Advice", functionalIdentifier: "IB", structure: """
        ST M 1
        BIA M 1
        CUR O 1
        REF O 12
        PER O 3
        DTM O 10
        \(n1Loop("O", "200"))
        { O 10000
        LIN M 1
        PID O 1000
        MEA O 40
        PO4 O >1
        DTM O 10
        REF O >1
        CTP O 25
        QTY O >1
        SDQ O >1
        \(n1Loop("O", ">1", extra: "DTM O 10\nQTY O >1"))
        }
        CTT O 1
        SE M 1
        """)

    /// 997 Functional Acknowledgment: X12 004010 and the 005010X230 guide (AK1, AK2 loop with
    /// the AK3 loop of AK3/AK4 and AK5, AK9).
    static let s997 = Entry(name: "Functional Acknowledgment", functionalIdentifier: "FA", structure: """
        ST M 1
        AK1 M 1
        { O 999999
        AK2 M 1
        { O 999999
        AK3 M 1
        AK4 O 99
        }
        AK5 M 1
        }
        AK9 M 1
        SE M 1
        """)

    /// 999 Implementation Acknowledgment: 005010X231A1 (AK1, AK2 loop with the IK3 loop of
    /// IK3, CTX and the IK4 loop, IK5; AK9). 005010 only.
    static let s999 = Entry(name: "Implementation Acknowledgment", functionalIdentifier: "FA", structure: """
        ST M 1
        AK1 M 1
        { O >1
        AK2 M 1
        { O >1
        IK3 M 1
        CTX O 10
        { O 99
        IK4 M 1
        CTX O 10
        }
        }
        IK5 M 1
        }
        AK9 M 1
        SE M 1
        """)

    static let v004010: [String: Entry] = [
        "940": s940, "945": s945, "943": s943, "944": s944, "850": s850, "855": s855, "856": s856, "846": s846, "997": s997,
    ]

    /// 005010 uses the same structures (the differences of these sets between the versions are
    /// in their segments), plus the 999, which 004010 does not have.
    static let v005010: [String: Entry] = v004010.merging(["999": s999]) { a, _ in a }
}
