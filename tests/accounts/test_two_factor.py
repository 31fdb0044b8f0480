import base64
import datetime

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
def test_a_staff_member_turns_on_two_factor_with_a_code_from_the_app(client, referent, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a failure; not under test here
    client.force_login(referent)
    page = client.get(reverse("accounts:two-factor"))
    assert page.status_code == 200 and "<svg" not in page.content.decode()
    assert not TOTPDevice.objects.exists(), "a GET created a device"

    assert client.post(reverse("accounts:two-factor")).url == reverse("accounts:two-factor")
    device = TOTPDevice.objects.get(user=referent, confirmed=False)
    page = client.get(reverse("accounts:two-factor"))
    assert "<svg" in page.content.decode()
    typed_key = page.context["secret"].replace(" ", "")
    assert base64.b32decode(typed_key + "=" * (-len(typed_key) % 8)) == device.bin_key
    client.get(reverse("accounts:two-factor"))
    assert TOTPDevice.objects.filter(user=referent).count() == 1

    wrong = client.post(reverse("accounts:two-factor"), {"token": "000000"})
    assert "Ce code est faux" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    client.post(reverse("accounts:two-factor"), {"token": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="two-factor authentication enabled", actor=referent).exists()


@pytest.mark.django_db
def test_with_two_factor_the_password_alone_does_not_log_in(client, referent, password, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=referent, confirmed=True, name="app")

    response = client.post(reverse("accounts:login"), {"username": referent.email, "password": password})

    assert response.url == reverse("accounts:login-verify")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("staff-home")).status_code == 302

    client.post(reverse("accounts:login-verify"), {"token": "123456" if current_code(device) != "123456" else "654321"})
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("accounts:login-verify"), {"token": current_code(device)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(referent.pk)
    assert client.get(reverse("staff-home")).status_code == 200


@pytest.mark.django_db
def test_five_wrong_codes_send_back_to_the_password(client, referent, password):
    TOTPDevice.objects.create(user=referent, confirmed=True, name="app")
    client.post(reverse("accounts:login"), {"username": referent.email, "password": password})
    for _ in range(5):
        response = client.post(reverse("accounts:login-verify"), {"token": "000001"})
    assert response.url == reverse("accounts:login")
    assert client.get(reverse("accounts:login-verify")).url == reverse("accounts:login")


@pytest.mark.django_db
def test_the_verify_step_without_a_password_goes_back_to_login(client):
    assert client.get(reverse("accounts:login-verify")).url == reverse("accounts:login")


@pytest.mark.django_db
def test_newcomers_do_not_get_the_staff_two_factor_page(alice_client):
    assert alice_client.get(reverse("accounts:two-factor")).status_code == 302


def training_export_url():
    return reverse("training:export", kwargs={"fmt": "csv"}) + f"?year={datetime.date.today().year}"


def staff_screens():
    """A staff screen, an export and the back office, all open to a newcomer referent."""
    return [reverse("staff-home"), reverse("journey:board"), training_export_url(), reverse("admin:index")]


@pytest.mark.django_db
def test_the_admin_login_with_the_password_alone_opens_no_staff_screen(client, referent, password):
    TOTPDevice.objects.create(user=referent, confirmed=True, name="app")

    response = client.post(
        reverse("admin:login") + "?next=/admin/", {"username": referent.email, "password": password, "next": "/admin/"}
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    for url in staff_screens():
        assert client.get(url).status_code == 302, url


@pytest.mark.django_db
def test_a_session_opened_with_the_password_alone_is_no_login_for_a_person_with_a_device(client, referent):
    """Whatever opened the session (another login form, a future one): without the code, nobody is signed in."""
    client.force_login(referent)
    for url in staff_screens():
        assert client.get(url).status_code == 200, url

    TOTPDevice.objects.create(user=referent, confirmed=True, name="app")

    for url in staff_screens():
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url, url
    assert client.get(reverse("portal")).status_code == 302
    assert client.get(reverse("privacy:export-json")).status_code == 302


@pytest.mark.django_db
def test_the_back_office_goes_through_the_same_code_step(client, referent, password, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=referent, confirmed=True, name="app")

    to_login = client.get(reverse("admin:index"), follow=True)
    assert to_login.request["PATH_INFO"] == reverse("accounts:login")
    response = client.post(
        to_login.request["PATH_INFO"] + "?next=/admin/",
        {"username": referent.email, "password": password, "next": "/admin/"},
    )
    assert response.url == reverse("accounts:login-verify")
    response = client.post(reverse("accounts:login-verify"), {"token": current_code(device)})

    assert response.url == reverse("admin:index")
    for url in staff_screens():
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_without_a_device_the_admin_login_page_sends_to_the_site_login(client, referent, password):
    page = client.get(reverse("admin:login"), {"next": "/admin/accounts/user/"})
    assert page.url == reverse("accounts:login") + "?next=/admin/accounts/user/"

    response = client.post(page.url, {"username": referent.email, "password": password})
    assert response.url == "/admin/accounts/user/"
    assert client.get(reverse("admin:index")).status_code == 200
