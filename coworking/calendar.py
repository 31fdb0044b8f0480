"""Half-days in Europe/Paris and French public holidays, computed (no dependency, no settings).

Half-days follow the telecentre's usual rhythm: morning 08:30–12:30, afternoon 13:30–17:30
(DOMAIN §6.1). Each space still has its own opening hours: a half-day is bookable only when
it fits inside them.
"""

import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

MORNING = (datetime.time(8, 30), datetime.time(12, 30))
AFTERNOON = (datetime.time(13, 30), datetime.time(17, 30))
FULL_DAY = (MORNING[0], AFTERNOON[1])
HALF_DAYS = {"morning": MORNING, "afternoon": AFTERNOON, "day": FULL_DAY}


def easter_sunday(year):
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def french_public_holidays(year):
    """The eleven public holidays of metropolitan France (no Alsace-Moselle extras): {date: name}."""
    easter = easter_sunday(year)
    days = datetime.timedelta
    return {
        datetime.date(year, 1, 1): "Jour de l’an",
        easter + days(1): "Lundi de Pâques",
        datetime.date(year, 5, 1): "Fête du Travail",
        datetime.date(year, 5, 8): "Victoire 1945",
        easter + days(39): "Ascension",
        easter + days(50): "Lundi de Pentecôte",
        datetime.date(year, 7, 14): "Fête nationale",
        datetime.date(year, 8, 15): "Assomption",
        datetime.date(year, 11, 1): "Toussaint",
        datetime.date(year, 11, 11): "Armistice 1918",
        datetime.date(year, 12, 25): "Noël",
    }


def public_holiday(day):
    """The holiday's name if day is a French public holiday, else None."""
    return french_public_holidays(day.year).get(day)


def local(day, time):
    """An aware datetime in Europe/Paris for a local date and time."""
    return datetime.datetime.combine(day, time, tzinfo=PARIS)


def half_day_bounds(day, period):
    """(start, end) aware datetimes of "morning", "afternoon" or "day" on a local date."""
    opens, closes = HALF_DAYS[period]
    return local(day, opens), local(day, closes)


def period_of(start, end):
    """ "morning", "afternoon" or "day" when (start, end) is exactly one of them, else "hours"."""
    start, end = start.astimezone(PARIS), end.astimezone(PARIS)
    if start.date() == end.date():
        for period, (opens, closes) in HALF_DAYS.items():
            if start.time() == opens and end.time() == closes:
                return period
    return "hours"


def days_between(first, last):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)
