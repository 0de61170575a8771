"""--since and --from/--to: what is accepted, and the clear message for what is not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from traywatch.core.history.period import WindowError, local_midnight, resolve

NOW = datetime(2024, 12, 11, 17, 40, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "seconds"), [("90m", 5400), ("24h", 86400), ("7d", 7 * 86400), ("2w", 14 * 86400)]
)
def test_since_takes_a_number_and_a_unit(text: str, seconds: int) -> None:
    window = resolve(text, None, None, NOW)
    assert window.until == NOW and window.seconds == seconds


def test_the_default_applies_without_options() -> None:
    assert resolve(None, None, None, NOW, default="30d").seconds == 30 * 86400


def test_from_and_to_are_whole_local_days() -> None:
    window = resolve(None, "2024-12-01", "2024-12-10", NOW)
    assert window.since == local_midnight(datetime(2024, 12, 1).date())
    assert window.until == local_midnight(datetime(2024, 12, 11).date())
    assert window.label == "2024-12-01 to 2024-12-10"
    assert resolve(None, "2024-12-10", None, NOW).until == NOW


def test_a_period_reaching_into_the_future_ends_now_and_says_so() -> None:
    today = NOW.astimezone().date().isoformat()
    window = resolve(None, today, today, NOW)
    assert window.since == local_midnight(NOW.astimezone().date())
    assert window.until == NOW and window.label == f"{today} until now"
    week = resolve(None, "2024-12-05", (NOW + timedelta(days=3)).astimezone().date().isoformat(), NOW)
    assert week.until == NOW and week.label == "2024-12-05 until now"


@pytest.mark.parametrize(
    ("since", "start", "end", "message"),
    [
        ("7x", None, None, "number and a unit"),
        ("0d", None, None, "more than zero"),
        ("7d", "2024-12-01", None, "either --since or --from"),
        (None, None, "2024-12-01", "--to needs --from"),
        (None, "2024-13-01", None, "2024-12-11"),
        (None, "11/12/2024", None, "year-month-day"),
        (None, "2024-12-10", "2024-12-01", "before --from"),
        (None, (NOW + timedelta(days=3)).date().isoformat(), None, "in the future"),
    ],
)
def test_mistakes_say_what_is_accepted(
    since: str | None, start: str | None, end: str | None, message: str
) -> None:
    with pytest.raises(WindowError, match=message):
        resolve(since, start, end, NOW)
