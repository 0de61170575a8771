"""The tray app forwards: in a fake internet of our own (network namespaces), Meta's addresses are
dropped, then restored; a webhook on the shop's own network receives the same alerts the desktop
shows — Meta down, then the recovery with its duration."""

from __future__ import annotations

import time
from pathlib import Path

from tests.e2e.test_tray_notifications import notifications, session_command, xvfb  # noqa: F401
from tests.support.forward_run import start_webhook, wait_received
from tests.ui.helpers.xsession import Xvfb, app_env, log_text, stop_group, wait_for, write_config

PORT = 8788


def test_the_tray_forwards_meta_down_and_the_recovery_with_its_duration(
    xvfb: Xvfb,  # noqa: F811
    traywatch_home: Path,
    tmp_path: Path,
) -> None:
    from tests.support.netns import FakeInternet

    record, received = tmp_path / "calls.jsonl", tmp_path / "received.jsonl"
    with FakeInternet() as net:
        write_config(
            traywatch_home,
            "[check]\ntimeout = 2\nconfirm_delay = 1\nbackoff_cap = 10\n"
            f'[network]\nca_file = "{net.ca_file}"\n'
            f'[forward]\nurls = ["json://127.0.0.1:{PORT}/hook"]\n',
        )
        start_webhook(net, PORT, received)
        proc = net.popen(
            session_command(record, "--interval", "2"),
            env=xvfb.child_env(app_env(traywatch_home)),
            start_new_session=True,
        )
        try:
            wait_for(lambda: "tray icon now ok" in log_text(traywatch_home), 20, "a confirmed 'all fine'")
            net.drop("meta")
            assert len(wait_received(received, 1, 20)) == 1, "the Meta alert was not forwarded"
            net.undrop()
            wait_for(lambda: len(notifications(record)) >= 2, 30, "the recovery notification")
            got = wait_received(received, 2, 10)
            time.sleep(3)  # room for a wrong extra message
        finally:
            stop_group(proc)
        wait_for(lambda: "traywatch stopped" in log_text(traywatch_home), 10, "a clean exit")
    shown = notifications(record)
    forwarded = [r["body"] for r in wait_received(received, 99, 0)]
    assert len(got) == 2 and len(forwarded) == 2, forwarded
    assert [f["title"] for f in forwarded] == [n["title"] for n in shown]  # type: ignore[index]
    down, back = forwarded
    assert down["title"].startswith("Meta is down: Facebook, Instagram") and down["type"] == "failure"  # type: ignore[index]
    assert back["message"].startswith("Working again after") and back["type"] == "success"  # type: ignore[index]
