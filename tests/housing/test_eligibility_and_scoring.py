import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from housing.models import CriterionCheck, Score, ScoringGrid
from housing.scoring import run_scoring
from tests.factories import make_commune, make_user
from tests.housing.factories import make_application, make_grid

pytestmark = pytest.mark.django_db


def lines_of(score):
    return {line.criterion.key: line for line in score.lines.select_related("criterion")}


def test_an_application_outside_the_territory_gets_a_reason_not_a_low_score(grid, alice):
    elsewhere = make_commune("Lyon", "69123", "69001", in_territory=False)
    application = make_application(alice, commune=elsewhere)

    score = run_scoring().scores.get(application=application)

    assert not score.eligible
    assert "Lyon" in score.ineligibility_reason and "outside the territory" in score.ineligibility_reason
    assert score.total == 0 and score.position is None and not score.lines.exists()


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"documents": ("identity",)}, "missing Project proof"),
        ({"kind": "salaried", "scheme": "residence_long"}, "is not open to “Salaried telework” projects"),
        ({"kind": "salaried", "desired_end_days": 7 * 31}, "longer than the maximum stay for your profile (6 months)"),
    ],
)
def test_eligibility_rules_are_kept_apart_from_points(grid, alice, fields, reason):
    fields = dict(fields)
    if "desired_end_days" in fields:
        start = timezone.localdate() + datetime.timedelta(days=30)
        days = fields.pop("desired_end_days")
        fields.update(desired_start=start, desired_end=start + datetime.timedelta(days=days))
    application = make_application(alice, **fields)
    score = run_scoring().scores.get(application=application)
    assert not score.eligible
    assert reason in score.ineligibility_reason


def test_points_have_a_value_a_source_and_a_ceiling(grid, alice, housing_officer):
    with time_machine.travel(datetime.datetime(2025, 1, 10, 10, tzinfo=datetime.UTC)):
        application = make_application(
            alice,
            members=[{"first_name": c, "role": "child"} for c in ("Léo", "Jade", "Tom", "Zoé")],
            children_count=4,
            housing_situation="none",
            training_completed=True,
            refused_offers=3,
        )
    CriterionCheck.objects.create(
        application=application, key="housing_need", status="verified", checked_by=housing_officer, note="Attestation"
    )
    with time_machine.travel(datetime.datetime(2025, 6, 20, 10, tzinfo=datetime.UTC)):
        score = run_scoring().scores.get(application=application)

    lines = lines_of(score)
    assert (lines["seniority"].value, lines["seniority"].points, lines["seniority"].source) == ("5", 5, "computed")
    assert (lines["children"].value, lines["children"].points) == ("4", Decimal(9))  # 4 x 3, ceiling 9
    assert lines["children"].source == "declared"
    assert lines["housing_need"].points == 10 and lines["housing_need"].source == "verified"
    assert lines["housing_need"].checked_by == housing_officer
    assert lines["creation"].points == 5 and lines["training"].points == 4 and lines["local_activity"].points == 0
    assert lines["refused_offers"].points == -10  # 3 x -5, floor -10
    assert score.total == 5 + 9 + 10 + 5 + 4 - 10


def test_a_priority_needing_validation_counts_only_once_validated(grid, alice, housing_officer):
    application = make_application(alice, accessibility_needed=True)
    line = lines_of(run_scoring().scores.get(application=application))["accessibility"]
    assert line.points == 0 and line.note == "awaiting validation by an agent"

    CriterionCheck.objects.create(
        application=application,
        key="accessibility",
        status="validated",
        checked_by=housing_officer,
        note="Justificatif MDPH",
    )
    line = lines_of(run_scoring().scores.get(application=application))["accessibility"]
    assert line.points == 8 and line.source == "validated" and line.checked_by == housing_officer


def test_positions_are_per_programme_and_ties_go_to_the_earliest_file(grid):
    users = [make_user() for _ in range(4)]
    with time_machine.travel(datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC)):
        first = make_application(users[0])
    with time_machine.travel(datetime.datetime(2025, 5, 2, tzinfo=datetime.UTC)):
        second = make_application(users[1])
        richer = make_application(users[2], training_completed=True)
        residence = make_application(
            users[3], scheme="residence_short", desired_end=timezone.localdate() + datetime.timedelta(days=40)
        )
    with time_machine.travel(datetime.datetime(2025, 5, 3, tzinfo=datetime.UTC)):
        run = run_scoring()
    positions = {s.application_id: (s.position, s.out_of) for s in run.scores.all()}

    assert positions[richer.pk] == (1, 3)
    assert positions[first.pk] == (2, 3)
    assert positions[second.pk] == (3, 3)
    assert positions[residence.pk] == (1, 1)


def test_each_run_freezes_the_grid_version_and_the_history_cannot_change(grid, alice):
    application = make_application(alice)
    old = run_scoring().scores.get(application=application)

    new_grid = make_grid(version=2, criteria=[("training", "50", None, False)])
    grid.refresh_from_db()
    assert grid.status == ScoringGrid.Status.ARCHIVED and new_grid.status == ScoringGrid.Status.IN_FORCE
    new = run_scoring().scores.get(application=application)

    old.refresh_from_db()
    assert old.run.grid == grid and new.run.grid == new_grid
    assert old.lines.count() == 8 and new.lines.count() == 1
    old.total = Decimal(99)
    with pytest.raises(ValidationError, match="cannot be changed"):
        old.save()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        Score.objects.get(pk=old.pk).delete()
    with pytest.raises(ValidationError, match="published grid cannot change"):
        new_grid.criteria.create(key="children", label="Enfants", points=1)


def test_scoring_needs_a_grid_in_force(alice):
    make_application(alice)
    with pytest.raises(ValidationError, match="No scoring grid is in force"):
        run_scoring()
