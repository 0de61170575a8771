"""Forwarding end to end: `traywatch watch` inside a network namespace with no route (our own
internet is down), a webhook on the shop's own network (loopback inside the namespace). The
confirmed alert reaches it at once; with the webhook unreachable the alert waits in the outbox,
survives a restart, and arrives exactly once when the webhook is back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_netns_check import write_config
from tests.support.forward_run import (
    next_alert,
    outbox_rows,
    start_watch,
    start_webhook,
    stop,
    wait_received,
)
from tests.support.netns import NoRouteNamespace, skip_unless_netns
from tests.support.webhook_server import read_received

pytestmark = pytest.mark.netns

PORT = 8787


def config(kinds: str = "") -> str:
    return (
        "[check]\nconfirm_delay = 0\ntimeout = 2\n"
        + (f"[notifications]\nkinds = {kinds}\n" if kinds else "")
        + f'[forward]\nurls = ["json://127.0.0.1:{PORT}/hook"]\n'
    )


@pytest.fixture
def shop(traywatch_home: Path, tmp_path: Path) -> Iterator[tuple[NoRouteNamespace, Path]]:
    """A shop PC whose internet is down (no route), forwarding to its own webhook's address."""
    skip_unless_netns()
    write_config(traywatch_home, config())
    with NoRouteNamespace() as ns:
        yield ns, tmp_path / "received.jsonl"


def test_a_confirmed_alert_reaches_a_local_webhook_while_the_internet_is_down(
    shop: tuple[NoRouteNamespace, Path], traywatch_home: Path
) -> None:
    ns, received = shop
    start_webhook(ns, PORT, received)
    watch = start_watch(ns, traywatch_home)
    alert, _ = next_alert(watch)
    got = wait_received(received, 1)
    assert stop(watch) == 0
    assert alert["kind"] == "internet_down"
    assert len(got) == 1, got
    body = got[0]["body"]
    assert isinstance(body, dict)
    assert body["title"] == alert["title"] and body["type"] == "failure"
    assert alert["message"] in body["message"]
    assert got[0]["path"] == "/hook"
    assert outbox_rows(traywatch_home) == []


def test_an_undeliverable_alert_waits_in_the_outbox_across_a_restart_and_arrives_once(
    shop: tuple[NoRouteNamespace, Path], traywatch_home: Path
) -> None:
    ns, received = shop
    watch = start_watch(ns, traywatch_home)  # no webhook yet: connection refused
    alert, _ = next_alert(watch)
    deadline = time.monotonic() + 15
    while not (rows := outbox_rows(traywatch_home)) or rows[0][1] < 1:
        assert time.monotonic() < deadline, rows
        time.sleep(0.1)
    assert stop(watch) == 0
    assert rows == [(alert["title"], 1, "internet")]

    # After the restart, only Meta kinds are forwarded: the new run's own "internet down"
    # is not, so whatever arrives is the alert that waited.
    write_config(traywatch_home, config(kinds='["meta_down", "meta_partial"]'))
    start_webhook(ns, PORT, received)
    watch = start_watch(ns, traywatch_home)
    got = wait_received(received, 1)
    time.sleep(3)  # a few more rounds: nothing is sent twice
    assert stop(watch) == 0
    assert len(read_received(received)) == 1
    watch = start_watch(ns, traywatch_home)  # and once more after another restart
    next_alert(watch)
    time.sleep(2)
    assert stop(watch) == 0
    assert len(got) == 1 and len(read_received(received)) == 1
    assert got[0]["body"]["title"] == alert["title"]  # type: ignore[index]
    assert outbox_rows(traywatch_home) == []
