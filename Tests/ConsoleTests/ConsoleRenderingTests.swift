import Testing
@testable import Console

@Suite("Console rendering")
struct ConsoleRenderingTests {
    @Test func everyValueIsEscapedForHTML() {
        #expect(HTMLText.escape(#"<script>alert("x")</script> & 'y'"#) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;")
        #expect(HTMLText.escape("Grüße ✓") == "Grüße ✓", "other text passes unchanged")
        let page = ConsolePage(title: "<b>", section: "", body: "", session: nil).html
        #expect(page.contains("<h1>&lt;b&gt;</h1>") && !page.contains("<h1><b>"))
    }

    @Test func pathSegmentsArePercentEncoded() {
        #expect(HTMLText.urlComponent("erp/eu 1") == "erp%2Feu%201")
        #expect(HTMLText.urlComponent("a-b_c.d~e") == "a-b_c.d~e")
        #expect(HTMLText.urlComponent("ä") == "%C3%A4")
    }

    @Test func theMetricsTextIsReadBackByLabel() {
        let text = """
            # TYPE paklog_route_messages_total counter
            paklog_route_messages_total{route="orders"} 12
            paklog_route_messages_total{route="a \\"quoted\\" route"} 3
            paklog_messages_received_total{source="orders",extra="x"} 4
            paklog_messages_received_total{source="orders",extra="y"} 1
            garbage line
            """
        let metrics = PrometheusText(text)
        #expect(metrics.values("paklog_route_messages_total", by: "route") == ["orders": 12, #"a "quoted" route"#: 3])
        #expect(metrics.values("paklog_messages_received_total", by: "source") == ["orders": 5], "summed over the other labels")
        #expect(metrics.values("paklog_route_failures_total", by: "route").isEmpty)
    }
}
