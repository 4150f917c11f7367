/// The console's stylesheet and script, shipped in the binary (no build step, no Node): served
/// at `/console/assets/…` so the Content-Security-Policy can forbid inline code.
enum ConsoleAssets {
    static let css = """
        :root { --ink: #1d2430; --muted: #5b6577; --line: #d9dee7; --bg: #f5f7fa; --ok: #1f7a3f; --bad: #b3261e; --wait: #9a6700; --accent: #2456b3; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
        header { display: flex; align-items: center; gap: 24px; padding: 10px 24px; background: #14223d; color: #fff; }
        header .brand { font-weight: 700; letter-spacing: .02em; }
        nav { display: flex; align-items: center; gap: 4px; flex: 1; }
        nav a { color: #c9d6f2; text-decoration: none; padding: 6px 10px; border-radius: 6px; }
        nav a.current, nav a:hover { background: #2a3d66; color: #fff; }
        nav .logout { margin-left: auto; display: flex; gap: 8px; align-items: center; }
        nav .who { color: #c9d6f2; }
        main { padding: 16px 24px 48px; max-width: 1280px; }
        h1 { font-size: 22px; margin: 8px 0 16px; }
        h2 { font-size: 16px; margin: 24px 0 8px; }
        table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
        th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #eef1f6; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
        pre { background: #fff; border: 1px solid var(--line); padding: 10px; overflow: auto; max-height: 420px; }
        .ok { color: var(--ok); font-weight: 600; } .failed { color: var(--bad); font-weight: 600; } .pending { color: var(--wait); font-weight: 600; }
        .info { color: var(--muted); }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #e8ecf3; }
        .badge.CLOSED, .badge.open-ok { background: #dff3e4; color: var(--ok); }
        .badge.OPEN { background: #fbe3e1; color: var(--bad); } .badge.HALF_OPEN { background: #fff1c7; color: var(--wait); }
        .flash { padding: 10px 14px; border-radius: 6px; margin: 0 0 16px; background: #dff3e4; border: 1px solid #a9dcb7; }
        .flash.error { background: #fbe3e1; border-color: #efb3ad; }
        form.inline { display: inline; }
        input[type=text], input[type=password], select { padding: 7px 9px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
        button { padding: 7px 14px; border: 0; border-radius: 6px; background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
        button.secondary { background: #e8ecf3; color: var(--ink); } button.danger { background: var(--bad); }
        .login { max-width: 420px; margin: 64px auto; background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 24px; }
        .login input { width: 100%; margin: 8px 0 16px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 12px; margin-bottom: 8px; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
        .card .n { font-size: 22px; font-weight: 700; } .card .l { color: var(--muted); font-size: 12px; }
        .search { display: flex; gap: 8px; margin-bottom: 16px; } .search input[type=text] { flex: 1; }
        .muted { color: var(--muted); }
        #feed tr.new { animation: flash 1.5s ease-out; } @keyframes flash { from { background: #fff7d6; } to { background: #fff; } }
        """

    /// The live event feed: an `EventSource` on the API's stream (the session cookie
    /// authenticates it), newest first, at most 200 rows.
    static let js = """
        "use strict";
        (function () {
          var table = document.getElementById("feed");
          if (!table) { return; }
          var body = table.querySelector("tbody");
          var state = document.getElementById("feed-state");
          var filter = table.getAttribute("data-category");
          // names=false: every event comes as a plain message (an EventSource cannot listen to
          // all event names at once); its type is in the data.
          var url = "/api/v1/events/stream?heartbeat=10&names=false&after=" + encodeURIComponent(table.getAttribute("data-after") || "0") + (filter ? "&category=" + encodeURIComponent(filter) : "");
          var source = new EventSource(url);
          source.onopen = function () { state.textContent = "connected"; state.className = "ok"; };
          source.onerror = function () { state.textContent = "reconnecting…"; state.className = "pending"; };
          source.onmessage = add;
          function cell(text, cls) { var td = document.createElement("td"); td.textContent = text; if (cls) { td.className = cls; } return td; }
          function add(message) {
            var e;
            try { e = JSON.parse(message.data); } catch (x) { return; }
            var tr = document.createElement("tr");
            tr.className = "new";
            tr.appendChild(cell(String(e.position), "num"));
            tr.appendChild(cell(e.recordedAt || "", "mono"));
            tr.appendChild(cell(e.stream || "", "mono"));
            tr.appendChild(cell(e.type || message.type));
            tr.appendChild(cell(JSON.stringify(e.data || {}).slice(0, 160), "mono"));
            body.insertBefore(tr, body.firstChild);
            while (body.rows.length > 200) { body.deleteRow(body.rows.length - 1); }
            document.getElementById("feed-count").textContent = String(Number(document.getElementById("feed-count").textContent) + 1);
          }
        })();
        """
}
