"""The apps that contribute a section to the portal and links to the staff home page.

Each module listed has `portal(request)` and `staff_links(user)`.
"""

from importlib import import_module

SECTION_MODULES = [
    "coworking.sections",
    "telecentre.training.sections",
    "housing.sections",
    "forum.sections",
    "journey.sections",
    "impact.sections",
    "privacy.sections",
]


def modules():
    return [import_module(name) for name in SECTION_MODULES]


def portal_sections(request):
    sections = []
    for module in modules():
        section = module.portal(request)
        if section is not None:
            sections.append(section)
    return sections


def staff_links(user):
    links = []
    for module in modules():
        links.extend(module.staff_links(user))
    return links
