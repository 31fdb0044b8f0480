import pytest
from django.urls import reverse

from committees.models import Attendance, Decision, Meeting
from housing.committee import prepare_proposal
from housing.models import Application, NotificationLetter
from housing.scoring import run_scoring
from tests.committees.factories import make_committee, make_meeting
from tests.factories import make_user
from tests.housing.factories import make_application, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(grid):
    """A unit, five applicants (four eligible, one ineligible), a scored run and an open meeting."""
    unit = make_unit(capacity=3)
    applicants = [make_user(first_name=name, last_name="Test") for name in ("Amina", "Pierre", "Sarah", "Marc", "Nina")]
    applications = [
        make_application(applicants[0], housing_situation="none", training_completed=True),  # 19 points
        make_application(applicants[1], training_completed=True),  # 9
        make_application(applicants[2]),  # 5
        make_application(applicants[3], members=[{"first_name": c, "role": "partner"} for c in "abcd"]),  # too big
        make_application(applicants[4], documents=("identity",)),  # ineligible
    ]
    run_scoring()
    meeting = make_meeting(make_committee(voting=3))
    return unit, applications, meeting


def decision_data(rows):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows))}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{index}-{key}"] = value
    return data


def test_a_proposal_ranks_the_eligible_candidates_the_unit_suits_with_their_breakdown(client, housing_officer, setting):
    unit, applications, meeting = setting
    proposal = prepare_proposal(meeting, unit, unit.available_from or meeting.starts_at.date(), housing_officer)

    candidates = list(proposal.candidates.all())
    assert [(c.application, c.proposed_rank) for c in candidates] == [
        (applications[0], 1),
        (applications[1], 2),
        (applications[2], 3),
        (applications[4], None),
    ]
    client.force_login(housing_officer)
    body = client.get(proposal.get_absolute_url()).content.decode()
    assert "Proposed rank 1" in body and "No stable housing" in body
    assert "Marc Test: the household is larger than the unit&#x27;s capacity" in body
    assert "missing Project proof" in body


def test_the_committee_allocates_and_the_applicants_are_notified_with_reasons(
    client, housing_officer, setting, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    unit, applications, meeting = setting
    proposal = prepare_proposal(meeting, unit, meeting.starts_at.date(), housing_officer)
    client.force_login(housing_officer)

    response = client.post(
        proposal.get_absolute_url(),
        decision_data(
            [
                {"outcome": "accepted", "rank": "1", "reason": "Projet de fromagerie abouti, pas de logement."},
                {"outcome": "accepted", "rank": "2", "reason": "Réserve."},
                {"outcome": "rejected", "reason": "Candidats mieux classés."},
                {"outcome": "inadmissible", "reason": "Justificatif de projet manquant."},
            ]
        ),
    )
    assert response.status_code == 302
    assert Decision.objects.current().count() == 4
    applications[0].refresh_from_db()
    # Nothing is final while the meeting is open.
    assert applications[0].status == Application.Status.SUBMITTED and not applications[0].allocated_at

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("housing:meeting-close", args=[meeting.pk]))
    applications[0].refresh_from_db()
    applications[4].refresh_from_db()
    assert applications[0].status == Application.Status.ALLOCATED and applications[0].allocated_at
    assert applications[4].status == Application.Status.INADMISSIBLE
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    assert NotificationLetter.objects.count() == 4
    assert len(mailoutbox) == 4
    mail = next(m for m in mailoutbox if m.to == [applications[0].applicant.email])
    # Sent in the applicant's language (French by default).
    assert "Le logement vous est attribué." in mail.body and "Projet de fromagerie abouti" in mail.body
    assert "L311-3-1" in mail.body and "Tribunal administratif" in mail.body and "dpo@" in mail.body

    letter = NotificationLetter.objects.get(application=applications[0])
    assert letter.file.read().startswith(b"%PDF")
    client.force_login(applications[0].applicant)
    assert client.get(letter.get_absolute_url()).status_code == 200
    body = client.get(applications[0].get_absolute_url()).content.decode()
    assert "Projet de fromagerie abouti" in body and "Allocated" in body
    client.force_login(applications[1].applicant)
    assert client.get(letter.get_absolute_url()).status_code == 404


def test_skipping_a_candidate_without_a_written_reason_is_refused_and_nothing_is_written(
    client, housing_officer, setting
):
    unit, applications, meeting = setting
    proposal = prepare_proposal(meeting, unit, meeting.starts_at.date(), housing_officer)
    client.force_login(housing_officer)
    rows = [
        {"outcome": "rejected", "reason": "Autre candidat."},
        {"outcome": "accepted", "rank": "1", "reason": "Projet prioritaire."},
        {"outcome": "rejected", "reason": "Candidats mieux classés."},
        {"outcome": "inadmissible", "reason": "Dossier incomplet."},
    ]

    response = client.post(proposal.get_absolute_url(), decision_data(rows))

    assert response.status_code == 200
    assert "a skipped candidate needs a written reason" in response.content.decode()
    assert "Projet prioritaire." in response.content.decode()  # what was typed is kept
    assert not Decision.objects.exists()
    assert Application.objects.filter(status=Application.Status.ALLOCATED).count() == 0

    rows[0]["justification"] = "Le candidat a trouvé un logement entre-temps."
    response = client.post(proposal.get_absolute_url(), decision_data(rows))
    assert response.status_code == 302
    skipped = Decision.objects.current().for_subject(applications[0]).get()
    assert skipped.departs_from_proposal and skipped.justification.startswith("Le candidat a trouvé")


def test_a_decision_without_quorum_is_refused_with_a_clear_message(client, housing_officer, setting):
    unit, applications, meeting = setting
    proposal = prepare_proposal(meeting, unit, meeting.starts_at.date(), housing_officer)
    Attendance.objects.filter(meeting=meeting).exclude(pk=meeting.attendances.first().pk).update(status="absent")
    client.force_login(housing_officer)

    response = client.post(
        proposal.get_absolute_url(),
        decision_data(
            [{"outcome": "accepted", "rank": "1", "reason": "ok"}] + [{"outcome": "rejected", "reason": "x"}] * 3
        ),
    )

    assert "Quorum not reached for this case: 1 voting member(s) present" in response.content.decode()
    assert not Decision.objects.exists()


def test_staff_record_attendance_and_conflicts_in_the_meeting_screen(client, housing_officer, setting):
    unit, applications, meeting = setting
    proposal = prepare_proposal(meeting, unit, meeting.starts_at.date(), housing_officer)
    members = list(meeting.committee.memberships.order_by("pk"))
    client.force_login(housing_officer)

    client.post(
        reverse("housing:meeting-attendance", args=[meeting.pk]),
        {f"member_{m.pk}": "present" if i < 2 else "excused" for i, m in enumerate(members)},
    )
    client.post(
        reverse("housing:meeting-conflict", args=[meeting.pk]),
        {"item": proposal.item.pk, "membership": members[0].pk, "reason": "Voisine de la candidate"},
    )

    assert meeting.present_voters().count() == 2
    assert not meeting.has_quorum(proposal.item)
    body = client.get(reverse("housing:meeting", args=[meeting.pk])).content.decode()
    assert "Voisine de la candidate" in body


def test_minutes_are_a_pdf(client, housing_officer, setting):
    unit, applications, meeting = setting
    prepare_proposal(meeting, unit, meeting.starts_at.date(), housing_officer)
    client.force_login(housing_officer)
    response = client.get(reverse("housing:meeting-minutes", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_a_planned_meeting_is_created_from_the_staff_screen(client, housing_officer):
    committee = make_committee()
    client.force_login(housing_officer)
    response = client.post(
        reverse("housing:meeting-create"),
        {"committee": committee.pk, "starts_at": "2027-02-03T14:30", "place": "Murat", "quorum_kind": "majority"},
    )
    meeting = Meeting.objects.get()
    assert response.url == reverse("housing:meeting", args=[meeting.pk])
    assert meeting.status == Meeting.Status.PLANNED


@pytest.mark.parametrize(
    "name",
    ["housing:staff-board", "housing:meeting-create", "housing:timeline", "housing:statistics"],
)
def test_staff_screens_are_closed_to_newcomers_and_other_staff(client, alice, coworking_manager, name):
    url = reverse(name)
    assert client.get(url).status_code == 302
    for user in (alice, coworking_manager):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_the_staff_board_lists_links_and_keeps_queries_flat(
    client, housing_officer, grid, django_assert_max_num_queries
):
    for _ in range(30):
        make_application(make_user(), training_completed=True)
    run_scoring()
    client.force_login(housing_officer)
    staff = client.get(reverse("staff-home")).content.decode()
    assert reverse("housing:staff-board") in staff and reverse("housing:timeline") in staff

    with django_assert_max_num_queries(15):
        response = client.get(reverse("housing:staff-board"))
    assert response.content.decode().count("Business creation or takeover:") == 30


def test_a_short_residence_shows_its_48_hour_decision_deadline(client, housing_officer, grid, alice):
    import datetime

    from django.utils import timezone

    application = make_application(
        alice, scheme="residence_short", desired_end=timezone.localdate() + datetime.timedelta(days=40)
    )
    assert application.decide_by == application.submitted_at + datetime.timedelta(hours=48)
    run_scoring()
    client.force_login(housing_officer)
    assert "decide by" in client.get(reverse("housing:staff-board")).content.decode()


def test_the_staff_board_ranking_goes_by_pages_of_fifty_and_keeps_every_application(
    client, housing_officer, grid, django_assert_max_num_queries
):
    from housing.views import RANKING_PER_PAGE

    for _ in range(RANKING_PER_PAGE + 3):
        make_application(make_user(), training_completed=True)
    run_scoring()
    client.force_login(housing_officer)

    with django_assert_max_num_queries(16):
        first = client.get(reverse("housing:staff-board")).content.decode()
    second = client.get(reverse("housing:staff-board"), {"page": 2}).content.decode()
    assert first.count("Business creation or takeover:") == RANKING_PER_PAGE
    assert second.count("Business creation or takeover:") == 3
    assert 'href="?page=2"' in first and 'aria-current="page"' in second
    assert f"Applications 1 to {RANKING_PER_PAGE} of {RANKING_PER_PAGE + 3}." in first


def test_a_proposal_lists_the_best_ranked_applications_the_unit_does_not_suit_and_counts_the_rest(
    client, housing_officer, grid, monkeypatch, django_assert_max_num_queries
):
    from housing.committee import candidate_scores, unsuited_scores
    from housing.models import ScoringRun

    unit = make_unit(capacity=1)
    make_application(make_user(first_name="Seule", last_name="Test"), training_completed=True)
    for n in range(5):
        members = [{"first_name": f"Enfant {n}", "role": "child"}]
        make_application(make_user(first_name=f"Famille{n}", last_name="Test"), members=members)
    run_scoring()
    run = ScoringRun.objects.first()

    shown, total = unsuited_scores(unit, run, limit=3)
    everyone = candidate_scores(unit, run)[1]
    assert total == len(everyone) == 5
    assert [(score, problems) for score, problems in shown] == everyone[:3]

    meeting = make_meeting(make_committee(voting=3))
    proposal = prepare_proposal(meeting, unit, meeting.starts_at.date(), housing_officer)
    monkeypatch.setattr("housing.committee.EXCLUDED_SHOWN", 3)
    client.force_login(housing_officer)
    with django_assert_max_num_queries(24):
        body = client.get(proposal.get_absolute_url()).content.decode()
    assert body.count("the household is larger than the unit&#x27;s capacity") == 3
    assert "2 more eligible applications, ranked lower, do not suit this unit either." in body
