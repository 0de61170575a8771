"""A forwarding URL with a password, for real: `traywatch forward add` (URL piped in) stores it in a
real Secret Service (gnome-keyring in a private D-Bus session); the settings file keeps only the
masked URL and a keyring reference; `traywatch forward test` reads it back and logs in to a local
SMTP server with it; no file traywatch writes holds the password."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.test_keyring_secret_service import (
    REPO,
    UNLOCK,
    environment,
    needs_secret_service,
)
from tests.support.smtp_sink import SmtpSink

PASSWORD = "Sh0pMailPassw0rd-7731"


@needs_secret_service
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # loopback only
def test_a_url_password_lives_in_the_keyring_and_the_test_message_logs_in_with_it(
    tmp_path: Path, traywatch_home: Path
) -> None:
    env = environment(tmp_path, traywatch_home)
    with SmtpSink(password=PASSWORD.encode()) as smtp:
        url = f"mailto://shop:{PASSWORD}@127.0.0.1:{smtp.port}?from=shop@example.com&to=owner@example.com"
        script = (
            f"printf '%s\\n' '{url}' | {sys.executable} -m traywatch forward add && "
            f"{sys.executable} -m traywatch forward test && {sys.executable} -m traywatch forward status"
        )
        result = subprocess.run(
            ["dbus-run-session", "--", "sh", "-c", UNLOCK, "sh", "sh", "-c", script],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=90,
        )
        mails = smtp.wait(1)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "its secret is in the keyring" in result.stdout
    assert "ok      mailto://shop:****@127.0.0.1" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr
    config = (traywatch_home / "config" / "config.toml").read_text()
    assert 'secret = "keyring:forward-' in config and "shop:****@127.0.0.1" in config
    assert smtp.logins == [(b"shop", PASSWORD.encode())]
    assert len(mails) == 1 and mails[0]["Subject"] == "traywatch: test message"
    leaks = [p for p in traywatch_home.rglob("*") if p.is_file() and PASSWORD.encode() in p.read_bytes()]
    assert leaks == []


def test_a_meta_target_is_refused_by_forward_add(traywatch_home: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "traywatch", "forward", "add", "whatsapp://tok3n@12345/15551234567"],
        env={"TRAYWATCH_HOME": str(traywatch_home), "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "not added: WhatsApp is a Meta service" in result.stderr
    assert not (traywatch_home / "config" / "config.toml").exists()
