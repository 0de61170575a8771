"""A local webhook receiver for forwarding tests: each POST is recorded as {"at": arrival time,
"path", "body": the JSON}. Either in this process (`running_webhook()`, a thread on 127.0.0.1) or
as `python -m tests.support.webhook_server PORT FILE` (e.g. inside a network namespace), appending
one JSON line per POST to FILE; it prints "ready" once listening and stops on SIGTERM."""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.support._control import exit_on_sigterm, exit_when_parent_dies

Received = dict[str, Any]


def read_received(path: Path) -> list[Received]:
    """What the server process got so far, from its file."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _server(port: int, record: Callable[[Received], None]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            arrived = time.time()
            try:
                body: object = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
            record({"at": arrived, "path": self.path, "body": body})
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


@contextmanager
def running_webhook() -> Iterator[tuple[int, list[Received]]]:
    """(port, what arrived so far) for a webhook served from a thread of this process."""
    got: list[Received] = []
    server = _server(0, got.append)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], got
    finally:
        server.shutdown()
        server.server_close()


def serve(port: int, out: Path) -> None:
    def append(item: Received) -> None:
        with out.open("a", encoding="utf-8") as f:
            f.write(json.dumps(item) + "\n")

    server = _server(port, append)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    exit_when_parent_dies()
    serve(int(sys.argv[1]), Path(sys.argv[2]))
