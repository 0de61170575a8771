"""`traywatch watch` records the history too, so a headless always-on shop PC keeps a record."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

from tests.unit.history.synthetic import make_round
from traywatch.cli import main
from traywatch.core.history import HistoryStore
from traywatch.core.models import RoundResult
from traywatch.core.paths import app_paths
from traywatch.core.watch import assembly


class FakeEngine:
    """Rounds without a network: 3 fine, 3 with Instagram down, then Ctrl-C."""

    plan = ((), (), (), ("instagram",), ("instagram",), ("instagram",))

    def __init__(self, config: Any) -> None:
        self.count = 0

    def __enter__(self) -> FakeEngine:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        pass

    def close(self) -> None:
        pass

    def run_round(self, skip: Any = None, os_hint: Any = None, canaries: Any = ()) -> RoundResult:
        if self.count >= len(self.plan):
            raise KeyboardInterrupt
        down = self.plan[self.count]
        self.count += 1
        return make_round(datetime.now(UTC), down=down)


def test_watch_writes_rounds_incidents_and_a_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[check]\nconfirm_delay = 0\n")
    monkeypatch.setattr(assembly, "Engine", FakeEngine)  # the machine is assembled in the core
    assert main(["watch", "--json", "--interval", "0.01", "--config", str(config)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sum(1 for line in lines if line["type"] == "round") == 6

    with HistoryStore.open(app_paths().history_db) as store:
        assert store._conn.execute("SELECT count(*) FROM rounds").fetchone()[0] == 6
        assert store._conn.execute("SELECT end_reason FROM sessions").fetchall() == [("app_stopped",)]
        (incident,) = store.incidents(datetime(2000, 1, 1, tzinfo=UTC), datetime.now(UTC))
    assert incident.services == ("instagram",) and incident.end_reason is not None
    assert incident.end_reason.value == "app_stopped"  # still down when watching was stopped
