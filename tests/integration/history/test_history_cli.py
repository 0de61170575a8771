"""`traywatch history` and `traywatch report` end to end through `traywatch.cli.main`, reading
a history file recorded by the real Recorder in this test's TRAYWATCH_HOME."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.unit.history.synthetic import IDS, Driver
from traywatch.cli import main
from traywatch.core.history import Recorder
from traywatch.core.paths import app_paths


@pytest.fixture
def recorded() -> datetime:
    """Two hours ago: 10 min fine, 30 min Instagram down, 5 min our internet down, 10 min Meta
    down, 10 min fine. Returns when recording started."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    driver = Driver(start=start)
    with Recorder(app_paths().history_db, interval_s=60, clock=driver.clock) as rec:
        driver.listeners.append(rec)
        driver.rounds(10)
        driver.rounds(30, down=["instagram"], summary="Instagram is down; =SUM(A1) <script>x</script>")
        driver.rounds(5, internet="down")
        driver.rounds(10, down=IDS)
        driver.rounds(10)
    return start


def test_history_json_has_uptime_and_incidents(
    recorded: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "--since", "1d", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [u["id"] for u in data["uptime"]][:2] == ["facebook", "instagram"]
    ig = next(u for u in data["uptime"] if u["id"] == "instagram")
    assert (ig["down_s"], ig["internet_down_s"], ig["observed_s"]) == (40 * 60, 5 * 60, 60 * 60)
    assert data["internet"]["down_s"] == 300
    kinds = [i["kind"] for i in data["incidents"]]
    assert kinds.count("meta") == 1 and kinds.count("internet") == 1 and kinds.count("service") == 7
    meta = next(i for i in data["incidents"] if i["kind"] == "meta")
    assert sorted(meta["services"]) == sorted(IDS)


def test_history_table_on_a_terminal(recorded: datetime, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert "Uptime, counted only while your internet worked" in out
    assert "Instagram down" in out and "Meta-wide outage" in out and "Your internet down" in out
    assert "down or limited for 5 min of it" in out


def test_history_for_one_service(recorded: datetime, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--service", "whatsapp", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [u["id"] for u in data["uptime"]] == ["whatsapp"]
    assert sorted(i["kind"] for i in data["incidents"]) == ["meta", "service"]


def test_history_csv_is_neutralised(recorded: datetime, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    ig = next(r for r in rows if r["what"] == "Instagram down")
    assert ig["summary"].startswith("Instagram is down")
    assert all(not c.startswith(("=", "+", "-", "@")) for r in rows for c in r.values() if c)


def test_history_from_to_dates(recorded: datetime, capsys: pytest.CaptureFixture[str]) -> None:
    today = datetime.now().date()
    args = ["history", "--from", (today - timedelta(days=1)).isoformat(), "--to", today.isoformat(), "--json"]
    assert main(args) == 0
    assert len(json.loads(capsys.readouterr().out)["incidents"]) == 9


def test_an_empty_history_is_not_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert "nothing recorded in this period" in out and "No incidents" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["history", "--service", "myspace"], "unknown service"),
        (["history", "--since", "yesterday"], "use a number and a unit"),
        (["history", "--from", "2024-31-12"], "use a date such as"),
        (["history", "--since", "7d", "--to", "2024-12-01"], "either --since or --from"),
        (["report", "--from", "2024-12-10", "--to", "2024-12-01"], "before --from"),
    ],
)
def test_mistakes_exit_2_with_a_clear_message(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_report_writes_a_self_contained_page(
    recorded: datetime, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "outages.html"
    assert main(["report", "--since", "30d", "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    page = out.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "http://" not in page and "https://" not in page
    assert page.count("<tr") >= 1 + 7 + 1 + 9  # uptime header + rows, incidents header + rows


def test_report_default_name_in_the_current_folder(
    recorded: datetime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["report"]) == 0
    (page,) = tmp_path.glob("traywatch-report-*.html")
    assert "Outage report" in page.read_text("utf-8")


def test_report_csv_to_the_screen(recorded: datetime, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--csv", "--out", "-"]) == 0
    text = capsys.readouterr().out
    assert "uptime_pct" in text and "your internet working?" in text
    assert "'=SUM(A1)" not in text  # the summary starts with "Instagram", so it needs no quote
    rows = list(csv.reader(io.StringIO(text)))
    assert any(r and r[0] == "instagram" for r in rows)


def test_report_cannot_write_is_exit_2(
    recorded: datetime, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--out", str(tmp_path / "no" / "such" / "folder" / "r.html")]) == 2
    assert "cannot write the report" in capsys.readouterr().err
