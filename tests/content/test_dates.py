"""dates.today: KB_TODAY fixes "today" for reproducible builds; a bad value is a plain TodayError."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.content.dates import TodayError, fix_build_date, today


def test_the_tests_run_on_kb_today():
    assert today() == dt.date(2026, 11, 23)  # set by tests/conftest.py


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-03-12", dt.date(2026, 3, 12)),
        ("  2026-03-12\n", dt.date(2026, 3, 12)),
        ("2024-02-29", dt.date(2024, 2, 29)),
    ],
)
def test_kb_today_is_read_as_a_date(monkeypatch, value, expected):
    monkeypatch.setenv("KB_TODAY", value)
    assert today() == expected


@pytest.mark.parametrize("value", [None, "", "   "], ids=["unset", "empty", "blank"])
def test_without_kb_today_it_is_the_real_date(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("KB_TODAY", raising=False)
    else:
        monkeypatch.setenv("KB_TODAY", value)
    before = dt.date.today()
    found = today()
    assert before <= found <= dt.date.today()  # either side of midnight, never KB_TODAY of the tests


@pytest.mark.parametrize("value", ["tomorrow", "12/03/2026", "2026-02-30", "2026-13-01"])
def test_a_bad_kb_today_says_what_it_is_and_how_to_fix_it(monkeypatch, value):
    monkeypatch.setenv("KB_TODAY", f" {value} ")
    with pytest.raises(TodayError) as raised:
        today()
    assert str(raised.value) == (f"KB_TODAY is '{value}', which is not a date. Fix: set it as KB_TODAY=2026-03-12, or unset it.")
    assert raised.value.__cause__ is None and raised.value.__suppress_context__  # no chained traceback for people


def test_today_error_is_a_value_error():
    assert issubclass(TodayError, ValueError)


def test_kb_today_fixes_the_build_date_mkdocs_writes(monkeypatch):
    """The sitemap's <lastmod> follows KB_TODAY (through SOURCE_DATE_EPOCH), so two builds either side of midnight agree."""
    from mkdocs.utils import get_build_date

    monkeypatch.setenv("KB_TODAY", "2026-11-23")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    fix_build_date()
    assert get_build_date() == "2026-11-23"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # set by whoever runs the build: theirs is kept
    fix_build_date()
    assert get_build_date() == "1970-01-01"


def test_without_kb_today_the_build_date_is_the_real_one(monkeypatch):
    monkeypatch.delenv("KB_TODAY", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    fix_build_date()
    assert "SOURCE_DATE_EPOCH" not in __import__("os").environ
