"""A start-up problem in the tray menu (a broken settings file) is said again in the language
chosen later in Settings › General › Language, not left in the one it was first said in."""

from __future__ import annotations

import argparse
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.test_ui_language_switch import choose, controller  # noqa: F401  (the fixture)
from traywatch.ui.app import _load_or_defaults
from traywatch.ui.controller import AppController
from traywatch.ui.status_text import problem_line


def _problem_texts(app: AppController) -> list[str]:
    return [a.text() for a in app.tray.menu.actions() if a.objectName() == "problem"]


def test_a_start_up_problem_in_the_menu_is_said_again_after_a_language_switch(
    controller: AppController,  # noqa: F811
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    app = controller
    broken = tmp_path / "broken.toml"
    broken.write_text("[check]\ninterval = 'soon'\n", "utf-8")
    problems = _load_or_defaults(argparse.Namespace(config=str(broken), interval=None))[2]
    app.report_problems(problems)
    app.tray.menu.rebuild()
    [before] = _problem_texts(app)
    assert before == problem_line(problems[0]) and "must be a number" in before and "[[" not in before
    app.show_window("settings")

    choose(app, qtbot, "de")

    [after] = _problem_texts(app)
    assert after.startswith("\u26a0 [[") and after == problem_line(problems[0])
    choose(app, qtbot, "auto")
    assert _problem_texts(app) == [before]
