"""Coworking scenarios: the staff occupancy grid and a booking POST in which every request books a free
half-day (a fresh open-space zone per run, a pool of members, distinct days)."""

import datetime
import secrets

from django.utils import timezone

from accounts.models import User
from bench.scenarios import lua_post, lua_table, session_cookie, url
from coworking import calendar
from coworking.models import OpeningHours, Space
from telecentre import scale

MEMBERS = 200


def occupancy_path():
    return url("coworking:grid")


def booking_post():
    nonce = secrets.token_hex(4)
    space = Space.objects.create(
        name=f"Bench open space {nonce}",
        slug=f"bench-{nonce}",
        kind=Space.Kind.OPEN_SPACE,
        capacity=MEMBERS + 50,
        max_days_ahead=366,
        max_upcoming_per_person=0,
        check_in_required=False,
        # Listed after the seeded spaces: the occupancy grid's first page stays the one it measures.
        position=32767,
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(space=space, weekday=weekday, opens=datetime.time(8), closes=datetime.time(19))
        for weekday in range(5)
    )
    members = User.objects.filter(email__in=[scale.newcomer_email(n) for n in range(1, MEMBERS + 1)])
    cookies = [session_cookie(member) for member in members]
    today = timezone.localdate()
    days = [
        day.isoformat()
        for day in (today + datetime.timedelta(days=offset) for offset in range(2, 360))
        if day.weekday() < 5 and not calendar.public_holiday(day)
    ]
    # Request n books for member n % M the half-day n // M (two per day): no two requests collide.
    body = (
        f'"space={space.pk}&period=" .. periods[(math.floor(n / {len(cookies)}) % 2) + 1] .. '
        f'"&date=" .. days[math.floor(n / {len(cookies) * 2}) % {len(days)} + 1] .. '
        f'"&start_time=&end_time=&pass_used=&idempotency_key=b{nonce}" .. n'
    )
    lua = f'periods = {{"morning", "afternoon"}}\ndays = {lua_table(days)}\ncookies = {lua_table(cookies)}\n'
    lua += lua_post(url("coworking:book"), body, cookie_lua=f'"; " .. cookies[n % {len(cookies)} + 1]')
    return {"path": url("coworking:book"), "lua": lua, "measure_offset": len(cookies) * 2 * 20}
