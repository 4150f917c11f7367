#!/usr/bin/env python3
"""A real HTTP peer for the Messaging tests, with fault injection.

Listens on 127.0.0.1 on a free port and prints that port as its first stdout line. Every request
is recorded (method, path, the Standard-Webhooks headers, body, and the outcome the server chose)
and can be read back with GET /_requests (JSON lines). Behaviour:

  POST /flaky      fails with 500 for --fail-rate of the requests, stalls for --stall seconds
                   (longer than the client's timeout, then drops the connection) for
                   --timeout-rate of them, and answers 200 otherwise (seeded by --seed).
  POST /switch     answers as the current mode says: "ok" -> 200, "fail" -> 503;
                   set the mode with POST /_mode/ok or /_mode/fail.
  POST /poison     the message whose JSON body has "poison": true always gets 500; others 200.
  POST /retry-after  answers 429 with "Retry-After: <n>" (n from --retry-after), then 200 for
                   the same webhook-id.
  POST /reject     answers 422 (a permanent failure).
  POST /slow       records "started", then answers 200 after half a second.
  POST /label      a carrier's label call: 200 with JSON {"trackingNumber", "labelId"} derived
                   from the body's "orderId" (request-reply).
  POST /async      accepts for later: 202 with JSON {"jobId": "job-<orderId>"}; the answer comes
                   by another path (awaiting acknowledgment).
  POST /bytes      answers 200 with a PDF-like non-JSON body (application/pdf).
  any  /echo/...   any method: 200 with JSON {"method", "path"} (URL templates, methods).
"""
import argparse
import json
import random
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--fail-rate", type=float, default=0.0)
parser.add_argument("--timeout-rate", type=float, default=0.0)
parser.add_argument("--stall", type=float, default=1.0)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--retry-after", type=int, default=1)
args = parser.parse_args()

lock = threading.Lock()
rng = random.Random(args.seed)
records = []
state = {"mode": "ok", "seen_retry_after": set()}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):  # keep the test output quiet
        pass

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def record(self, body, outcome):
        # "at" is the server's wall clock, comparable with the times the dispatcher records.
        with lock:
            records.append({
                "path": self.path,
                "webhookId": self.headers.get("webhook-id"),
                "webhookTimestamp": self.headers.get("webhook-timestamp"),
                "webhookSignature": self.headers.get("webhook-signature"),
                "contentType": self.headers.get("content-type"),
                "method": self.command,
                "body": body.decode("utf-8", "replace"),
                "bodyHex": body.hex(),
                "outcome": outcome,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "at": time.time(),
            })

    def do_GET(self):
        if self.path == "/_requests":
            with lock:
                data = "".join(json.dumps(r) + "\n" for r in records).encode()
            self.answer(200, data, [("Content-Type", "application/x-ndjson")])
        elif self.path.startswith("/echo/"):
            self.echo(b"")
        else:
            self.answer(404)

    def echo(self, body):
        self.record(body, "ok")
        self.answer(200, json.dumps({"method": self.command, "path": self.path}).encode(), [("Content-Type", "application/json")])

    def do_PUT(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.echo(self.rfile.read(length))

    def do_DELETE(self):
        self.echo(b"")

    def order_id(self, body):
        try:
            return str(json.loads(body).get("orderId"))
        except Exception:
            return "unknown"

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path.startswith("/_mode/"):
            state["mode"] = self.path[len("/_mode/"):]
            self.answer(204)
            return
        if self.path == "/flaky":
            with lock:
                roll = rng.random()
            if roll < args.timeout_rate:
                self.record(body, "stalled")
                time.sleep(args.stall)
                self.close_connection = True
                return
            if roll < args.timeout_rate + args.fail_rate:
                self.record(body, "failed")
                self.answer(500, b"injected failure")
                return
            self.record(body, "ok")
            self.answer(200, b"{}")
        elif self.path == "/switch":
            if state["mode"] == "ok":
                self.record(body, "ok")
                self.answer(200)
            else:
                self.record(body, "failed")
                self.answer(503, b"switched off")
        elif self.path == "/poison":
            try:
                poison = json.loads(body).get("poison") is True
            except Exception:
                poison = False
            if poison:
                self.record(body, "failed")
                self.answer(500, b"cannot process this one")
            else:
                self.record(body, "ok")
                self.answer(200)
        elif self.path == "/retry-after":
            wid = self.headers.get("webhook-id")
            with lock:
                first = wid not in state["seen_retry_after"]
                state["seen_retry_after"].add(wid)
            if first:
                self.record(body, "throttled")
                self.answer(429, b"slow down", [("Retry-After", str(args.retry_after))])
            else:
                self.record(body, "ok")
                self.answer(200)
        elif self.path == "/slow":
            self.record(body, "started")
            time.sleep(0.5)
            self.answer(200)
        elif self.path == "/label":
            order = self.order_id(body)
            self.record(body, "ok")
            reply = {"trackingNumber": "1ZTEST" + order, "labelId": "label-" + order}
            self.answer(200, json.dumps(reply).encode(), [("Content-Type", "application/json"), ("X-Carrier-Request", "req-" + order)])
        elif self.path == "/async":
            self.record(body, "accepted")
            self.answer(202, json.dumps({"jobId": "job-" + self.order_id(body)}).encode(), [("Content-Type", "application/json")])
        elif self.path == "/bytes":
            self.record(body, "ok")
            self.answer(200, b"%PDF-1.4\n\xff\xfe label", [("Content-Type", "application/pdf")])
        elif self.path.startswith("/echo/"):
            self.echo(body)
        elif self.path == "/reject":
            self.record(body, "rejected")
            self.answer(422, b"unprocessable: missing field sku")
        else:
            self.answer(404)


def exit_when_parent_goes():
    # The test process holds our stdin; when it ends (even killed), stdin reaches EOF.
    sys.stdin.read()
    import os
    os._exit(0)


threading.Thread(target=exit_when_parent_goes, daemon=True).start()
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
