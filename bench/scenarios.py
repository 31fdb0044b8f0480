"""The pages `make bench` measures, prepared inside Django by `manage.py shell` (see bench/run.py).

Each builder returns a scenario: a path, the headers to send (a session cookie for pages behind a login) and,
for POSTs, a wrk Lua script in which every request is a distinct valid action. A builder raises `Missing`
when the page does not exist in this checkout; the benchmark then reports it as not measured.
"""

import json
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.urls import NoReverseMatch, reverse

from accounts import roles
from accounts.models import User
from telecentre import scale

# A fixed CSRF secret sent both as the cookie and as the form field: Django accepts the unmasked secret.
CSRF_SECRET = "benchcsrf" + "0" * 23


class Missing(Exception):  # noqa: N818 - read as "the page is missing"
    pass


def url(name, *args, **kwargs):
    try:
        return reverse(name, args=args, kwargs=kwargs)
    except NoReverseMatch as exc:
        raise Missing(f"no URL {name}") from exc


def session_cookie(user):
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def staff_headers(role):
    user = User.objects.get(email=scale.staff_email(role))
    return {"Cookie": session_cookie(user)}


def newcomer():
    """A generated newcomer with years of activity (the first ones have the most history)."""
    return User.objects.get(email=scale.newcomer_email(0))


def lua_post(path, body_lua, expected_status=302, cookie_lua='""'):
    """A wrk script POSTing to path, every request a distinct action, counting unexpected answers.

    body_lua is a Lua expression of `n` (a number unique across threads and runs: the run's offset is
    the script argument) giving the form body; cookie_lua gives extra cookies for request n.
    Answers other than expected_status (a form redisplayed with errors is a 200) count as failures.
    """
    return f"""
local threads = {{}}
setup = function(thread)
  table.insert(threads, thread)
  thread:set("thread_index", #threads)
end
init = function(args)
  counter = 0
  failures = 0
  offset = tonumber(args[1] or "0")
end
response = function(status, headers, body)
  if status ~= {expected_status} then failures = failures + 1 end
end
request = function()
  counter = counter + 1
  local n = offset + (counter - 1) * 2 + (thread_index - 1)
  local extra = {cookie_lua}
  local headers = {{}}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Cookie"] = "csrftoken={CSRF_SECRET}" .. extra
  return wrk.format("POST", "{path}", headers, "csrfmiddlewaretoken={CSRF_SECRET}&" .. {body_lua})
end
"""


def lua_table(values):
    return "{" + ", ".join(f'"{value}"' for value in values) + "}"


# Scenarios ------------------------------------------------------------------


def bare():
    return {"label": "Bare Django view (the limit)", "path": "/bench/bare/", "target": 1.0}


def home():
    return {"label": "Home page", "path": url("home"), "target": 0.30}


def forum_page():
    return {"label": "Forum registration page (GET /forum/)", "path": url("forum:index"), "target": 0.15}


def forum_post():
    module = import_module("bench.apps.forum")
    return {"label": "Forum registration (POST)", "method": "POST", "target": 0.06, **module.registration_post()}


def portal():
    return {
        "label": "Portal dashboard (newcomer)",
        "path": url("portal"),
        "target": 0.10,
        "headers": {"Cookie": session_cookie(newcomer())},
    }


def booking_post():
    module = import_module("bench.apps.coworking")
    return {"label": "Booking (POST)", "method": "POST", "target": 0.06, **module.booking_post()}


def occupancy_grid():
    module = import_module("bench.apps.coworking")
    return {
        "label": "Staff occupancy grid",
        "path": module.occupancy_path(),
        "target": 0.10,
        "headers": staff_headers(roles.COWORKING_MANAGER),
    }


def committee_ranking():
    module = import_module("bench.apps.housing")
    return {
        "label": "Housing committee ranking",
        "path": module.ranking_path(),
        "target": 0.10,
        "headers": staff_headers(roles.HOUSING_OFFICER),
    }


def impact_dashboard():
    return {
        "label": "Impact dashboard (director)",
        "path": url("impact:index"),
        "target": 0.10,
        "headers": staff_headers(roles.DIRECTOR),
    }


SCENARIOS = [
    bare,
    home,
    forum_page,
    forum_post,
    portal,
    booking_post,
    occupancy_grid,
    committee_ranking,
    impact_dashboard,
]


def build(builder):
    scenario = {"key": builder.__name__, "label": builder.__name__, "method": "GET", "target": 0.10}
    try:
        scenario.update(builder())
    except (Missing, ImportError, LookupError, User.DoesNotExist) as exc:
        scenario["missing"] = str(exc) or type(exc).__name__
    return scenario


def rush():
    try:
        return import_module("bench.apps.forum").rush_setup()
    except (Missing, ImportError, LookupError) as exc:
        return {"missing": str(exc)}


def main():
    print(json.dumps({"scenarios": [build(builder) for builder in SCENARIOS], "rush": rush()}))  # noqa: T201
