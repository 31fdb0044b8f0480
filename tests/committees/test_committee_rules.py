import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from committees import services
from committees.minutes import minutes_html, minutes_pdf
from committees.models import Attendance, Decision, Meeting, Membership
from tests.committees.factories import accept, make_committee, make_item, make_meeting, reject
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidates(db):
    return [make_user(first_name=f"Candidat{n}", last_name="Test") for n in range(1, 5)]


@pytest.mark.parametrize(
    ("kind", "number", "voting", "required"),
    [("majority", None, 5, 3), ("majority", None, 4, 3), ("third", None, 5, 2), ("fixed", 2, 7, 2)],
)
def test_the_quorum_follows_the_meeting_s_rule(kind, number, voting, required):
    meeting = make_meeting(make_committee(voting=voting, advisory=2), quorum_kind=kind, quorum_number=number)
    assert meeting.quorum_required() == required


def test_a_fixed_quorum_without_a_number_is_refused_by_the_database():
    committee = make_committee()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_meeting(committee, quorum_kind="fixed", quorum_number=None)


def test_advisory_members_neither_vote_nor_count_toward_the_quorum(candidates):
    meeting = make_meeting(make_committee(voting=3, advisory=3), present=None)
    Attendance.objects.filter(meeting=meeting, membership__role=Membership.Role.MEMBER).update(status="excused")
    item = make_item(meeting)

    assert meeting.voters_for(item).count() == 1
    with pytest.raises(ValidationError, match="Quorum"):
        services.record_decisions(item, [accept(candidates[0], 1, 1)], recorded_by=None)
    assert not Decision.objects.exists()


def test_a_decision_without_quorum_is_refused_with_a_clear_message_and_nothing_is_written(candidates):
    meeting = make_meeting(make_committee(voting=5), present=2)
    item = make_item(meeting)

    with pytest.raises(ValidationError) as error:
        services.record_decisions(item, [accept(candidates[0], 1, 1)], recorded_by=None)

    assert "2 voting member(s) present without a conflict of interest, 3 required" in str(error.value)
    assert not Decision.objects.exists()


def test_a_conflicted_member_does_not_count_toward_the_quorum_nor_take_part(candidates):
    committee = make_committee(voting=3)
    meeting = make_meeting(committee, present=2)
    item = make_item(meeting)
    other_item = make_item(meeting, title="Résidence d'entrepreneur", position=2)
    first, second = committee.memberships.order_by("pk")[:2]
    services.declare_conflict(item, first, "Voisin du candidat")

    with pytest.raises(ValidationError, match="1 voting member"):
        services.record_decisions(item, [accept(candidates[0], 1, 1)], recorded_by=None)

    Attendance.objects.filter(meeting=meeting).update(status="present")
    [decision] = services.record_decisions(item, [accept(candidates[0], 1, 1)], recorded_by=None)
    assert set(decision.participants.all()) == set(committee.memberships.exclude(pk=first.pk))
    assert decision.voters_count == 2 and decision.quorum_required == 2
    # The conflict is per case: the member takes part in the other item.
    [other] = services.record_decisions(other_item, [accept(candidates[1], 1, 1)], recorded_by=None)
    assert first in other.participants.all() and second in other.participants.all()


def test_a_conflict_needs_a_reason_and_a_member_of_this_committee():
    committee = make_committee()
    item = make_item(make_meeting(committee))
    stranger = make_committee(name="Jury de sélection", kind="selection").memberships.first()

    with pytest.raises(ValidationError, match="Say what the interest is"):
        services.declare_conflict(item, committee.memberships.first(), "  ")
    with pytest.raises(ValidationError, match="not a member"):
        services.declare_conflict(item, stranger, "Cousin")


def test_a_conflict_declared_after_taking_part_asks_for_the_decision_again(candidates):
    committee = make_committee()
    item = make_item(make_meeting(committee))
    services.record_decisions(item, [accept(candidates[0], 1, 1)], recorded_by=None)

    with pytest.raises(ValidationError, match="already took part"):
        services.declare_conflict(item, committee.memberships.first(), "Cousin")


def test_skipping_a_better_placed_candidate_needs_a_written_justification(candidates):
    item = make_item(make_meeting(make_committee()))
    drafts = [reject(candidates[0], proposed_rank=1), accept(candidates[1], 1, proposed_rank=2)]

    with pytest.raises(ValidationError) as error:
        services.record_decisions(item, drafts, recorded_by=None)
    assert "a skipped candidate needs a written reason" in str(error.value)
    assert not Decision.objects.exists()

    drafts[0].justification = "Le logement n'est pas adapté à sa famille."
    rejected, accepted = services.record_decisions(item, drafts, recorded_by=None)
    assert rejected.departs_from_proposal and not accepted.departs_from_proposal
    assert rejected.justification == "Le logement n'est pas adapté à sa famille."


def test_following_the_proposed_order_needs_no_justification(candidates):
    item = make_item(make_meeting(make_committee()))
    drafts = [
        accept(candidates[0], 1, proposed_rank=1),
        accept(candidates[1], 2, proposed_rank=2),
        reject(candidates[2], proposed_rank=3),
        reject(candidates[3], outcome="inadmissible", reason="Projet hors du territoire"),
    ]
    decisions = services.record_decisions(item, drafts, recorded_by=None)
    assert not any(d.departs_from_proposal for d in decisions)
    assert [d.rank for d in decisions] == [1, 2, None, None]


def test_swapping_ranks_is_a_departure(candidates):
    drafts = [accept(candidates[0], 2, proposed_rank=1), accept(candidates[1], 1, proposed_rank=2)]
    assert services.departures(drafts) == {0, 1}
    assert services.departures([accept(candidates[0], 1, 1), reject(candidates[1], 2)]) == set()


def test_every_decision_needs_a_reason_and_accepted_ones_a_unique_rank(candidates):
    item = make_item(make_meeting(make_committee()))
    with pytest.raises(ValidationError) as error:
        services.record_decisions(
            item,
            [accept(candidates[0], None, 1), reject(candidates[1], 2, reason=""), accept(candidates[2], 1, 3)],
            recorded_by=None,
        )
    messages = " ".join(error.value.messages)
    assert "give a rank" in messages and "write the reason" in messages
    with pytest.raises(ValidationError, match="same rank"):
        services.record_decisions(item, [accept(candidates[0], 1), accept(candidates[1], 1)], recorded_by=None)


def test_the_database_refuses_a_departure_without_justification(candidates):
    item = make_item(make_meeting(make_committee()))
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            item=item, subject=candidates[0], outcome="accepted", rank=1, reason="ok", departs_from_proposal=True
        )


def test_decisions_need_an_open_meeting(candidates):
    committee = make_committee()
    item = make_item(make_meeting(committee, status=Meeting.Status.PLANNED))
    with pytest.raises(ValidationError, match="Open the meeting"):
        services.record_decisions(item, [accept(candidates[0], 1, 1)], recorded_by=None)

    services.open_meeting(item.meeting)
    services.record_decisions(item, [accept(candidates[0], 1, 1)], recorded_by=None)
    assert Decision.objects.count() == 1


def test_recording_again_supersedes_and_keeps_the_history(candidates):
    item = make_item(make_meeting(make_committee()))
    services.record_decisions(item, [accept(candidates[0], 1, 1), accept(candidates[1], 2, 2)], recorded_by=None)
    services.record_decisions(
        item,
        [accept(candidates[1], 1, 2, justification="Désistement"), reject(candidates[0], 1, justification="Désisté")],
        recorded_by=None,
    )

    assert Decision.objects.count() == 4
    current = Decision.objects.current().for_subject(candidates[0]).get()
    assert current.outcome == "rejected"
    old = Decision.objects.for_subject(candidates[0]).exclude(pk=current.pk).get()
    assert old.superseded_by == current and old.superseded_at is not None


def test_a_closed_meeting_s_decisions_cannot_be_changed(candidates, housing_officer):
    item = make_item(make_meeting(make_committee()))
    [decision] = services.record_decisions(item, [accept(candidates[0], 1, 1)], recorded_by=None)
    meeting = services.close_meeting(item.meeting, housing_officer)
    assert meeting.closed_by == housing_officer

    item.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.record_decisions(item, [reject(candidates[0], 1, justification="x")], recorded_by=None)
    decision.refresh_from_db()
    decision.reason = "Autre motif"
    with pytest.raises(ValidationError, match="closed"):
        decision.save()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        decision.delete()
    with pytest.raises(ValidationError, match="closed"):
        services.set_attendance(meeting, meeting.committee.memberships.first(), "absent")
    assert Decision.objects.get().reason == "Projet solide"


def test_the_minutes_list_members_conflicts_and_decisions(candidates):
    committee = make_committee(voting=3)
    item = make_item(make_meeting(committee))
    services.declare_conflict(item, committee.memberships.first(), "Voisin du candidat")
    services.record_decisions(
        item,
        [reject(candidates[0], 1, justification="Logement trop petit"), accept(candidates[1], 1, 2)],
        recorded_by=None,
    )

    html = minutes_html(item.meeting)
    assert "Voisin du candidat" in html and "Logement trop petit" in html
    assert str(candidates[1]) in html and "Élu 2" in html
    assert minutes_pdf(item.meeting).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("kind", "number", "present", "advisory"),
    [("majority", None, 5, 0), ("majority", None, 2, 2), ("third", None, 3, 1), ("fixed", 4, 3, 0)],
)
def test_the_quorum_of_an_item_in_one_query_matches_its_parts(
    kind, number, present, advisory, candidates, django_assert_num_queries
):
    committee = make_committee(voting=5, advisory=advisory)
    meeting = make_meeting(committee, present=present, quorum_kind=kind, quorum_number=number)
    item = make_item(meeting)
    other_item = make_item(meeting, title="Autre dossier", position=2)
    members = list(committee.memberships.order_by("pk"))
    services.declare_conflict(item, members[0], "Famille")
    services.declare_conflict(other_item, members[1], "Voisin")
    members[-1].is_active = False  # left the committee: no longer counted for the quorum, still counted if present
    members[-1].save()

    with django_assert_num_queries(1):
        quorum = meeting.quorum_for(item)

    assert quorum.voters == meeting.voters_for(item).count()
    assert quorum.required == meeting.quorum_required()
    assert quorum.reached == meeting.has_quorum(item)
