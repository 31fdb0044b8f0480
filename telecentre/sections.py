"""The apps that contribute a section to the portal and links to the staff home page.

Each module listed has `portal(request)` and `staff_links(user)`. A module that declares `PORTAL_SCOPES`
(the apps its card reads) has its card cached per person until one of those apps changes or the person
changes their own data (telecentre/freshness.py); a module without it is rendered on every request.
"""

from functools import partial
from importlib import import_module

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from telecentre import freshness

SECTION_MODULES = [
    "coworking.sections",
    "telecentre.training.sections",
    "housing.sections",
    "forum.sections",
    "journey.sections",
    "impact.sections",
    "privacy.sections",
    "operations.sections",
]


def modules():
    return [import_module(name) for name in SECTION_MODULES]


def render_section(module, request):
    section = module.portal(request)
    if section is None:
        return ""
    template, context = section
    return render_to_string(template, {"section": context}, request)


def portal_fragments(request):
    """What portal_sections() caches: one (name, scopes, render, vary) per module that declares its scopes."""
    vary = freshness.user_vary(request.user)
    specs = []
    for module in modules():
        scopes = getattr(module, "PORTAL_SCOPES", None)
        render = partial(render_section, module, request)
        specs.append((f"portal:{module.__name__}", scopes, render, vary) if scopes is not None else render)
    return specs


def portal_sections(request, extra=()):
    """The HTML of each portal card for request.user, in the order of SECTION_MODULES, fetched from the cache
    in one go with the `extra` fragments (name, scopes, render, vary); returns (extra HTML, sections HTML)."""
    specs = [*extra, *portal_fragments(request)]
    cached = iter(freshness.cached_fragments([spec for spec in specs if not callable(spec)]))
    html = [spec() if callable(spec) else next(cached) for spec in specs]
    safe = [mark_safe(part) for part in html]  # noqa: S308 - rendered by our own templates, escaped there
    return safe[: len(extra)], [part for part in safe[len(extra) :] if part]


def staff_links(user):
    links = []
    for module in modules():
        links.extend(module.staff_links(user))
    return links


def staff_tasks(user, today):
    """What needs doing today, app by app, for the staff home: [(label, count, url)], only what the user's
    permissions open."""
    tasks = []
    for module in modules():
        if hasattr(module, "staff_tasks"):
            tasks.extend(module.staff_tasks(user, today))
    return tasks
