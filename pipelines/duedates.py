"""Due phrases as spoken ("by Friday", "next week", "in two weeks", "end of the month", an ISO
date) turned into dates relative to the meeting date; a phrase we cannot read gives no date."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = tuple(m.lower() for m in calendar.month_name[1:])
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "couple of": 2,
    "a couple of": 2,
    "fourteen": 14,
    "thirty": 30,
}
ORDINALS = {
    w: k + 1
    for k, w in enumerate(
        (
            "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
            "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
        ).split()
    )
}
ORDINALS |= {f"twenty {w}": 20 + k for w, k in ORDINALS.items() if k < 10}
ORDINALS |= {f"twenty-{w}": 20 + k for w, k in ORDINALS.items() if k < 10 and " " not in w}
ORDINALS |= {"thirtieth": 30, "thirty first": 31, "thirty-first": 31}

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_IN_N = re.compile(
    r"\b(?:in|within)\s+(?:the\s+next\s+)?(\d+|a couple of|couple of|an?|[a-z]+)\s+"
    r"(day|week|month)s?\b"
)
_MONTH_DAY = re.compile(
    r"\b("
    + "|".join(MONTHS)
    + r")(?:\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?|\s+("
    + "|".join(sorted(ORDINALS, key=len, reverse=True))
    + r"))?\b"
)
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + "|".join(MONTHS) + r")\b")
_WEEKDAY = re.compile(r"\b(next\s+|this\s+)?(" + "|".join(WEEKDAYS) + r")\b")
_QUARTER = re.compile(r"\bq([1-4])\b")


def month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _week_friday(d: date, weeks_ahead: int = 0) -> date:
    return d + timedelta(days=4 - d.weekday() + 7 * weeks_ahead)


def _quarter_end(d: date, quarter: int | None = None) -> date:
    q = quarter or (d.month - 1) // 3 + 1
    year = d.year + (1 if quarter and quarter < (d.month - 1) // 3 + 1 else 0)
    return month_end(date(year, 3 * q, 1))


def _on_or_after(d: date, month: int, day: int | None) -> date | None:
    """The next ``month``/``day`` from ``d`` on (a month alone: its last day)."""
    for year in (d.year, d.year + 1):
        try:
            when = date(year, month, day) if day else month_end(date(year, month, 1))
        except ValueError:
            return None
        if when >= d:
            return when
    return None


def _relative(text: str, held: date) -> date | None:
    if re.search(r"\b(?:today|tonight|end of (?:the )?day|eod)\b", text):
        return held
    if "tomorrow" in text:
        return held + timedelta(days=1)
    if re.search(r"\b(?:end of (?:the |this )?week|this week|eow)\b", text):
        return _week_friday(held)
    if re.search(r"\bnext week\b", text):
        return _week_friday(held, 1)
    if re.search(r"\b(?:end of (?:the |this )?month|this month)\b", text):
        return month_end(held)
    if re.search(r"\bnext month\b", text):
        return month_end(add_months(held.replace(day=1), 1))
    if re.search(r"\b(?:end of (?:the |this )?quarter|this quarter)\b", text):
        return _quarter_end(held)
    if re.search(r"\bnext quarter\b", text):
        return _quarter_end(add_months(_quarter_end(held), 1))
    if re.search(r"\b(?:end of (?:the |this )?year|year end|year-end)\b", text):
        return date(held.year, 12, 31)
    return None


def _counted(text: str, held: date) -> date | None:
    m = _IN_N.search(text)
    if not m:
        return None
    word, unit = m.group(1), m.group(2)
    n = int(word) if word.isdigit() else NUMBERS.get(word)
    if n is None:
        return None
    if unit == "month":
        return add_months(held, n)
    return held + timedelta(days=n * (7 if unit == "week" else 1))


def _named(text: str, held: date) -> date | None:
    m = _DAY_MONTH.search(text)
    if m:
        return _on_or_after(held, MONTHS.index(m.group(2)) + 1, int(m.group(1)))
    m = _MONTH_DAY.search(text)
    if m and not (m.group(1) == "may" and not (m.group(2) or m.group(3))):  # "may" alone is a verb
        day = int(m.group(2)) if m.group(2) else ORDINALS.get(m.group(3) or "")
        return _on_or_after(held, MONTHS.index(m.group(1)) + 1, day)
    m = _WEEKDAY.search(text)
    if m:
        ahead = (WEEKDAYS.index(m.group(2)) - held.weekday()) % 7 or 7
        if (m.group(1) or "").strip() == "next" and ahead < 7 and held.weekday() < WEEKDAYS.index(m.group(2)):
            ahead += 7  # "next Friday" said on a Tuesday: the Friday of next week
        return held + timedelta(days=ahead)
    m = _QUARTER.search(text)
    if m:
        return _quarter_end(held, int(m.group(1)))
    return None


def parse_due(spoken: str | None, held: date) -> date | None:
    """The date a due phrase means, said on ``held``; None when there is no phrase or we cannot read it."""
    if not spoken or not spoken.strip():
        return None
    iso = _ISO.search(spoken)
    if iso:
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
    text = re.sub(r"\s+", " ", spoken.lower())
    return _relative(text, held) or _counted(text, held) or _named(text, held)
