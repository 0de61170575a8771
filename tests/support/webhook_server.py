"""A local webhook receiver for forwarding tests: every POST body is appended (with the time it
arrived) as one JSON line to a file. Run as `python -m tests.support.webhook_server PORT FILE`,
e.g. inside a network namespace; prints "ready" once listening, stops on SIGTERM."""

from __future__ import annotations

import json
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support._control import exit_on_sigterm, exit_when_parent_dies


def read_received(path: Path) -> list[dict[str, object]]:
    """What the server got so far: [{"at": epoch seconds, "path": ..., "body": <the JSON>}]."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def serve(port: int, out: Path) -> None:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            arrived = time.time()
            try:
                body: object = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
            with out.open("a", encoding="utf-8") as f:
                f.write(json.dumps({"at": arrived, "path": self.path, "body": body}) + "\n")
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    exit_when_parent_dies()
    serve(int(sys.argv[1]), Path(sys.argv[2]))
