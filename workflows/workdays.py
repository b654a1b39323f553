"""Working days in Belgium: Monday to Friday, except the ten legal public holidays.

Used to escalate a decision task "two working days before the decision deadline": a deadline on a
Tuesday escalates on the Friday before it, one after Easter Monday a day earlier still.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache

from django.utils import timezone


def easter(year: int) -> date:
    """Easter Sunday (Gregorian calendar; the anonymous algorithm of Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """The Belgian legal public holidays (wet van 4 januari 1974)."""
    sunday = easter(year)
    fixed = [(1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)]
    return frozenset(
        [date(year, month, day) for month, day in fixed]
        + [sunday + timedelta(days=1), sunday + timedelta(days=39), sunday + timedelta(days=50)]
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def working_days_before(moment: datetime, days: int) -> datetime:
    """The same time of day ``days`` working days before ``moment`` (in Brussels time)."""
    local = timezone.localtime(moment)
    day = local.date()
    counted = 0
    while counted < days:
        day -= timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return local.replace(year=day.year, month=day.month, day=day.day)
