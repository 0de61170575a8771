"""Locale formats: every language says numbers, lists, durations, dates and times as CLDR does
(checked against Babel itself), from a shipped data file that is never stale; Babel stays out of
the running app."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest
from babel import Locale
from babel.dates import format_skeleton, format_time
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.units import format_unit
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.packaging.helpers import load_build_module
from traywatch.i18n import LANGUAGES, formats

cldr_formats = load_build_module("i18n/cldr_formats")
CLDR = cldr_formats.LOCALES  # our code -> the CLDR locale (English: en_GB)
OTHERS = [code for code in LANGUAGES if code != "en"]
UNIT_SYMBOLS_EN = {"second": "s", "minute": "min", "hour": "h", "day": "d"}
MOMENTS = st.datetimes(datetime(1990, 1, 1), datetime(2090, 12, 31), timezones=st.just(UTC))
FLOATS = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False) | st.sampled_from(
    [2.25, 2.675, 0.05, -0.04]
)


def babel_unit(count: int, unit: str, lang: str) -> str:
    if lang == "en":  # English keeps traywatch's SI-style symbols (cldr_formats.ENGLISH)
        return f"{format_decimal(count, locale='en_GB')} {UNIT_SYMBOLS_EN[unit]}"
    return format_unit(count, f"duration-{unit}", length="short", locale=CLDR[lang])


def babel_duration(seconds: float, lang: str) -> str:
    """The same breakdown as formats.duration, each part and their pairing said by Babel."""
    s = max(0, round(seconds))
    if s < 60:
        return babel_unit(s, "second", lang)
    if s < 3600:
        return babel_unit(s // 60, "minute", lang)
    big, small = (s // 3600, s // 60 % 60), ("hour", "minute")
    if s >= 86400:
        big, small = (s // 86400, s // 3600 % 24), ("day", "hour")
    if not big[1]:
        return babel_unit(big[0], small[0], lang)
    parts = [babel_unit(big[0], small[0], lang), babel_unit(big[1], small[1], lang)]
    return format_list(parts, style="unit-narrow", locale=CLDR[lang])


def babel_time(local: datetime, lang: str) -> str:
    return format_time(local, "short", tzinfo=local.tzinfo, locale=CLDR[lang])


def babel_date(local: datetime, skeleton: str, lang: str) -> str:
    return format_skeleton(skeleton, local, tzinfo=local.tzinfo, fuzzy=False, locale=CLDR[lang])


def babel_glue(lang: str) -> str:
    return "{1} {0}" if lang == "en" else Locale.parse(CLDR[lang]).datetime_formats["medium"]


# -- English as traywatch has always said it -------------------------------------------------------
@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(45, "45 s"), (720, "12 min"), (2 * 3600 + 14 * 60, "2 h 14 min"), (3 * 86400 + 4 * 3600, "3 d 4 h")],
)
def test_english_durations_keep_their_wording(seconds: float, expected: str) -> None:
    assert formats.duration(seconds, "en") == expected


def test_english_times_dates_and_lists_keep_their_wording() -> None:
    at, today = datetime(2026, 3, 5, 14, 5).astimezone(), datetime(2026, 3, 5, 18, 0).astimezone()
    assert formats.clock(at, "en", now=today) == "14:05"
    assert formats.clock(at, "en", now=today + timedelta(days=3)) == "5 Mar 14:05"
    assert formats.clock(at, "en", now=today + timedelta(days=365)) == "5 Mar 2026 14:05"
    assert formats.list_join(["A", "B", "C"], "en") == "A, B and C"
    assert (formats.date(at, "en"), formats.month_day(at, "en")) == ("5 Mar 2026", "5 Mar")
    assert formats.weekday_time(at, "en") == "Thu 14:05"


def test_an_unknown_language_is_formatted_as_english() -> None:
    assert formats.duration(3 * 86400, "xx") == "3 d"
    assert formats.decimal(1234.5, 1, "xx") == "1,234.5"


# -- every language as Babel says it ---------------------------------------------------------------
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_durations_are_said_as_babel_says_each_unit(lang: str) -> None:
    values = [0, 1, 2, 45, 59, 60, 61, 119, 3599, 3600, 7200, 2 * 3600 + 14 * 60, 86399, 86400]
    values += [n * 86400 + h * 3600 for n in (1, 2, 3, 21, 400, 1001, 12345) for h in (0, 1, 4)]
    values += [n * 60 for n in range(1, 60)] + [n * 3600 for n in range(1, 24)] + [-5]
    for seconds in values:
        assert formats.duration(seconds, lang) == babel_duration(seconds, lang), seconds


@pytest.mark.parametrize("lang", OTHERS)
def test_the_plural_forms_of_units_follow_the_language(lang: str) -> None:
    for n in [*range(1, 130), 1000, 1001, 1_000_000, 2_000_000]:
        assert formats.duration(n * 86400, lang) == babel_unit(n, "day", lang), n


def test_portuguese_days_have_a_singular_and_a_plural() -> None:
    assert (formats.duration(86400, "pt_BR"), formats.duration(3 * 86400, "pt_BR")) == ("1 dia", "3 dias")


@pytest.mark.parametrize("lang", list(LANGUAGES))
@settings(max_examples=150, deadline=None)
@given(items=st.lists(st.text(min_size=1, max_size=8), max_size=7))
def test_lists_are_joined_as_babel_joins_them(lang: str, items: list[str]) -> None:
    assert formats.list_join(items, lang) == format_list(items, locale=CLDR[lang])


@pytest.mark.parametrize("lang", list(LANGUAGES))
@settings(max_examples=200, deadline=None)
@given(value=st.integers(min_value=-(10**15), max_value=10**15))
def test_integers_are_grouped_as_babel_groups_them(lang: str, value: int) -> None:
    assert formats.integer(value, lang) == format_decimal(value, locale=CLDR[lang])


@pytest.mark.parametrize("lang", list(LANGUAGES))
@settings(max_examples=200, deadline=None)
@given(value=FLOATS, digits=st.integers(min_value=0, max_value=3))
def test_decimals_are_rounded_and_marked_as_babel_does(lang: str, value: float, digits: int) -> None:
    whole = Locale.parse(CLDR[lang]).decimal_formats[None].pattern.split(".")[0]
    pattern = whole + ("." + "0" * digits if digits else "")
    assert formats.decimal(value, digits, lang) == format_decimal(value, format=pattern, locale=CLDR[lang])


@pytest.mark.parametrize("lang", list(LANGUAGES))
@settings(max_examples=150, deadline=None)
@given(moment=MOMENTS)
def test_times_and_dates_are_said_as_babel_says_them(lang: str, moment: datetime) -> None:
    local = moment.astimezone()
    assert formats.time_of_day(moment, lang) == babel_time(local, lang)
    assert formats.date(moment, lang) == babel_date(local, "yMMMd", lang)
    assert formats.month_day(moment, lang) == babel_date(local, "MMMd", lang)
    assert formats.date(moment, lang, weekday=True) == babel_date(local, "yMMMEd", lang)
    assert formats.date(moment, lang, year=False, weekday=True) == babel_date(local, "MMMEd", lang)
    hours = "Ehm" if "h" in Locale.parse(CLDR[lang]).time_formats["short"].pattern else "EHm"
    assert formats.weekday_time(moment, lang) == babel_date(local, hours, lang)
    said = babel_glue(lang).replace("{0}", babel_time(local, lang))
    assert formats.date_time(moment, lang) == said.replace("{1}", babel_date(local, "yMMMd", lang))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_hour_of_the_day_is_said_as_babel_says_it(lang: str) -> None:
    zone = timezone(timedelta(hours=5, minutes=30))  # the time is the local one, whatever the zone
    for hour in range(24):
        moment = datetime(2026, 7, 9, hour, 7, tzinfo=zone)
        assert formats.time_of_day(moment, lang) == babel_time(moment.astimezone(), lang)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_date_is_given_with_the_time_only_when_it_is_not_today(lang: str) -> None:
    now = datetime(2026, 3, 5, 23, 0).astimezone()
    earlier, yesterday, last_year = (now - timedelta(hours=h) for h in (2, 24, 400 * 24))
    assert formats.clock(earlier, lang, now=now) == babel_time(earlier, lang)
    said = babel_glue(lang).replace("{0}", babel_time(yesterday, lang))
    assert formats.clock(yesterday, lang, now=now) == said.replace("{1}", babel_date(yesterday, "MMMd", lang))
    assert str(last_year.year) in formats.clock(last_year, lang, now=now)


def test_every_month_name_is_babels() -> None:
    for lang in LANGUAGES:
        for month in range(1, 13):
            day = datetime(2026, month, 15, 12, 0).astimezone()
            assert formats.month_day(day, lang) == babel_date(day, "MMMd", lang)


# -- the shipped data ------------------------------------------------------------------------------
def test_the_shipped_data_file_equals_a_fresh_generation() -> None:
    fresh = cldr_formats.generate()
    assert formats.DATA_FILE.read_text(encoding="utf-8") == fresh, (
        "traywatch/i18n/cldr.json is stale: run python packaging/i18n/cldr_formats.py"
    )


def test_the_data_covers_every_language() -> None:
    assert set(cldr_formats.LOCALES) == set(LANGUAGES)


def test_the_running_app_does_not_import_babel() -> None:
    code = (
        "import sys, datetime; import traywatch.i18n, traywatch.i18n.formats as f; "
        "from traywatch.i18n import Duration, Names, Template, render; "
        "t = Template('t.x', '{a} {b}'); "
        "m = t(a=Duration(8000), b=Names(['A', 'B', 'C'])); "
        "[render(m, lang) for lang in traywatch.i18n.LANGUAGES]; "
        "at = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC); "
        "[f.clock(at, lang) for lang in traywatch.i18n.LANGUAGES]; "
        "assert 'babel' not in sys.modules, sorted(n for n in sys.modules if 'babel' in n); "
        "assert 'decimal' not in sys.modules and '_decimal' not in sys.modules"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
