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
