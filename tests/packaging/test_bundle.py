"""The frozen one-folder app (PyInstaller), built once for the module and run for real.

It must print its version, pass its self-check with and without a display, find its keyring
backends and resources, say `internet_down` (exit 3) in a network namespace with no route, and
start the tray app under Xvfb. Set TRAYWATCH_BUNDLE to a built dist/traywatch (or its executable)
to test that instead of building (the build takes about a minute on two cores).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.packaging.helpers import PACKAGING, REPO_ROOT
from tests.packaging.selfcheck_report import parse_report
from tests.packaging.xdisplay import display_with_tray, missing_tools
from tests.support.netns import NoRouteNamespace, skip_unless_netns
from tests.support.webhook_server import running_webhook
from traywatch import __version__

pytestmark = [pytest.mark.bundle, pytest.mark.timeout(900)]

BUNDLE_ENV = "TRAYWATCH_BUNDLE"
HIDDEN_ENV = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "DBUS_SESSION_BUS_ADDRESS", "PYTHONPATH")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The frozen executable: TRAYWATCH_BUNDLE's, or one built by packaging/build.sh --onedir-only."""
    given = os.environ.get(BUNDLE_ENV)
    if given:
        path = Path(given)
        exe = path / "traywatch" if path.is_dir() else path
        assert exe.is_file(), f"{BUNDLE_ENV}={given}: no traywatch executable there"
        yield exe
        return
    if not sys.platform.startswith("linux"):
        pytest.skip("the bundle is built and tested on Linux")
    root = tmp_path_factory.mktemp("bundle")
    log = root / "build.log"
    with log.open("w") as out:
        result = subprocess.run(
            ["bash", str(PACKAGING / "build.sh"), "--onedir-only", "--dist", str(root / "dist"),
             "--work", str(root / "work")],
            env={**os.environ, "PYTHON": sys.executable},
            stdout=out, stderr=subprocess.STDOUT, timeout=840, check=False, cwd=REPO_ROOT,
        )  # fmt: skip
    output = log.read_text()
    assert result.returncode == 0, f"packaging/build.sh failed:\n{output[-6000:]}"
    print(output.splitlines()[-1])  # sizes and build time, shown with -s
    yield root / "dist" / "traywatch" / "traywatch"


def run(
    exe: Path, *args: str, home: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in HIDDEN_ENV}
    clean |= {"TRAYWATCH_HOME": str(home), "XDG_CONFIG_HOME": str(home / "xdg")} | (env or {})
    return subprocess.run(
        [str(exe), *args], env=clean, capture_output=True, text=True, timeout=120, cwd=home.parent
    )


ONEDIR_LIMIT_MB = 120  # the target; README reports the measured size


def test_the_one_folder_bundle_stays_within_its_size_target(bundle: Path) -> None:
    size = sum(f.lstat().st_size for f in bundle.parent.rglob("*") if f.is_file() and not f.is_symlink())
    assert size / 1e6 <= ONEDIR_LIMIT_MB, (
        f"dist/traywatch is {size / 1e6:.1f} MB: something unused is bundled again "
        "(see packaging/trim.py; the small ICU data needs a C compiler at build time)"
    )


def test_the_bundle_carries_the_locale_formats_and_every_compiled_catalogue(bundle: Path) -> None:
    internal = bundle.parent / "_internal"
    assert (internal / "traywatch" / "i18n" / "cldr.json").is_file()
    for mo in (REPO_ROOT / "traywatch" / "i18n" / "locale").glob("*/LC_MESSAGES/traywatch.mo"):
        assert (internal / mo.relative_to(REPO_ROOT)).is_file(), mo


def test_version(bundle: Path, traywatch_home: Path) -> None:
    result = run(bundle, "--version", home=traywatch_home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"traywatch {__version__}"


def test_self_check_offscreen_finds_everything_inside_the_bundle(bundle: Path, traywatch_home: Path) -> None:
    result = run(bundle, "--self-check", home=traywatch_home, env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    report = parse_report(result.stdout)
    internal = bundle.parent / "_internal"
    assert report["frozen"] == f"yes (PyInstaller bundle unpacked in {internal})"
    assert report["resources"] == str(internal / "resources")
    assert report["folders"] == f"chosen by TRAYWATCH_HOME={traywatch_home}"
    assert report["Qt platform"] == "offscreen"
    assert report["Qt plugins"] == str(internal / "PySide6" / "Qt" / "plugins")
    assert report["system tray"].startswith("no")
    assert report["Qt text"].endswith("ok")  # collation, case mapping, time zones on the small ICU
    assert {"SecretService", "chainer", "fail"} <= set(report["keyring backends"].split(", "))
    assert report["keyring"].startswith("none: ") and "DBUS_SESSION_BUS_ADDRESS" in report["keyring"]
    assert report["login command"] == str(bundle)
    if (REPO_ROOT / "traywatch" / "ui" / "app.py").is_file():
        assert report["tray UI"] == "importable"


def test_self_check_without_any_display_still_exits_0(bundle: Path, traywatch_home: Path) -> None:
    result = run(bundle, "--self-check", home=traywatch_home)
    assert result.returncode == 0, result.stderr
    assert parse_report(result.stdout)["Qt platform"] == "offscreen"


def test_check_json_in_a_namespace_without_route_says_internet_down(
    bundle: Path, traywatch_home: Path
) -> None:
    skip_unless_netns()
    env = {"TRAYWATCH_HOME": str(traywatch_home), "PYTHONPATH": ""}
    with NoRouteNamespace() as ns:
        result = ns.run([str(bundle), "check", "--json"], env=env, timeout=60)
    assert result.returncode == 3, result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"] == "internet_down"
    assert data["internet"]["state"] == "down"
    assert {s["state"] for s in data["services"]} == {"unknown"}
    assert len(data["services"]) == 7


needs_display = pytest.mark.skipif(
    bool(missing_tools()), reason=f"apt-get install {' '.join(missing_tools())}"
)
needs_keyring = pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
    reason="apt-get install dbus gnome-keyring",
)


@needs_display
@needs_keyring
def test_self_check_under_xvfb_sees_the_tray_and_the_secret_service(
    bundle: Path, traywatch_home: Path
) -> None:
    home = traywatch_home.parent / "user-home"
    home.mkdir()
    unlock = 'eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"; exec "$@"'
    with display_with_tray() as display:
        result = run(
            Path("dbus-run-session"),
            "--", "sh", "-c", unlock, "sh", str(bundle), "--self-check",
            home=traywatch_home,
            env={"DISPLAY": display, "HOME": str(home), "XDG_DATA_HOME": str(home / "data")},
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = parse_report(result.stdout[result.stdout.index("traywatch ") :])
    assert report["Qt platform"] == "xcb (tried: xcb;offscreen)"
    assert report["system tray"] == "yes"
    assert report["keyring"] == "keyring.backends.SecretService.Keyring (priority 5)"


@needs_display
def test_the_tray_app_starts_under_xvfb_and_quits_on_sigterm(bundle: Path, traywatch_home: Path) -> None:
    skip_unless_netns()  # no route: the app's checks cannot reach the internet
    env = {"TRAYWATCH_HOME": str(traywatch_home), "XDG_CONFIG_HOME": str(traywatch_home / "xdg")}
    with display_with_tray() as display, NoRouteNamespace() as ns:
        proc = ns.popen(
            [str(bundle)],
            env={**env, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(5)
        running = proc.poll() is None
        proc.send_signal(signal.SIGTERM)
        try:
            _out, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            _out, err = proc.communicate()
            pytest.fail(f"the tray app did not quit on SIGTERM: {err[-3000:]}")
    assert running, f"the tray app exited early ({proc.returncode}): {err[-3000:]}"
    assert proc.returncode == 0, err[-3000:]
    log_text = (traywatch_home / "logs" / "traywatch.log").read_text()
    assert "CRITICAL" not in log_text and "Traceback" not in log_text, log_text[-3000:]


def test_the_menu_entry_installs_from_the_unpacked_bundle(bundle: Path, tmp_path: Path) -> None:
    script = bundle.parent / "install-desktop.sh"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    entry = (tmp_path / "data" / "applications" / "traywatch.desktop").read_text()
    assert f"\nExec={bundle}\n" in entry
    assert (tmp_path / "data" / "icons" / "hicolor" / "256x256" / "apps" / "traywatch.png").is_file()


def test_forward_test_from_the_bundle_reaches_a_local_webhook(bundle: Path, traywatch_home: Path) -> None:
    """Apprise loads its plugins from files: the bundle must carry them (and what they import)."""
    with running_webhook() as (port, got):
        (traywatch_home / "config").mkdir(parents=True, exist_ok=True)
        (traywatch_home / "config" / "config.toml").write_text(
            f'[forward]\nurls = ["json://127.0.0.1:{port}/hook", "mailto://127.0.0.1:9?from=shop@example.com&to=a@example.com"]\n'
        )
        result = run(bundle, "forward", "test", home=traywatch_home)
    assert result.returncode == 1, result.stdout + result.stderr  # the mail target cannot be reached
    assert f"ok      json://127.0.0.1:{port}/hook" in result.stdout
    assert "FAILED  mailto://127.0.0.1:9" in result.stdout
    assert len(got) == 1 and got[0]["body"]["title"] == "traywatch: test message"
