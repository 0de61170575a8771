"""A scriptable fake web: HTTP, HTTPS and accept-only TCP ports on one bind address.

Requests are routed by (scheme, Host header without port, path) to a `Reply` or a behaviour
("hang", "reset", "close", "garbage", "slow:<seconds>", "redirect:<url>"); the behaviours, the
route table's form and the lookup order are described in `tests.support.web_routes`.

In-process (ephemeral ports on 127.0.0.1; a CA is made on the fly when no cert is given)::

    with FakeWebServer(healthy_meta_routes()) as web:
        res = fetch("https://www.facebook.com/", connect_to=("127.0.0.1", web.https_port),
                    ca_file=web.ca_file)

As a program (inside a namespace)::

    python -m tests.support.fake_web --bind 0.0.0.0 --http-port 80 --https-port 443 \
        --tcp-port 5222 --cert server.pem --routes routes.json [--extra-cert NAME=PEM]...

prints one line starting with "ready" once listening ("ready http=80 https=443 tcp=5222",
plus " ca=PATH" when no --cert was given and a CA was made). The routes file (see
`config_to_json`) is re-read whenever it changes, checked on every connection and request;
with --stats, counters are written to that file as each request arrives and before each
answer is sent.

This module is the fake web's command line and the one place tests import it from; its parts
live in web_server (the server), web_routes (replies, route tables, the routes file),
web_counters (traffic counters), web_tls (certificates), web_wire (HTTP on the socket),
web_route_sets (canned route tables) and web_client (fetch), and are re-exported here.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections.abc import Iterable

from tests.support._control import exit_on_sigterm, exit_when_parent_dies
from tests.support.web_client import FetchResult, fetch
from tests.support.web_route_sets import (
    GRAPH_ERROR,
    META_ERROR_PAGE,
    PORTAL_PAGE,
    captive_portal_routes,
    healthy_meta_routes,
    meta_error_routes,
)
from tests.support.web_routes import (
    NOT_FOUND,
    TCP_BEHAVIOURS,
    WORDS,
    Reply,
    Routes,
    RouteValue,
    check_route,
    config_to_json,
    copy_routes,
    route_from_json,
    route_to_json,
    routes_from_json,
    routes_to_json,
)
from tests.support.web_server import FakeWebServer
from tests.support.web_wire import GARBAGE, MAX_BODY_BYTES, MAX_HEADER_BYTES

__all__ = [
    "GARBAGE",
    "GRAPH_ERROR",
    "MAX_BODY_BYTES",
    "MAX_HEADER_BYTES",
    "META_ERROR_PAGE",
    "NOT_FOUND",
    "PORTAL_PAGE",
    "TCP_BEHAVIOURS",
    "WORDS",
    "FakeWebServer",
    "FetchResult",
    "Reply",
    "RouteValue",
    "Routes",
    "captive_portal_routes",
    "check_route",
    "config_to_json",
    "copy_routes",
    "fetch",
    "healthy_meta_routes",
    "main",
    "meta_error_routes",
    "route_from_json",
    "route_to_json",
    "routes_from_json",
    "routes_to_json",
]


def main(argv: Iterable[str] | None = None) -> int:
    """Command-line entry: serve until killed."""
    parser = argparse.ArgumentParser(description="fake web for tests")
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--http-port", type=int, default=80, help="-1 disables")
    parser.add_argument("--https-port", type=int, default=443, help="-1 disables")
    parser.add_argument("--tcp-port", type=int, action="append", help="repeatable")
    parser.add_argument("--cert", default=None, help="key + chain PEM (default: make one)")
    parser.add_argument("--extra-cert", action="append", default=[], help="NAME=PEM")
    parser.add_argument("--routes", default=None, help="routes JSON file, re-read on change")
    parser.add_argument("--stats", default=None, help="write counters to this JSON file")
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--exit-with-parent", action="store_true", help="exit when the parent process dies")
    args = parser.parse_args(list(argv) if argv is not None else None)
    logging.basicConfig(
        level=args.log_level.upper(), stream=sys.stderr, format="fake_web %(levelname)s %(message)s"
    )
    extra = dict(item.split("=", 1) for item in args.extra_cert)
    server = FakeWebServer(
        bind=args.bind,
        http_port=None if args.http_port < 0 else args.http_port,
        https_port=None if args.https_port < 0 else args.https_port,
        tcp_ports=[5222] if args.tcp_port is None else [p for p in args.tcp_port if p >= 0],
        certfile=args.cert,
        extra_certs=extra,
        routes_file=args.routes,
        stats_file=args.stats,
    )
    if args.exit_with_parent:
        exit_when_parent_dies()
    signal.signal(signal.SIGTERM, exit_on_sigterm)  # so that `finally` cleans up
    server.start()
    tcp = ",".join(str(p) for p in server.tcp_ports)
    ca = f" ca={server.ca_file}" if args.cert is None and server.ca_file else ""
    sys.stdout.write(f"ready http={server.http_port} https={server.https_port} tcp={tcp}{ca}\n")
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
