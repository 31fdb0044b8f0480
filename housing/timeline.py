"""Every unit's occupancies and free periods over the coming months (staff timeline)."""

import datetime

from django.db.models import Prefetch

from housing.dates import add_months, month_starts
from housing.models import OccupancyAgreement, Unit


def segments(occupancies, start, end):
    """[(kind, first day, day after, occupancy or None)] covering [start, end) with "occupied" and "free" parts."""
    result, cursor = [], start
    for occupancy in sorted(occupancies, key=lambda o: o.start_date):
        first, after = max(occupancy.start_date, start), min(occupancy.end_date, end)
        if after <= first:
            continue
        if first > cursor:
            result.append(("free", cursor, first, None))
        result.append(("occupied", first, after, occupancy))
        cursor = max(cursor, after)
    if cursor < end:
        result.append(("free", cursor, end, None))
    return result


def month_cells(parts, months, end):
    cells = []
    for index, month in enumerate(months):
        month_end = months[index + 1] if index + 1 < len(months) else end
        occupied = sum(
            (min(after, month_end) - max(first, month)).days
            for kind, first, after, _o in parts
            if kind == "occupied" and first < month_end and after > month
        )
        total = (month_end - month).days
        state = "free" if occupied == 0 else "occupied" if occupied >= total else "partly"
        cells.append((month, state))
    return cells


def build(start, count=6):
    months = month_starts(start, count)
    window_start, window_end = months[0], add_months(months[0], count)
    live = OccupancyAgreement.objects.live().filter(start_date__lt=window_end, end_date__gt=window_start)
    units = (
        Unit.objects.active()
        .select_related("commune")
        .prefetch_related(
            Prefetch("occupancies", queryset=live.select_related("occupant"), to_attr="window_occupancies")
        )
    )
    rows = []
    for unit in units:
        parts = segments(unit.window_occupancies, window_start, window_end)
        rows.append(
            {
                "unit": unit,
                "segments": [(k, a, b - datetime.timedelta(days=1), o) for k, a, b, o in parts],
                "cells": month_cells(parts, months, window_end),
            }
        )
    return {"rows": rows, "months": months, "window_start": window_start, "window_end": window_end}
