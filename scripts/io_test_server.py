#!/usr/bin/env python3
"""A misbehaving HTTP server for PipelineIO's download tests (127.0.0.1 only).

Usage: io_test_server.py ROOT
Serves the files under ROOT. Prints the port it listens on (port 0 = any free one) as the
first line of stdout, then serves until stdin is closed (so it dies with the test process).

Paths select a behaviour; NAME is a file under ROOT; `key` in counters is the full path:
  /ok/NAME               200, or 206 for `Range: bytes=N-` (Content-Range), 416 past the end
  /norange/NAME          always 200 with the whole file (ignores Range)
  /drop/NAME?at=K        the first request sends headers + K body bytes, then resets the
                         connection; later requests behave like /ok
  /short/NAME?at=K       every request promises the full length but sends K bytes, then closes
  /wrong/NAME            the file with one byte flipped (Content-Length right)
  /stall/NAME?at=K       sends headers and the body up to absolute byte K, then sleeps 30 s
  /drip/NAME?every=S&first=F&times=N
                         the first N requests (default: all) send headers, then one body byte
                         every S seconds, the first after F seconds (default S), until the
                         client goes away; later requests behave like /ok
  /status/CODE           answers CODE with a short text body
  /fail/NAME?times=N     the first N requests get 500, then like /ok
  /redirect/NAME         302 to /ok/NAME
  /loop                  302 to /loop, forever
Every request is appended to ROOT/requests.log as "PATH<TAB>RANGE-HEADER-OR-DASH".
"""
import os
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

ROOT = sys.argv[1]
COUNTS = {}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        with LOCK:
            with open(os.path.join(ROOT, "requests.log"), "a") as log:
                log.write("%s\t%s\n" % (self.path, self.headers.get("Range") or "-"))
            COUNTS[self.path] = COUNTS.get(self.path, 0) + 1
            count = COUNTS[self.path]
        parts = url.path.strip("/").split("/", 1)
        mode, name = parts[0], parts[1] if len(parts) > 1 else ""
        if mode == "status":
            return self.text(int(name), "status %s\n" % name)
        if mode == "loop":
            return self.redirect("/loop")
        if mode == "redirect":
            return self.redirect("/ok/" + name)
        path = os.path.join(ROOT, name)
        if not os.path.isfile(path):
            return self.text(404, "no such file\n")
        with open(path, "rb") as f:
            data = f.read()
        if mode == "fail" and count <= int(query.get("times", "1")):
            return self.text(500, "try again\n")
        if mode == "wrong":
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        if mode == "norange":
            return self.send(200, data, len(data), None)
        start = 0
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % len(data))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        status = 206 if rng else 200
        body = data[start:]
        content_range = "bytes %d-%d/%d" % (start, len(data) - 1, len(data)) if rng else None
        if mode == "drop" and count == 1:
            return self.send(status, body[: int(query["at"])], len(body), content_range, reset=True)
        if mode == "short":
            return self.send(status, body[: int(query["at"])], len(body), content_range, close=True)
        if mode == "drip" and count <= int(query.get("times", "1000000")):
            every = float(query.get("every", "1"))
            return self.drip(status, body, content_range, every, float(query.get("first", every)))
        if mode == "stall":
            self.send(status, body[: max(0, int(query["at"]) - start)], len(body), content_range)
            time.sleep(30)
            self.close_connection = True
            return
        return self.send(status, body, len(body), content_range)

    def send(self, status, body, length, content_range, reset=False, close=False):
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        if content_range:
            self.send_header("Content-Range", content_range)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        if reset:
            # RST instead of FIN: what a dropped connection looks like to the client.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
        if close:
            self.close_connection = True

    def drip(self, status, body, content_range, every, first):
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        if content_range:
            self.send_header("Content-Range", content_range)
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        try:
            for i in range(len(body)):
                time.sleep(first if i == 0 else every)
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
        except OSError:
            pass   # the client gave up: what the test wants

    def text(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.handle_error = lambda request, address: None   # clients that hang up are the point
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()   # returns when the test process closes our stdin (or dies)
    os._exit(0)


if __name__ == "__main__":
    main()
