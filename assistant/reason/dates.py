"""Working days (England and Wales): weekends and bank holidays excluded.
The regular holidays follow their rules; one-off ones are data."""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

# one-off changes to the England and Wales calendar
SPECIAL = {
    date(2020, 5, 8): "VE Day (early May holiday moved)",
    date(2022, 6, 2): "Spring bank holiday (Platinum Jubilee)",
    date(2022, 6, 3): "Platinum Jubilee",
    date(2022, 9, 19): "State funeral of Queen Elizabeth II",
    date(2023, 5, 8): "Coronation of King Charles III",
}
MOVED = {date(2020, 5, 4), date(2022, 5, 30)}   # regular dates that did not apply those years


def _easter(year: int) -> date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _first_monday(year: int, month: int) -> date:
    d = date(year, month, 1)
    return d + timedelta(days=(7 - d.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    d = date(year, month + 1, 1) - timedelta(days=1)
    return d - timedelta(days=d.weekday())


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    days = set()
    ny = date(year, 1, 1)
    days.add(ny + timedelta(days={5: 2, 6: 1}.get(ny.weekday(), 0)))
    easter = _easter(year)
    days |= {easter - timedelta(days=2), easter + timedelta(days=1)}
    days |= {_first_monday(year, 5), _last_monday(year, 5), _last_monday(year, 8)}
    xmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if xmas.weekday() == 5:
        days |= {date(year, 12, 27), date(year, 12, 28)}
    elif xmas.weekday() == 6:
        days |= {date(year, 12, 26), date(year, 12, 27)}
    elif xmas.weekday() == 4:
        days |= {xmas, date(year, 12, 28)}
    else:
        days |= {xmas, boxing}
    days -= MOVED
    days |= {d for d in SPECIAL if d.year == year}
    return frozenset(days)


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in bank_holidays(d.year)


def add_working_days(start: date, n: int) -> date:
    """The date n working days after start (start itself not counted)."""
    d = start
    while n > 0:
        d += timedelta(days=1)
        if is_working_day(d):
            n -= 1
    return d


def working_days_between(start: date, end: date) -> int:
    """Working days after start up to and including end."""
    n, d = 0, start
    while d < end:
        d += timedelta(days=1)
        if is_working_day(d):
            n += 1
    return n
