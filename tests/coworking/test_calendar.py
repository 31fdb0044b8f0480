import datetime

import pytest

from coworking.calendar import easter_sunday, french_public_holidays, half_day_bounds, period_of, public_holiday


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2000, (4, 23)), (2019, (4, 21)), (2024, (3, 31)), (2025, (4, 20)), (2026, (4, 5)), (2038, (4, 25))],
)
def test_easter_sunday_matches_the_known_dates(year, easter):
    assert easter_sunday(year) == datetime.date(year, *easter)


def test_france_has_eleven_public_holidays_with_the_easter_based_ones():
    holidays = french_public_holidays(2026)
    assert len(holidays) == 11
    assert holidays[datetime.date(2026, 4, 6)] == "Lundi de Pâques"
    assert holidays[datetime.date(2026, 5, 14)] == "Ascension"
    assert holidays[datetime.date(2026, 5, 25)] == "Lundi de Pentecôte"
    assert public_holiday(datetime.date(2026, 7, 14)) == "Fête nationale"
    assert public_holiday(datetime.date(2026, 7, 15)) is None


def test_half_days_are_local_paris_times_across_daylight_saving():
    winter = half_day_bounds(datetime.date(2026, 3, 2), "morning")
    summer = half_day_bounds(datetime.date(2026, 7, 1), "afternoon")
    assert winter[0].utcoffset() == datetime.timedelta(hours=1) and winter[0].hour == 8 and winter[0].minute == 30
    assert summer[0].utcoffset() == datetime.timedelta(hours=2) and summer[1].hour == 17
    # The morning after the spring change is still 08:30–12:30 local, four hours long.
    start, end = half_day_bounds(datetime.date(2026, 3, 30), "morning")
    assert end - start == datetime.timedelta(hours=4)


def test_period_of_recognises_half_days_and_hours():
    day = datetime.date(2026, 3, 2)
    assert period_of(*half_day_bounds(day, "morning")) == "morning"
    assert period_of(*half_day_bounds(day, "day")) == "day"
    start, _end = half_day_bounds(day, "morning")
    assert period_of(start, start + datetime.timedelta(hours=1)) == "hours"
