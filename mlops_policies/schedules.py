"""How often a Secrets Manager rotation schedule (rate or cron expression) fires, at worst."""

from __future__ import annotations

import re

_RATE = re.compile(r"rate\(\s*([0-9]+)\s+(hours?|days?)\s*\)", re.IGNORECASE)
_CRON = re.compile(r"cron\((.*)\)", re.IGNORECASE)
_WEEKDAY = r"(?:[1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)"


def _cron_day_of_month_gap(field: str) -> int | None:
    if field == "*":
        return 1
    if field == "L":
        return 31
    firsts = []
    for part in field.split(","):
        match = re.fullmatch(r"(\*|[0-9]{1,2})(?:-[0-9]{1,2})?(?:/[0-9]{1,2})?(W?)", part)
        if not match:
            return None
        firsts.append((1 if match.group(1) == "*" else int(match.group(1)), match.group(2)))
    # A day that exists in every month (1-28) fires every month: at most 31 days apart, 33 with the
    # nearest-weekday shift of `W`.
    gaps = [33 if weekday else 31 for day, weekday in firsts if 1 <= day <= 28]
    return min(gaps) if gaps else None


def _cron_day_of_week_gap(field: str) -> int | None:
    if field == "*":
        return 1
    if re.fullmatch(rf"{_WEEKDAY}(?:-{_WEEKDAY})?(?:,{_WEEKDAY}(?:-{_WEEKDAY})?)*", field, re.IGNORECASE):
        return 7
    # The n-th (n <= 4) or last weekday of every month: at most 35 days apart. A fifth one skips months.
    if re.fullmatch(rf"{_WEEKDAY}(?:#[1-4]|L)", field, re.IGNORECASE):
        return 35
    return None


def schedule_max_gap_days(expression: str) -> int | None:
    """The longest a schedule can go between rotations, in days; None when that cannot be shown.

    A cron counts only when it fires in every month of every year (month and year `*`) on a day that
    every month has; anything else (selected months, 29th-31st, fifth weekdays) cannot be shown to
    rotate in time and is judged as not rotating often enough.
    """
    text = expression.strip()
    rate = _RATE.fullmatch(text)
    if rate:
        amount = int(rate.group(1))
        if amount < 1:
            return None
        return -(-amount // 24) if rate.group(2).lower().startswith("hour") else amount
    cron = _CRON.fullmatch(text)
    fields = cron.group(1).split() if cron else []
    if len(fields) != 6 or fields[3] not in {"*", "*/1"} or fields[5] not in {"*", "*/1"}:
        return None
    day_of_month, day_of_week = fields[2], fields[4]
    if day_of_month == "?" and day_of_week != "?":
        return _cron_day_of_week_gap(day_of_week)
    if day_of_week == "?" and day_of_month != "?":
        return _cron_day_of_month_gap(day_of_month)
    return None
