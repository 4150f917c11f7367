#!/usr/bin/env python3
"""HTTP/1.1 test peer with fault injection for the HTTPClient tests (stdlib only).

Listens on 127.0.0.1 on a free port and prints "PORT <n>" on stdout once it accepts
connections. Exits when its stdin reaches end of file, so it never outlives the test process.

Modes:
  (default)                      plain HTTP/1.1 with keep-alive
  --tls-cert C --tls-key K       HTTPS with that certificate chain and key
  --client-ca CA                 with --tls-*: require a client certificate issued by CA
  --blackhole                    a listening socket whose accept queue is full: connects hang

Endpoints (query parameters in brackets):
  /echo                  JSON: method, path, headers (list of pairs), body_b64, client_port,
                         client_cert_subject (the client certificate's commonName, TLS only)
  /status[code]          that status code with a short body
  /delay[ms]             waits, then 200
  /drop                  reads the request, closes the connection without answering
  /headers               repeated fields: two Set-Cookie, two X-Multi, and a folded line
  /retry-after[value]    503 with the given Retry-After value
  /large[bytes,chunked]  a body of that many bytes, with Content-Length or chunked
  /redirect[to]          302 to the given location
  /loop                  302 to itself
  /barrier[n,group]      waits until n requests of the group are waiting, then 200 "met";
                         504 when they do not come within 5 s
"""

import argparse
import base64
import json
import os
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


barriers = {}
barriers_lock = threading.Lock()


def barrier_for(group, parties):
    with barriers_lock:
        if group not in barriers:
            barriers[group] = threading.Barrier(parties)
        return barriers[group]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault-server"

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def _body(self):
        length = int(self.headers.get("Content-Length", "0") or "0")
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        body = self._body()
        path = url.path

        if path == "/echo":
            subject = None
            if isinstance(self.connection, ssl.SSLSocket):
                cert = self.connection.getpeercert()
                if cert:
                    for rdn in cert.get("subject", ()):
                        for key, value in rdn:
                            if key == "commonName":
                                subject = value
            payload = {
                "method": self.command,
                "path": self.path,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body_b64": base64.b64encode(body).decode(),
                "client_port": self.client_address[1],
                "client_cert_subject": subject,
            }
            self._send(200, json.dumps(payload).encode(), [("Content-Type", "application/json")])
        elif path == "/status":
            code = int(query.get("code", "200"))
            self._send(code, f"status {code}".encode())
        elif path == "/delay":
            time.sleep(int(query.get("ms", "1000")) / 1000)
            self._send(200, b"late")
        elif path == "/drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif path == "/headers":
            self.send_response(200)
            self.send_header("Set-Cookie", "a=1")
            self.send_header("Set-Cookie", "b=2")
            self.send_header("X-Multi", "first")
            self.send_header("x-multi", "second")
            self.send_header("X-Folded", "part one\r\n  part two")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
        elif path == "/retry-after":
            self._send(503, b"busy", [("Retry-After", query.get("value", "120"))])
        elif path == "/large":
            size = int(query.get("bytes", "1000000"))
            chunk = b"x" * 65536
            if self.command == "HEAD":
                self.send_response(200)
                self.send_header("Content-Length", str(size))
                self.end_headers()
            elif query.get("chunked") == "1":
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                remaining = size
                while remaining > 0:
                    part = chunk[: min(remaining, len(chunk))]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                    remaining -= len(part)
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.send_response(200)
                self.send_header("Content-Length", str(size))
                self.end_headers()
                remaining = size
                while remaining > 0:
                    part = chunk[: min(remaining, len(chunk))]
                    self.wfile.write(part)
                    remaining -= len(part)
        elif path == "/barrier":
            barrier = barrier_for(query.get("group", ""), int(query.get("n", "2")))
            try:
                barrier.wait(timeout=5)
                self._send(200, b"met")
            except threading.BrokenBarrierError:
                self._send(504, b"barrier not met")
        elif path == "/loop":
            self._send(302, b"", [("Location", "/loop")])
        elif path == "/redirect":
            self._send(302, b"", [("Location", query.get("to", "/echo"))])
        else:
            self._send(404, b"no such endpoint")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # bursts of concurrent connects must not hit a full backlog
    tls_context = None

    def get_request(self):
        conn, addr = self.socket.accept()
        if self.tls_context is not None:
            # Handshake in the handler thread (first read), not in the accepting thread.
            conn = self.tls_context.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
        return conn, addr

    def handle_error(self, request, client_address):
        pass  # failed handshakes and dropped connections are what the tests provoke


def exit_when_parent_goes():
    sys.stdin.read()
    os._exit(0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--client-ca")
    parser.add_argument("--blackhole", action="store_true")
    args = parser.parse_args()

    threading.Thread(target=exit_when_parent_goes, daemon=True).start()

    if args.blackhole:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = []
        for _ in range(4):  # never accepted: the accept queue stays full, later SYNs are dropped
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        time.sleep(0.2)
        print(f"PORT {port}", flush=True)
        threading.Event().wait()
        return

    server = Server(("127.0.0.1", 0), Handler)
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        if args.client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(args.client_ca)
        server.tls_context = context
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
