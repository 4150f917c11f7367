#!/usr/bin/env python3
"""A small webhook receiver for the PakLog quickstart, the end-to-end tests and the benchmark.

It stands in for "another system" that PakLog delivers to: it listens on 127.0.0.1, checks the
Standard Webhooks signature of every POST (https://www.standardwebhooks.com, spec
"standard-webhooks.md": HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>", secret
"whsec_<base64 key>", header "webhook-signature: v1,<base64> ...", timestamps within 5 minutes),
answers 401 when it is wrong and 200 otherwise, and records every request.

    python3 scripts/receiver.py --port 9000 --secret whsec_...        # or PAKLOG_RECEIVER_SECRET
    python3 scripts/receiver.py --port 0 --log deliveries.jsonl       # port 0: any free port

Records: one JSON object per request, appended to --log and flushed line by line:
    {"webhookId", "receivedAt" (Unix seconds, float), "time" (RFC 3339), "status", "reason",
     "bodySha256", "bytes", "attempt" (how many requests carried this webhook-id so far),
     "duplicate" (this webhook-id was already answered 200 before), "field" (with --record-field),
     "body" (with --keep-bodies)}
and one human line per request on standard output. Deduplication is the receiver's business:
PakLog delivers at least once and every redelivery carries the same webhook-id, so a request
whose id was already answered 200 is reported as a duplicate (and answered 200 again).

Fault injection (for tests):
    --fail-rate 0.3 --seed 7        answer 503 to 30 % of correctly signed requests, at random
    --down-after N --down-for S     after N answered requests, refuse connections for S seconds
                                    (the listening socket is closed and open connections dropped)
    --control                       POST /_control/down?seconds=S, POST /_control/fail-rate?value=F,
                                    GET /_control/stats (JSON counters); not recorded as deliveries

Python 3 standard library only.
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import http.server
import json
import os
import random
import signal
import socket
import sys
import threading
import time
import urllib.parse

CONTROL_PREFIX = "/_control/"


def parse_secret(text):
    """The key bytes of a "whsec_<base64>" secret (the prefix is optional, as the spec allows)."""
    encoded = text[len("whsec_"):] if text.startswith("whsec_") else text
    try:
        key = base64.b64decode(encoded, validate=True)
    except ValueError as error:
        raise SystemExit("receiver: the secret is not whsec_ followed by base64: %s" % error)
    if not key:
        raise SystemExit("receiver: the secret is empty")
    return key


def verify(key, headers, body, tolerance, now):
    """None when the Standard Webhooks signature is valid, else a sentence saying what is wrong."""
    webhook_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    for name, value in (("webhook-id", webhook_id), ("webhook-timestamp", timestamp), ("webhook-signature", signatures)):
        if not value:
            return "header %s is missing" % name
    try:
        seconds = int(timestamp)
    except ValueError:
        return "webhook-timestamp %r is not an integer" % timestamp
    if abs(now - seconds) > tolerance:
        return "webhook-timestamp %d is %d s away from now (tolerance %d s)" % (seconds, int(now - seconds), tolerance)
    signed = webhook_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
    for entry in signatures.split(" "):
        version, _, value = entry.partition(",")
        # Constant-time comparison: the time taken must not tell how many bytes matched.
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            return None
    return "no v1 signature in webhook-signature matches"


def field_at(document, path):
    """The value at a dotted path of a JSON document, or None."""
    for part in path.split("."):
        if isinstance(document, dict) and part in document:
            document = document[part]
        else:
            return None
    return document


class Receiver:
    """The shared state of all connections: counters, seen ids, faults, the record file."""

    def __init__(self, args, key):
        self.args = args
        self.key = key
        self.lock = threading.Lock()
        self.random = random.Random(args.seed)
        self.fail_rate = args.fail_rate
        self.attempts = {}          # webhook-id -> requests seen
        self.accepted = set()       # webhook-ids answered 200
        self.counts = {"requests": 0, "delivered": 0, "duplicates": 0, "injected": 0, "rejected": 0, "dropped": 0}
        self.answered = 0
        self.down_until = 0.0
        self.down_after = args.down_after
        self.log = open(args.log, "a", encoding="utf-8") if args.log else None
        self.server = None
        self.connections = set()
        self.port = None

    # -- records -------------------------------------------------------------------------------

    def record(self, entry):
        line = json.dumps(entry, separators=(",", ":"), ensure_ascii=False)
        with self.lock:
            if self.log:
                self.log.write(line + "\n")
                self.log.flush()
        flags = []
        if entry.get("duplicate"):
            flags.append("duplicate, attempt %d" % entry["attempt"])
        elif entry["attempt"] > 1:
            flags.append("attempt %d" % entry["attempt"])
        if entry.get("reason"):
            flags.append(entry["reason"])
        field = " %s=%s" % (self.args.record_field, entry.get("field")) if self.args.record_field else ""
        print("%s %d %s %d bytes sha256=%s%s%s" % (
            entry["time"], entry["status"], entry["webhookId"] or "-", entry["bytes"], entry["bodySha256"][:12],
            field, (" (" + "; ".join(flags) + ")") if flags else ""), flush=True)

    def summary(self):
        with self.lock:
            c = dict(self.counts)
            c["uniqueDelivered"] = len(self.accepted)
        return c

    # -- faults --------------------------------------------------------------------------------

    def is_down(self):
        return time.time() < self.down_until

    def go_down(self, seconds):
        """Refuses connections for `seconds`: closes the listening socket and open connections,
        then listens again on the same port."""
        with self.lock:
            if time.time() < self.down_until:
                return
            self.down_until = time.time() + seconds
            server = self.server
            connections = list(self.connections)
        print("%s receiver down for %.1f s (connections refused)" % (now_text(), seconds), flush=True)
        threading.Thread(target=self._outage, args=(server, connections, seconds), daemon=True).start()

    def _outage(self, server, connections, seconds):
        server.shutdown()
        server.server_close()
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        remaining = self.down_until - time.time()
        if remaining > 0:
            time.sleep(remaining)
        serve(self)
        print("%s receiver up again on port %d" % (now_text(), self.port), flush=True)

    def decide(self):
        """The status for a correctly signed request: 503 at the configured rate, else 200."""
        with self.lock:
            if self.fail_rate > 0 and self.random.random() < self.fail_rate:
                return 503
            return 200

    def after_answer(self):
        with self.lock:
            self.answered += 1
            trigger = self.down_after is not None and self.answered == self.down_after
        if trigger:
            self.go_down(self.args.down_for)


def now_text(t=None):
    t = time.time() if t is None else t
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive, as PakLog's client reuses connections
    server_version = "paklog-receiver/1"

    def setup(self):
        super().setup()
        state = self.server.state
        with state.lock:
            state.connections.add(self.connection)

    def finish(self):
        state = self.server.state
        with state.lock:
            state.connections.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    def log_message(self, fmt, *args):
        pass   # one line per request is printed by Receiver.record

    def answer(self, status, document, extra_headers=()):
        body = (json.dumps(document) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith(CONTROL_PREFIX) and self.server.state.args.control:
            return self.control()
        self.answer(404, {"error": "POST webhooks here; GET %sstats with --control" % CONTROL_PREFIX})

    def do_POST(self):
        state = self.server.state
        if self.path.startswith(CONTROL_PREFIX) and state.args.control:
            return self.control()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        received = time.time()
        if state.is_down():
            # A request that slipped in on an open connection while down: drop it unanswered,
            # as a crashed server would.
            with state.lock:
                state.counts["dropped"] += 1
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        webhook_id = headers.get("webhook-id")
        problem = verify(state.key, headers, body, state.args.tolerance, received) if state.key else None
        status = 401 if problem else state.decide()
        with state.lock:
            state.counts["requests"] += 1
            attempt = state.attempts.get(webhook_id, 0) + 1
            state.attempts[webhook_id] = attempt
            duplicate = status == 200 and webhook_id in state.accepted
            if status == 200:
                if duplicate:
                    state.counts["duplicates"] += 1
                else:
                    state.counts["delivered"] += 1
                    state.accepted.add(webhook_id)
            elif status == 401:
                state.counts["rejected"] += 1
            else:
                state.counts["injected"] += 1
        entry = {
            "webhookId": webhook_id,
            "receivedAt": received,
            "time": now_text(received),
            "status": status,
            "bodySha256": hashlib.sha256(body).hexdigest(),
            "bytes": len(body),
            "attempt": attempt,
            "duplicate": duplicate,
        }
        if problem:
            entry["reason"] = problem
        elif status == 503:
            entry["reason"] = "injected failure"
        document = None
        if state.args.record_field or state.args.keep_bodies:
            try:
                document = json.loads(body)
            except ValueError:
                document = None
        if state.args.record_field:
            entry["field"] = field_at(document, state.args.record_field)
        if state.args.keep_bodies:
            entry["body"] = document if document is not None else body.decode("utf-8", "replace")
        state.record(entry)
        if status == 401:
            self.answer(401, {"error": problem})
        elif status == 503:
            self.answer(503, {"error": "injected failure (--fail-rate)"})
        else:
            self.answer(200, {"received": webhook_id, "duplicate": duplicate})
        state.after_answer()

    def control(self):
        state = self.server.state
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        command = url.path[len(CONTROL_PREFIX):]
        if command == "stats":
            return self.answer(200, state.summary())
        if command == "down" and self.command == "POST":
            try:
                seconds = float(query.get("seconds", "10"))
            except ValueError:
                return self.answer(400, {"error": "seconds=%r is not a number" % query.get("seconds")})
            self.answer(200, {"down": seconds})
            self.close_connection = True
            state.go_down(seconds)
            return None
        if command == "fail-rate" and self.command == "POST":
            try:
                value = float(query.get("value", ""))
            except ValueError:
                return self.answer(400, {"error": "value=%r is not a number" % query.get("value")})
            if not 0 <= value <= 1:
                return self.answer(400, {"error": "value must lie between 0 and 1"})
            with state.lock:
                state.fail_rate = value
            return self.answer(200, {"failRate": value})
        return self.answer(404, {"error": "unknown control command %r" % command})


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def serve(state):
    """Listens on the state's port (the first time on --port, 0 meaning any free port) and serves
    in a background thread."""
    port = state.port if state.port is not None else state.args.port
    for _ in range(50):
        try:
            server = Server((state.args.host, port), Handler)
            break
        except OSError:
            time.sleep(0.1)   # the old socket may linger briefly after an outage
    else:
        raise SystemExit("receiver: cannot listen on %s:%d" % (state.args.host, port))
    server.state = state
    with state.lock:
        state.server = server
    state.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    return server


def main():
    parser = argparse.ArgumentParser(description="Webhook receiver that verifies Standard Webhooks signatures and records deliveries.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000, help="0 picks a free port (printed on the first line)")
    parser.add_argument("--secret", default=os.environ.get("PAKLOG_RECEIVER_SECRET"),
                        help="whsec_ secret (default: $PAKLOG_RECEIVER_SECRET)")
    parser.add_argument("--no-verify", action="store_true", help="accept unsigned requests (never in the quickstart)")
    parser.add_argument("--tolerance", type=int, default=300, help="allowed clock difference in seconds (default 300)")
    parser.add_argument("--log", help="append one JSON line per request to this file")
    parser.add_argument("--keep-bodies", action="store_true", help="include each body in its JSON line")
    parser.add_argument("--record-field", help="include this dotted field of each JSON body (e.g. orderId) in its line")
    parser.add_argument("--fail-rate", type=float, default=0.0, help="answer 503 to this fraction of valid requests")
    parser.add_argument("--seed", type=int, default=None, help="seed of the --fail-rate random choice")
    parser.add_argument("--down-after", type=int, default=None, help="go down after this many answered requests")
    parser.add_argument("--down-for", type=float, default=10.0, help="seconds to stay down (default 10)")
    parser.add_argument("--control", action="store_true", help="enable the /_control/ endpoints")
    args = parser.parse_args()
    if not 0 <= args.fail_rate <= 1:
        parser.error("--fail-rate must lie between 0 and 1")
    if not args.secret and not args.no_verify:
        parser.error("give --secret or set PAKLOG_RECEIVER_SECRET (or --no-verify)")
    key = None if args.no_verify else parse_secret(args.secret)

    state = Receiver(args, key)
    serve(state)
    print("receiver listening on http://%s:%d/" % (args.host, state.port), flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass
    c = state.summary()
    print("summary: %d requests, %d delivered (unique webhook-ids), %d duplicates, %d injected failures, "
          "%d bad signatures, %d dropped while down" % (
              c["requests"], c["uniqueDelivered"], c["duplicates"], c["injected"], c["rejected"], c["dropped"]), flush=True)


if __name__ == "__main__":
    main()
