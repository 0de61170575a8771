"""End to end in the owner's language: `LANG=es_ES.UTF-8 traywatch check` in a network namespace
with no route at all says the Spanish summary, while the JSON keeps its codes (`internet_down`).

The expected Spanish is read from the real Spanish catalogue (`render(message, "es")`), never
written here, and must differ from the English: this test fails until the catalogue exists and
translates the internet-down summary.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.support.netns import NoRouteNamespace, skip_unless_netns
from traywatch.i18n import Message, render

pytestmark = pytest.mark.netns

REPO = Path(__file__).resolve().parents[2]

# The core's own round in the namespace, its summary as code and parameters (not as words).
ROUND_AS_CODES = """
import json, time
from traywatch.core.watch.assembly import load_settings
from traywatch.core.watch.engine import Engine
from traywatch.i18n import Message

paths, config = load_settings(None, None)
with Engine(config) as engine:
    rnd = engine.check_once(time.monotonic() + config.check.timeout_s)
summary = rnd.summary
print(json.dumps({
    "verdict": rnd.verdict.value,
    "english": str.__str__(summary),
    "message": summary.to_json() if isinstance(summary, Message) else None,
}))
"""


def environment(home: Path, lang: str) -> dict[str, str]:
    """The system asks for `lang`; nothing that would come before LANG is left set."""
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return {
        "TRAYWATCH_HOME": str(home),
        "PYTHONPATH": path,
        "LANG": lang,
        "LANGUAGE": "",
        "LC_ALL": "",
        "LC_MESSAGES": "",
    }


def write_config(home: Path) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text("[check]\ntimeout = 3\n", "utf-8")


def expected_summary(ns: NoRouteNamespace, home: Path) -> tuple[str, str]:
    """The summary of a no-route round in Spanish (from the real catalogue) and in English."""
    result = ns.run([sys.executable, "-c", ROUND_AS_CODES], env=environment(home, "C"), timeout=60)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"] == "internet_down"
    assert data["message"] is not None, "the core's summary is plain text, not a Message"
    message = Message.from_json(data["message"], data["english"])
    assert isinstance(message, Message), data
    spanish = render(message, "es")
    assert spanish != data["english"], "the Spanish catalogue does not translate the internet-down summary"
    return spanish, data["english"]


def test_no_route_in_spanish_says_the_spanish_summary_and_keeps_the_codes(traywatch_home: Path) -> None:
    skip_unless_netns()
    write_config(traywatch_home)
    with NoRouteNamespace() as ns:
        spanish, english = expected_summary(ns, traywatch_home)
        as_json = ns.run(
            [sys.executable, "-m", "traywatch", "check", "--json"],
            env=environment(traywatch_home, "es_ES.UTF-8"),
            timeout=60,
        )
        # A terminal (a pty from `script`) gets the readable table instead of JSON.
        table = ns.run(
            ["script", "-qec", f"{sys.executable} -m traywatch check", "/dev/null"],
            env=environment(traywatch_home, "es_ES.UTF-8"),
            timeout=60,
        )

    assert as_json.returncode == 3, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["verdict"] == "internet_down"
    assert data["internet"]["state"] == "down"
    assert {s["state"] for s in data["services"]} == {"unknown"}
    assert data["summary"] == spanish
    assert data["summary"] != english

    assert table.returncode == 3, table.stdout + table.stderr
    lines = [line.rstrip("\r") for line in table.stdout.splitlines()]
    assert lines[0] == spanish, table.stdout
    assert english not in table.stdout


def test_lang_on_the_command_line_wins_over_the_system_language(traywatch_home: Path) -> None:
    skip_unless_netns()
    write_config(traywatch_home)
    with NoRouteNamespace() as ns:
        spanish, _ = expected_summary(ns, traywatch_home)
        result = ns.run(
            [sys.executable, "-m", "traywatch", "--lang", "es", "check", "--json"],
            env=environment(traywatch_home, "de_DE.UTF-8"),
            timeout=60,
        )
    assert result.returncode == 3, result.stderr
    data = json.loads(result.stdout)
    assert (data["verdict"], data["summary"]) == ("internet_down", spanish)
