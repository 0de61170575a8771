"""README pictures of the history window and the settings dialog, taken from the real app.

    sudo python benchmarks/screenshot_windows.py [--out resources/screenshots] [--keep DIR] [--lang es]

The app (`python -m traywatch --show history`) runs under Xvfb with openbox (window frames) and
trayer (a tray), inside a fake internet of network namespaces (tests/support/netns.py), so its own
checks are real and all green. Its history file is prepared first with three weeks of rounds fed
through the real Monitor and Recorder (tests/ui/helpers/history_db.py): an Instagram outage, a
Meta-wide outage that Meta Status acknowledged, WhatsApp slow, your own internet down, a night
the computer was off. A second start with `--show settings` opens the settings dialog. Clicks and
hovers are real X events (xdotool); pictures come from /usr/bin/import. With `--lang CODE` the
app speaks that language (`[ui] language` in its config) and the pictures are named `*-CODE.png`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.netns import FakeInternet, netns_unavailable_reason  # noqa: E402
from tests.ui.helpers import history_db  # noqa: E402
from tests.ui.helpers.xsession import IMPORT, Xvfb, app_command, app_env, log_text, wait_for  # noqa: E402
from traywatch.i18n import LANGUAGES  # noqa: E402
from traywatch.i18n.catalogs import translation  # noqa: E402

SCREEN = (1400, 960)
CONFIG = """\
# traywatch settings for the shop PC
[check]
interval = 60
timeout = 4

[network]
ca_file = "{ca}"  # the fake internet's own certificate authority

[notifications]
quiet_hours = "22:00-07:00"  # no pop-ups at night

[official]
enabled = false  # Meta Status is not part of the fake internet
"""


def xdotool(x: Xvfb, *args: str) -> str:
    out = subprocess.run(["xdotool", *args], env=x.child_env(), capture_output=True, text=True, timeout=20)
    return out.stdout.strip()


def window_id(x: Xvfb, title: str) -> str:
    found = wait_for(lambda: xdotool(x, "search", "--name", title).split(), 30, f"the window {title!r}")
    return str(found[-1])


def shoot(x: Xvfb, wid: str, path: Path) -> Path:
    subprocess.run([IMPORT, "-frame", "-window", wid, str(path)], env=x.child_env(), check=True, timeout=30)
    return path


SHOW_HTML = """
import sys
from PySide6.QtWidgets import QApplication, QTextBrowser
app = QApplication([])
view = QTextBrowser()
view.setWindowTitle("report preview")
view.setHtml(open(sys.argv[1], encoding="utf-8").read())
view.resize(1000, 820)
view.show()
app.exec()
"""


def shoot_report(x: Xvfb, net: FakeInternet, env: dict[str, str], home: Path, path: Path) -> None:
    """`traywatch report` of the same history, in the app's language, shown by Qt's own HTML view
    (a rich-text widget, not a browser: the page's layout is simpler than in a browser)."""
    page = home / "report.html"
    made = net.run([*app_command("report", "--out", str(page))], env=env, timeout=60)
    if made.returncode != 0:
        raise SystemExit(f"traywatch report failed: {made.stderr}")
    viewer = subprocess.Popen([sys.executable, "-c", SHOW_HTML, str(page)], env=env)
    try:
        wid = window_id(x, "report preview")
        xdotool(x, "windowmove", wid, "80", "50")
        time.sleep(1.0)
        shoot(x, wid, path)
        print(f"wrote {path}")
    finally:
        viewer.terminate()
        viewer.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "resources" / "screenshots")
    parser.add_argument("--keep", type=Path, help="keep the app's home folder here")
    parser.add_argument("--lang", default="en", choices=list(LANGUAGES), help="the app's language")
    args = parser.parse_args()
    words = translation(args.lang)
    suffix = "" if args.lang == "en" else f"-{args.lang}"
    reason = netns_unavailable_reason()
    if reason:
        sys.exit(f"cannot build the fake internet: {reason}")
    home = Path(tempfile.mkdtemp(prefix="traywatch-shots-"))
    end = datetime.now(UTC).replace(second=0, microsecond=0)
    print("preparing three weeks of history…")
    history_db.build(home / "data" / "history.sqlite3", end, days=21)
    args.out.mkdir(parents=True, exist_ok=True)
    with FakeInternet() as net, Xvfb(SCREEN) as x:
        (home / "config").mkdir(parents=True, exist_ok=True)
        (home / "config" / "config.toml").write_text(
            CONFIG.format(ca=net.ca_file) + f'\n[ui]\nlanguage = "{args.lang}"\n', "utf-8"
        )
        wm = subprocess.Popen(
            ["openbox"], env=x.child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        x.start_trayer()
        env = x.child_env(app_env(home))
        app = net.popen(app_command("--show", "history"), env=env)
        try:
            wait_for(lambda: "tray icon now ok" in log_text(home), 60, "a first all-green check")
            history = window_id(x, words.gettext("traywatch — history"))
            xdotool(x, "windowmove", history, "40", "30")
            xdotool(x, "windowsize", history, "1300", "860")
            time.sleep(1.5)  # the window re-reads after its resize and the first rounds
            # select the Meta-wide outage (second row: newest first), point at Instagram's band then
            xdotool(x, "mousemove", "--window", history, "300", "481", "click", "1")
            time.sleep(0.5)
            xdotool(x, "mousemove", "--window", history, "878", "145")
            time.sleep(0.3)  # the caption follows at once; the tooltip would cover the table
            shoot(x, history, args.out / f"history-window{suffix}.png")
            print(f"wrote {args.out / f'history-window{suffix}.png'}")

            second = net.popen(app_command("--show", "settings"), env=env)
            second.wait(30)
            settings = window_id(x, words.gettext("traywatch — settings"))
            xdotool(x, "windowmove", settings, "60", "40")
            time.sleep(1.0)
            shoot(x, settings, args.out / f"settings-dialog{suffix}.png")
            print(f"wrote {args.out / f'settings-dialog{suffix}.png'}")
            shoot_report(x, net, env, home, args.out / f"report{suffix}.png")
            if args.lang == "en":  # the Notifications page's keyboard letter differs by language
                xdotool(x, "windowactivate", "--sync", settings)
                xdotool(x, "key", "--window", settings, "alt+n")  # the Notifications page, by keyboard
                time.sleep(0.6)
                shoot(x, settings, args.out / "settings-notifications.png")
                print(f"wrote {args.out / 'settings-notifications.png'}")
        finally:
            app.terminate()
            try:
                app.wait(15)
            except subprocess.TimeoutExpired:
                app.kill()
            wm.terminate()
    if args.keep:
        shutil.copytree(home, args.keep, dirs_exist_ok=True)
    shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
