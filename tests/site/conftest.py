"""Fixtures shared by the site tests: a small in-memory catalogue with a draft, a members-only entry and future meetings."""

from __future__ import annotations

import pytest

from tests.factories import catalogue, entry


def case(ref, date="2026-03-01", networks=("equity",), tags=(), **meta):
    e = entry(ref, date=date, networks=networks, tags=tags)
    e.meta.update(meta)
    return e


@pytest.fixture
def cat():
    return catalogue(
        [
            case(
                "case-studies/a",
                "2026-03-01",
                ["equity"],
                ["coaching"],
                approach="enquiring",
                brokerage=["relationships"],
                phases=["primary"],
            ),
            case(
                "case-studies/b",
                "2025-06-01",
                ["equity", "send"],
                ["coaching", "send"],
                approach="consulting",
                phases=["primary", "secondary"],
            ),
            case("case-studies/zanzibarquill", "2026-05-01", ["send"], ["oracy"], approach="directing", status="draft"),
            case("case-studies/quokkamembers", "2026-05-02", ["send"], ["oracy"], approach="landscaping", visibility="members"),
            entry("minutes/equity/2026-12-03", date="2026-12-03", tags=["attendance"]),
            entry("minutes/equity/2027-01-14", date="2027-01-14"),
            entry("minutes/equity/2026-10-08", date="2026-10-08"),
            entry("networks/equity", date=None, networks=()),
            entry("networks/send", date=None, networks=()),
        ]
    )
