"""One price rule (coworking.pricing): granting, extending or ending an exemption re-prices the bookings not yet
sent to the régie, the person is told, and the régie's export bills what the bookings say."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.money import euros
from coworking import api, services
from coworking.models import Booking, Exemption
from tests.coworking.factories import MONDAY, TUESDAY, make_murat_tariff, make_newcomer, make_pass, slot

pytestmark = pytest.mark.django_db
THURSDAY = MONDAY + datetime.timedelta(days=3)
REASON = "A terminé la formation « Télétravail indépendant »"


def export_rows(client, month="2026-03"):
    response = client.get(reverse("coworking:invoicing"), {"month": month, "format": "csv"})
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))[1:]


@pytest.fixture
def laura(alice, frozen, zone):
    """A newcomer in the programme with three morning bookings at the tariff (10 € each)."""
    make_murat_tariff()
    make_newcomer(alice)
    for day in (MONDAY, TUESDAY, THURSDAY):
        services.book(zone, *slot(day), member=alice)
    return alice


def test_an_exempt_newcomers_existing_bookings_become_free_and_leave_the_export(
    laura, client, coworking_manager, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coworking_manager)
    assert [row[7] for row in export_rows(client)] == ["10,00", "10,00", "10,00"]
    sent = Booking.objects.get(start=slot(MONDAY)[0])
    Booking.objects.filter(pk=sent.pk).update(invoiced_at=timezone.now())  # already sent to the régie
    with django_capture_on_commit_callbacks(execute=True):
        api.grant_training_exemption(laura, reason=REASON, start=MONDAY)
    free = Booking.objects.exclude(pk=sent.pk)
    assert {(b.billing, b.price, b.tariff_id) for b in free} == {(Booking.Billing.EXEMPT, Decimal("0.00"), None)}
    sent.refresh_from_db()
    assert (sent.billing, sent.price) == (Booking.Billing.TARIFF, Decimal("10.00"))
    assert [(row[3], row[7]) for row in export_rows(client)] == [("02/03/2026", "10,00")]
    assert [m.to for m in mailoutbox] == [[laura.email]]
    assert "Le prix de vos réservations de coworking a changé" in mailoutbox[0].subject
    assert "Votre coworking est gratuit du 2 mars 2026 au 1er mars 2028" in mailoutbox[0].body
    assert mailoutbox[0].body.count("Gratuit (exonération) (au lieu de 10,00\xa0€)") == 2
    page = client.get(reverse("coworking:invoicing"), {"month": "2026-03"}).content.decode()
    assert page.count("10,00\xa0€") == 3  # unit price, amount, total of the one line left


def test_the_pages_of_an_exempt_newcomer_show_free_bookings(laura, client):
    api.grant_training_exemption(laura, reason=REASON, start=MONDAY)
    client.force_login(laura)
    mine = client.get(reverse("coworking:my-bookings")).content.decode()
    assert "10,00" not in mine and mine.count("Gratuit (exonération)") == 3
    booking = client.get(Booking.objects.get(start=slot(TUESDAY)[0]).get_absolute_url()).content.decode()
    assert "Gratuit (exonération)" in booking and "10,00" not in booking


def test_granting_the_same_exemption_twice_changes_nothing(laura, mailoutbox, django_capture_on_commit_callbacks):
    first = api.grant_training_exemption(laura, reason=REASON, start=MONDAY)
    with django_capture_on_commit_callbacks(execute=True):
        again = api.grant_training_exemption(laura, reason=REASON, start=TUESDAY)
    assert again == first and Exemption.objects.count() == 1 and mailoutbox == []


def test_ending_an_exemption_re_prices_the_future_unpaid_bookings(
    laura, mailoutbox, django_capture_on_commit_callbacks
):
    exemption = api.grant_training_exemption(laura, reason=REASON, start=MONDAY)
    with django_capture_on_commit_callbacks(execute=True):
        repriced = services.end_exemption(exemption, TUESDAY)
    assert [b.local_date for b in repriced] == [THURSDAY]
    prices = dict(Booking.objects.values_list("start", "price"))
    assert prices == {slot(MONDAY)[0]: Decimal("0"), slot(TUESDAY)[0]: Decimal("0"), slot(THURSDAY)[0]: Decimal("10")}
    thursday = Booking.objects.get(start=slot(THURSDAY)[0])
    assert (thursday.billing, thursday.tariff_category) == (Booking.Billing.TARIFF, "newcomer")
    assert "10,00\xa0€ (nouveaux arrivants et abonnés) (au lieu de 0,00\xa0€)" in mailoutbox[-1].body
    assert "Votre coworking est gratuit du 2 mars 2026 au 3 mars 2026" in mailoutbox[-1].body


def test_withdrawing_an_exemption_before_it_starts_re_prices_every_unpaid_booking(laura, client, admin_user):
    exemption = api.grant_training_exemption(laura, reason=REASON, start=MONDAY)
    client.force_login(admin_user)
    response = client.post(reverse("admin:coworking_exemption_delete", args=[exemption.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Exemption.objects.exists()
    assert sorted(Booking.objects.values_list("price", flat=True)) == [Decimal("10.00")] * 3


def test_an_exemption_saved_in_the_admin_re_prices_the_bookings(laura, client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:coworking_exemption_add"),
        {"member": laura.pk, "reason": "Décision du bureau", "starts_on": "2026-03-03", "ends_on": "2026-03-31"},
    )
    assert response.status_code == 302
    prices = dict(Booking.objects.values_list("start", "price"))
    assert prices == {slot(MONDAY)[0]: Decimal("10"), slot(TUESDAY)[0]: Decimal("0"), slot(THURSDAY)[0]: Decimal("0")}
    assert Exemption.objects.get().granted_by == admin_user


def test_a_day_booked_on_a_pass_and_now_exempt_gives_the_pass_back(alice, frozen, zone):
    make_murat_tariff()
    carnet = make_pass(alice, allowance="2")
    services.book(zone, *slot(TUESDAY), member=alice, pass_used=carnet)
    assert carnet.remaining() == Decimal("1.5")
    api.grant_training_exemption(alice, reason=REASON, start=MONDAY)
    booking = Booking.objects.get()
    assert (booking.billing, booking.pass_used, booking.price) == (Booking.Billing.EXEMPT, None, Decimal("0"))
    assert carnet.remaining() == Decimal("2")


def test_amounts_are_written_the_french_way():
    with translation.override("fr"):
        assert euros(Decimal("1234.56")) == "1\u202f234,56\xa0€"
        assert euros(Decimal("10")) == "10,00\xa0€"
        assert euros(None) == "0,00\xa0€"
    with translation.override("en"):
        assert euros(Decimal("1234.5")) == "1,234.50\xa0€"


def booking_form(space, day=TUESDAY, period="morning", **extra):
    return {"space": space.pk, "date": day.isoformat(), "period": period, "idempotency_key": "k-1", **extra}


def test_the_price_shown_before_booking_is_the_price_stored_and_exported(
    alice, frozen, zone, client, coworking_manager
):
    make_murat_tariff()
    make_newcomer(alice)
    client.force_login(alice)
    page = client.get(reverse("coworking:book")).content.decode()
    assert "Votre tarif (Nouveaux arrivants et abonnés)" in page and "Demi-journée 10,00\xa0€" in page
    quoted = client.post(reverse("coworking:book"), booking_form(zone, period="day", quote="1"))
    assert quoted.status_code == 200 and not Booking.objects.exists()
    body = quoted.content.decode()
    assert "Prix de cette réservation\xa0:" in body and "<strong>20,00\xa0€ (Délibération n° 2024-117" in body
    assert quoted.context["quote"].price == Decimal("20.00")
    assert client.post(reverse("coworking:book"), booking_form(zone, period="day")).status_code == 302
    assert Booking.objects.get().price == Decimal("20.00")
    client.force_login(coworking_manager)
    assert [row[7] for row in export_rows(client)] == ["20,00"]


def test_an_exempt_newcomer_is_told_before_booking_that_it_is_free(laura, zone, client):
    api.grant_training_exemption(laura, reason=REASON, start=MONDAY)
    client.force_login(laura)
    page = client.get(reverse("coworking:book")).content.decode()
    assert "Gratuit du 2 mars 2026 au 1er mars 2028" in page
    quoted = client.post(reverse("coworking:book"), booking_form(zone, day=THURSDAY, period="afternoon", quote="1"))
    assert "gratuit (votre période de coworking gratuit)" in quoted.content.decode()
    client.post(reverse("coworking:book"), booking_form(zone, day=THURSDAY, period="afternoon"))
    assert Booking.objects.get(start=slot(THURSDAY, "afternoon")[0]).price == 0


def test_the_staff_grid_shows_each_booking_at_its_price(laura, client, coworking_manager):
    client.force_login(coworking_manager)
    grid = reverse("coworking:grid")
    assert "10,00\xa0€" in client.get(grid, {"date": "2026-03-03"}).content.decode()
    api.grant_training_exemption(laura, reason=REASON, start=MONDAY)
    page = client.get(grid, {"date": "2026-03-03"}).content.decode()  # the cached grid is renewed
    assert "10,00\xa0€" not in page and "gratuit" in page
