"""Routes of the fake web: the `Reply` answer and the behaviour words, route tables and their
JSON form (the routes file), and `RouteTable`, the live table a server answers from.

A route value is a `Reply` or a behaviour:

    "hang"            accept and read the request, never answer (until the client gives up)
    "reset"           read the request, then close with a TCP RST
    "close"           read the request, then close cleanly without answering
    "garbage"         write bytes that are not HTTP, then close
    "slow:<seconds>"  answer 200 with a small page after the delay (or use Reply(delay=...))
    "redirect:<url>"  302 with Location: <url>

Routes are `{host: {path: reply}}`. A host key may be "https://host" or "http://host" to apply to
one scheme only, and "*" (or "http://*", "https://*") matches any host; a path key "*" is the
host's default. Lookup order: scheme-qualified host, bare host, scheme wildcard, "*"; within
each: path with query, path without query, "*". Nothing found: the fallback (404).
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support._control import JsonFileWatch

log = logging.getLogger(__name__)

TCP_BEHAVIOURS = frozenset({"accept", "reset", "close", "garbage"})
WORDS = frozenset({"hang", "reset", "close", "garbage"})


@dataclass(frozen=True)
class Reply:
    """An HTTP answer. Content-Length and Connection: close are added by the server."""

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | str = b""
    delay: float = 0.0  # seconds to wait before answering

    def body_bytes(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "headers": dict(self.headers)}
        raw = self.body_bytes()
        try:
            out["body"] = raw.decode("utf-8")
        except UnicodeDecodeError:
            out["body_b64"] = base64.b64encode(raw).decode("ascii")
        if self.delay:
            out["delay"] = self.delay
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reply:
        body: bytes | str = data.get("body", "")
        if "body_b64" in data:
            body = base64.b64decode(data["body_b64"])
        return cls(
            status=int(data.get("status", 200)),
            headers={str(k): str(v) for k, v in dict(data.get("headers", {})).items()},
            body=body,
            delay=float(data.get("delay", 0.0)),
        )


RouteValue = Reply | str
Routes = dict[str, dict[str, RouteValue]]

NOT_FOUND = Reply(404, {"Content-Type": "text/html; charset=utf-8"}, "<h1>Not Found</h1>\n")


def check_route(value: RouteValue) -> RouteValue:
    """Validate a route value; raises ValueError for unknown behaviours."""
    if isinstance(value, Reply):
        return value
    if not isinstance(value, str):
        raise TypeError(f"route must be a Reply or a behaviour string, not {value!r}")
    if value in WORDS:
        return value
    if value.startswith("slow:"):
        float(value[5:])
        return value
    if value.startswith("redirect:") and len(value) > len("redirect:"):
        return value
    raise ValueError(f"unknown route behaviour {value!r}")


def norm_host(host: str) -> str:
    """A host key as routes store it: lower-case, without the trailing dot."""
    host = host.strip().lower()
    if "://" in host:
        scheme, _, rest = host.partition("://")
        return f"{scheme}://{rest.rstrip('.')}"
    return host.rstrip(".")


def route_to_json(value: RouteValue) -> Any:
    return value.to_json() if isinstance(value, Reply) else value


def route_from_json(data: Any) -> RouteValue:
    return check_route(Reply.from_json(data) if isinstance(data, Mapping) else str(data))


def routes_to_json(routes: Mapping[str, Mapping[str, RouteValue]]) -> dict[str, Any]:
    return {h: {p: route_to_json(v) for p, v in table.items()} for h, table in routes.items()}


def routes_from_json(data: Mapping[str, Any]) -> Routes:
    return {norm_host(h): {str(p): route_from_json(v) for p, v in table.items()} for h, table in data.items()}


def config_to_json(
    routes: Mapping[str, Mapping[str, RouteValue]],
    *,
    fallback: RouteValue = NOT_FOUND,
    certs: Mapping[str, str] | None = None,
    tcp: Mapping[int, str] | None = None,
) -> dict[str, Any]:
    """The routes-file format: routes, fallback, certificate choice per SNI name ("*" = all)
    and behaviour per plain TCP port ("accept", "reset", "close", "garbage")."""
    return {
        "routes": routes_to_json(routes),
        "fallback": route_to_json(fallback),
        "certs": dict(certs or {}),
        "tcp": {str(k): v for k, v in (tcp or {}).items()},
    }


def copy_routes(routes: Mapping[str, Mapping[str, RouteValue]]) -> Routes:
    return {h: dict(t) for h, t in routes.items()}


class RouteTable:
    """What a fake web answers, changeable at run time from any thread: routes, the fallback,
    the certificate per SNI name and the behaviour per plain TCP port. With a routes file,
    `_maybe_reload()` takes over the file's content whenever the file changed."""

    def __init__(
        self,
        routes: Mapping[str, Mapping[str, RouteValue]] | None = None,
        *,
        fallback: RouteValue = NOT_FOUND,
        tcp_ports: Sequence[int] = (),
        routes_file: str | Path | None = None,
    ) -> None:
        self.tcp_ports: list[int] = list(tcp_ports)
        self._routes_lock = threading.RLock()
        self._routes: Routes = {}
        self._fallback: RouteValue = check_route(fallback)
        self._certs: dict[str, str] = {}
        self._tcp_behaviour: dict[int, str] = {}
        self._watch = JsonFileWatch(routes_file) if routes_file is not None else None
        if routes:
            self.set_routes(routes)
        self._maybe_reload()

    def set_route(self, host: str, path: str, reply: RouteValue) -> None:
        """Route (host, path) to `reply`; path "*" is the host's default, host "*" any host."""
        value = check_route(reply)
        with self._routes_lock:
            self._routes.setdefault(norm_host(host), {})[path] = value

    def set_default(self, host: str, reply: RouteValue) -> None:
        """The answer for any path of `host` that has no route of its own."""
        self.set_route(host, "*", reply)

    def set_host(self, host: str, reply: RouteValue) -> None:
        """Every path of `host` answers `reply` (the host's other routes are removed)."""
        value = check_route(reply)
        with self._routes_lock:
            self._routes[norm_host(host)] = {"*": value}

    def remove_route(self, host: str, path: str | None = None) -> None:
        """Remove one path of a host, or the whole host when path is None."""
        with self._routes_lock:
            if path is None:
                self._routes.pop(norm_host(host), None)
            else:
                self._routes.get(norm_host(host), {}).pop(path, None)

    def set_routes(self, routes: Mapping[str, Mapping[str, RouteValue]], *, replace: bool = True) -> None:
        """Install a whole route table (replacing the current one unless replace=False)."""
        checked = {norm_host(h): {p: check_route(v) for p, v in t.items()} for h, t in routes.items()}
        with self._routes_lock:
            if replace:
                self._routes = checked
            else:
                for host, table in checked.items():
                    self._routes.setdefault(host, {}).update(table)

    @property
    def routes(self) -> Routes:
        with self._routes_lock:
            return copy_routes(self._routes)

    def set_fallback(self, reply: RouteValue) -> None:
        """Answer for requests no route matches (initially 404)."""
        value = check_route(reply)
        with self._routes_lock:
            self._fallback = value

    def set_cert(self, host: str, name: str) -> None:
        """Serve certificate `name` ("default" or an extra_certs key) for SNI `host`
        ("*" = every name without its own choice)."""
        with self._routes_lock:
            self._certs[norm_host(host)] = name

    def clear_certs(self) -> None:
        with self._routes_lock:
            self._certs.clear()

    def cert_name(self, server_name: str | None) -> str:
        """The certificate chosen for an SNI name (or for a handshake without one)."""
        with self._routes_lock:
            if server_name:
                return self._certs.get(norm_host(server_name), self._certs.get("*", "default"))
            return self._certs.get("*", "default")

    def set_tcp_behaviour(self, port: int | None, behaviour: str) -> None:
        """ "accept" (hold open), "reset", "close" or "garbage" on a plain TCP port
        (None = every plain TCP port)."""
        if behaviour not in TCP_BEHAVIOURS:
            raise ValueError(f"TCP behaviour must be one of {sorted(TCP_BEHAVIOURS)}")
        with self._routes_lock:
            for p in self.tcp_ports if port is None else [port]:
                self._tcp_behaviour[p] = behaviour

    def tcp_behaviour(self, port: int) -> str:
        """The behaviour of a plain TCP port ("accept" unless set)."""
        with self._routes_lock:
            return self._tcp_behaviour.get(port, "accept")

    def resolve(self, scheme: str, host: str, path: str) -> RouteValue:
        """The route that applies to a request (see the module docstring for the order)."""
        host = norm_host(host)
        path_only = path.split("?", 1)[0]
        with self._routes_lock:
            for key in (f"{scheme}://{host}", host, f"{scheme}://*", "*"):
                table = self._routes.get(key)
                if table is None:
                    continue
                for p in (path, path_only, "*"):
                    if p in table:
                        return table[p]
            return self._fallback

    def _maybe_reload(self) -> None:
        if self._watch is None:
            return
        data = self._watch.poll()
        if data is None:
            return
        try:
            routes = routes_from_json(data.get("routes", {}))
            fallback = route_from_json(data.get("fallback", route_to_json(NOT_FOUND)))
            certs = {norm_host(k): str(v) for k, v in dict(data.get("certs", {})).items()}
            tcp = {int(k): str(v) for k, v in dict(data.get("tcp", {})).items()}
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            log.warning("ignoring invalid routes file %s: %s", self._watch.path, exc)
            return
        with self._routes_lock:
            self._routes, self._fallback, self._certs = routes, fallback, certs
            self._tcp_behaviour = tcp
        log.debug("routes reloaded: %d hosts", len(routes))
