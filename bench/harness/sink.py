"""A minimal receiver standing in for Loki and Tempo during a benchmark: it accepts and discards.

    python3 bench/harness/sink.py PORT

POST /loki/api/v1/push answers 204, as Loki does; POST /v1/traces (and /v1/metrics, /v1/logs) answers 200 with
an empty OTLP/HTTP protobuf response, as Tempo's OTLP receiver does. Nothing is decoded: the point is that the
senders (loki4j in the service, the Collector's Tempo exporter) do all their work and never see a failure that
would make them retry or queue. GET /stats returns the requests and bytes received per path, as JSON.
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWERS = {
    "/loki/api/v1/push": (204, None),
    "/v1/traces": (200, "application/x-protobuf"),
    "/v1/metrics": (200, "application/x-protobuf"),
    "/v1/logs": (200, "application/x-protobuf"),
}

counts = {}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        received = self._drain()
        answer = ANSWERS.get(self.path)
        with lock:
            entry = counts.setdefault(self.path, {"requests": 0, "bytes": 0})
            entry["requests"] += 1
            entry["bytes"] += received
        if answer is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, content_type = answer
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if status != 204:
            self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        with lock:
            body = json.dumps(counts).encode()
        self.send_response(200 if self.path == "/stats" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drain(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            total = 0
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return total
                total += len(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return len(self.rfile.read(length)) if length else 0

    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
