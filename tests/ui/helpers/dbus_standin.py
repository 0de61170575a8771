"""A stand-in desktop for D-Bus: owns org.freedesktop.Notifications and org.kde.StatusNotifierWatcher.

Run inside `dbus-run-session`: `python -m tests.ui.helpers.dbus_standin --record calls.jsonl`.
It reports a StatusNotifierHost as registered (so Qt uses the D-Bus tray and sends notifications
over D-Bus), accepts item registrations, and appends one JSON line per call it receives
({"member": "Notify", "args": [...]}, {"member": "RegisterStatusNotifierItem", ...}).
Prints "ready" once both names are owned. With `--click-after SECONDS` it "clicks" each
notification that long after it arrived (the ActionInvoked signal with the "default" action);
`--capabilities body,body-markup,...` sets what it answers to GetCapabilities.
`--drop-registrations N`: the first N RegisterStatusNotifierItem calls get no reply and are not
recorded (a panel that is still starting; Qt then waits in vain and does not try again).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, HeaderFields, MessageType, new_error, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

WATCHER = "org.kde.StatusNotifierWatcher"
NOTIFY = "org.freedesktop.Notifications"
PROPS = "org.freedesktop.DBus.Properties"
INTROSPECT = "org.freedesktop.DBus.Introspectable"
CAPABILITIES = ("body", "actions", "icon-static")


class StandIn:
    def __init__(
        self,
        record: Path,
        click_after: float = -1.0,
        capabilities: tuple[str, ...] = CAPABILITIES,
        drop_registrations: int = 0,
    ) -> None:
        self.record = record
        self.drop_registrations = drop_registrations
        self.click_after = click_after
        self.capabilities = list(capabilities)
        self.clicks: list[tuple[float, int, str]] = []  # (when, notification id, its sender)
        self.items: list[str] = []
        self.next_id = 1
        self.conn = open_dbus_connection(bus="SESSION")

    def log(self, member: str, args: Any, sender: str | None = None) -> None:
        with self.record.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"member": member, "args": args, "sender": sender}, default=str) + "\n")

    def own_names(self) -> None:
        for name in (WATCHER, NOTIFY):
            reply = self.conn.send_and_get_reply(message_bus.RequestName(name, 4)).body
            if reply != (1,):
                raise SystemExit(f"could not own {name}: {reply}")

    def watcher_props(self) -> dict[str, tuple[str, Any]]:
        return {
            "RegisteredStatusNotifierItems": ("as", list(self.items)),
            "IsStatusNotifierHostRegistered": ("b", True),
            "ProtocolVersion": ("i", 0),
        }

    def handle(self, msg: Any) -> None:
        hdr = msg.header
        iface = hdr.fields.get(HeaderFields.interface)
        member = hdr.fields.get(HeaderFields.member)
        sender = hdr.fields.get(HeaderFields.sender)
        body = msg.body
        if member == "Notify":
            self.log("Notify", list(body), sender)
            self.conn.send(new_method_return(msg, "u", (self.next_id,)))
            if self.click_after >= 0:
                self.clicks.append((time.monotonic() + self.click_after, self.next_id, sender))
            self.next_id += 1
        elif member == "GetCapabilities":
            self.conn.send(new_method_return(msg, "as", (self.capabilities,)))
        elif member == "GetServerInformation":
            self.conn.send(new_method_return(msg, "ssss", ("standin", "tests", "1", "1.2")))
        elif member == "CloseNotification":
            self.conn.send(new_method_return(msg))
        elif member == "RegisterStatusNotifierItem" and self.drop_registrations > 0:
            self.drop_registrations -= 1
        elif member == "RegisterStatusNotifierItem":
            service = body[0] if body[0].startswith(":") else sender
            self.items.append(f"{service}")
            self.log("RegisterStatusNotifierItem", list(body), sender)
            self.conn.send(new_method_return(msg))
            addr = DBusAddress("/StatusNotifierWatcher", interface=WATCHER)
            self.conn.send(new_signal(addr, "StatusNotifierItemRegistered", "s", (service,)))
        elif member == "RegisterStatusNotifierHost":
            self.conn.send(new_method_return(msg))
        elif iface == PROPS and member == "Get":
            props = self.watcher_props()
            if body[1] in props:
                self.conn.send(new_method_return(msg, "v", (props[body[1]],)))
            else:
                self.conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownProperty"))
        elif iface == PROPS and member == "GetAll":
            self.conn.send(new_method_return(msg, "a{sv}", (self.watcher_props(),)))
        elif iface == INTROSPECT:
            self.conn.send(new_method_return(msg, "s", ("<node/>",)))
        else:
            self.conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod"))

    def serve(self) -> None:
        self.own_names()
        print("ready", flush=True)
        while True:
            try:
                msg = self.conn.receive(timeout=0.1)
            except TimeoutError:
                self.send_due_clicks()
                continue
            if msg.header.message_type == MessageType.method_call:
                self.handle(msg)
            self.send_due_clicks()

    def send_due_clicks(self) -> None:
        now = time.monotonic()
        for click in [c for c in self.clicks if c[0] <= now]:
            self.clicks.remove(click)
            _, nid, sender = click
            addr = DBusAddress("/org/freedesktop/Notifications", interface=NOTIFY)
            signal = new_signal(addr, "ActionInvoked", "us", (nid, "default"))
            self.conn.send(signal)
            self.log("ActionInvoked", [nid, "default"], sender)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--record", required=True, type=Path)
    parser.add_argument("--click-after", type=float, default=-1.0)
    parser.add_argument("--capabilities", default=",".join(CAPABILITIES), help="what GetCapabilities says")
    parser.add_argument("--drop-registrations", type=int, default=0)
    args = parser.parse_args()
    capabilities = tuple(args.capabilities.split(","))
    with contextlib.suppress(KeyboardInterrupt):
        StandIn(args.record, args.click_after, capabilities, args.drop_registrations).serve()
    return 0


def read_calls(record: Path, member: str | None = None) -> list[dict[str, Any]]:
    """The recorded calls (optionally of one member), oldest first."""
    if not record.exists():
        return []
    calls = [json.loads(line) for line in record.read_text("utf-8").splitlines() if line.strip()]
    return [c for c in calls if member is None or c["member"] == member]


if __name__ == "__main__":
    sys.exit(main())
