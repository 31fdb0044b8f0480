"""Staff roles: one group per job, with the permissions that job needs.

A permission spec is "app_label.codename", "app_label.*" (every permission of
the app) or "*.view_*" (every view permission). Groups are created by a data
migration and their permissions brought up to date after every migrate, so a
model added later reaches the roles that cover its app.
"""

from fnmatch import fnmatchcase

from django.utils.translation import gettext_lazy as _

DIRECTOR = "director"
COWORKING_MANAGER = "coworking_manager"
TRAINING_MANAGER = "training_manager"
HOUSING_OFFICER = "housing_officer"
FORUM_ORGANISER = "forum_organiser"
NEWCOMER_REFERENT = "newcomer_referent"

ROLE_LABELS = {
    DIRECTOR: _("Director"),
    COWORKING_MANAGER: _("Coworking manager"),
    TRAINING_MANAGER: _("Training manager"),
    HOUSING_OFFICER: _("Housing officer"),
    FORUM_ORGANISER: _("Forum organiser"),
    NEWCOMER_REFERENT: _("Newcomer referent"),
}

# Group names as stored (French, as staff see them in the admin).
GROUP_NAMES = {
    DIRECTOR: "Direction",
    COWORKING_MANAGER: "Gestion du coworking",
    TRAINING_MANAGER: "Responsable formation",
    HOUSING_OFFICER: "Chargé·e du logement",
    FORUM_ORGANISER: "Organisation du forum",
    NEWCOMER_REFERENT: "Référent·e accueil",
}

COWORKING_RECORDS = [
    "coworking.view_space",
    "coworking.view_openinghours",
    "coworking.view_closure",
    "coworking.view_booking",
    "coworking.view_recurringbooking",
    "coworking.view_pass",
    "coworking.view_exemption",
]

ROLE_PERMISSIONS = {
    DIRECTOR: [
        "*.view_*",
        "accounts.change_installationproject",
        # The director keeps the programme's finances and targets.
        "impact.*",
        # The director keeps the record of the body that runs the site and its signatories.
        "organisation.*",
        "privacy.change_datarequest",
        "privacy.change_accessibilityreport",
    ],
    COWORKING_MANAGER: ["coworking.*", "accounts.view_user", "accounts.view_commune"],
    # Not "coworking.view_*": that would match coworking.view_statistics, which opens the
    # invoicing export (members' names and amounts) meant for the coworking manager and the director.
    TRAINING_MANAGER: ["training.*", *COWORKING_RECORDS, "accounts.view_user"],
    HOUSING_OFFICER: [
        "housing.*",
        "committees.*",
        "accounts.view_user",
        "accounts.view_household",
        "accounts.view_householdmember",
        "accounts.view_installationproject",
        "accounts.view_commune",
    ],
    FORUM_ORGANISER: ["forum.*", "accounts.view_commune"],
    NEWCOMER_REFERENT: [
        "accounts.view_user",
        "accounts.view_household",
        "accounts.view_householdmember",
        "accounts.add_installationproject",
        "accounts.change_installationproject",
        "accounts.view_installationproject",
        "accounts.view_commune",
        "journey.*",
        "committees.*",
        "housing.view_*",
        "training.view_*",
        *COWORKING_RECORDS,
    ],
}


def permissions_for(role, all_permissions):
    """The (app_label, codename) pairs of all_permissions that the role's specs match."""
    specs = ROLE_PERMISSIONS[role]
    return [
        (app_label, codename)
        for app_label, codename in all_permissions
        if any(fnmatchcase(f"{app_label}.{codename}", spec) for spec in specs)
    ]


def sync_roles(group_model, permission_model):
    for role, name in GROUP_NAMES.items():
        group, _created = group_model.objects.get_or_create(name=name)
        pairs = permissions_for(role, permission_model.objects.values_list("content_type__app_label", "codename"))
        wanted = set(pairs)
        ids = [
            pk
            for pk, app_label, codename in permission_model.objects.values_list(
                "pk", "content_type__app_label", "codename"
            )
            if (app_label, codename) in wanted
        ]
        group.permissions.set(ids)


def sync_roles_after_migrate(sender, **kwargs):
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    # post_migrate is sent once per app, each after that app's permissions are
    # created: waiting for the last app sees every permission.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not with_models[-1]:
        return
    sync_roles(Group, Permission)
