#!/usr/bin/env python3
"""A paging HTTP API for the http-poll source's tests: GET /orders serves --items orders in pages
of --page-size, the next page named by the query parameter page_info (an offset), each page after
--delay seconds. The requests numbered in --hold (counting from 1 across the peer's life) get no
answer until their client goes away: a test kills the poller while it waits for that page, however
slowly the test itself gets to run.

Every request is recorded as one JSON line in --log when it arrives ({"event": "request",
"cursor": ...}) and when its answer was sent ({"event": "served", ...}). Orders listed in
--unkeyed have no "id" (the poller must keep them as dead letters). Prints
"paging peer listening on http://127.0.0.1:PORT" once it listens.
"""
import argparse
import json
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def main():
    # A test runner may start us with SIGTERM ignored (dispositions are inherited across exec).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--page-size", type=int, default=5)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--hold", default="", help="comma-separated request numbers never answered")
    parser.add_argument("--unkeyed", default="", help="comma-separated order numbers served without an id")
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    unkeyed = {int(n) for n in args.unkeyed.split(",") if n}
    held = {int(n) for n in args.hold.split(",") if n}
    lock = threading.Lock()
    requests = [0]

    def record(entry):
        with lock, open(args.log, "a") as log:
            log.write(json.dumps(entry) + "\n")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlparse(self.path)
            if url.path != "/orders":
                self.send_error(404)
                return
            cursor = parse_qs(url.query).get("page_info", [None])[0]
            with lock:
                requests[0] += 1
                number = requests[0]
            record({"event": "request", "cursor": cursor})
            if number in held:
                # Wait until the client closes the connection (a killed daemon's socket reads EOF).
                self.rfile.read(1)
                return
            offset = int(cursor) if cursor else 0
            time.sleep(args.delay)
            orders = []
            for n in range(offset + 1, min(offset + args.page_size, args.items) + 1):
                order = {"n": n, "sku": "SKU-%d" % (n % 7)}
                if n not in unkeyed:
                    order["id"] = "ord-%d" % n
                orders.append(order)
            following = offset + args.page_size
            body = json.dumps({"orders": orders, "next": str(following) if following < args.items else None}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            record({"event": "served", "cursor": cursor, "orders": len(orders)})

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print("paging peer listening on http://127.0.0.1:%d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
