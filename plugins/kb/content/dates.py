"""What "today" is: `KB_TODAY=YYYY-MM-DD` fixes it so builds and tests are reproducible."""

from __future__ import annotations

import datetime as dt
import os


class TodayError(ValueError):
    """KB_TODAY is set but is not a date."""


def today() -> dt.date:
    value = os.environ.get("KB_TODAY", "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise TodayError(
            f"KB_TODAY is '{value}', which is not a date. Fix: set it as KB_TODAY=2026-03-12, or unset it."
        ) from None


def fix_build_date() -> None:
    """With KB_TODAY set, MkDocs' build date (the sitemap's <lastmod>, Material's footer) is that day too, through
    SOURCE_DATE_EPOCH (reproducible builds), unless that is already set: two builds of the same content are
    then the same, file for file, even when one runs either side of midnight."""
    if os.environ.get("KB_TODAY", "").strip() and "SOURCE_DATE_EPOCH" not in os.environ:
        midnight = dt.datetime.combine(today(), dt.time(), tzinfo=dt.UTC)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
