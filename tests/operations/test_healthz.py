"""/healthz reports each part the site needs (issue 21, item 4), and the pages still serve when Redis is down."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db.utils import OperationalError

from operations.models import Heartbeat
from tests.deploy.test_cluster import redis_server


@pytest.fixture
def beating(db):
    Heartbeat.beat(Heartbeat.WORKER)
    Heartbeat.beat(Heartbeat.SCHEDULER)


def use_redis(settings, url):
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": url}}


@pytest.mark.django_db
def test_healthz_reports_every_part_ok(client, beating):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "storage": {"public": "ok", "private": "ok"},
        "worker": "ok",
        "scheduler": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_worker_stopped_and_the_scheduler_never_ran(client, time_machine):
    time_machine.move_to("2026-12-02 10:00:00+00:00", tick=False)
    Heartbeat.beat(Heartbeat.WORKER)
    time_machine.move_to("2026-12-02 10:06:00+00:00", tick=False)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert (body["worker"], body["scheduler"]) == ("stale", "never")
    assert body["database"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_without_the_database(client, beating):
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "down"


@pytest.mark.django_db
def test_healthz_is_503_when_private_files_cannot_be_written(client, beating, settings, tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "core.storage.PrivateStorage", "OPTIONS": {"location": str(not_a_folder)}},
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["storage"] == {"public": "ok", "private": "down"}
    assert str(tmp_path) not in response.content.decode()


@pytest.mark.django_db
def test_healthz_checks_the_local_disk_storages_for_real(client, beating, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "m"}},
        "private": {"BACKEND": "core.storage.PrivateStorage", "OPTIONS": {"location": tmp_path / "p"}},
    }

    response = client.get("/healthz")

    assert response.json()["storage"] == {"public": "ok", "private": "ok"}
    assert not list((tmp_path / "p" / "healthz").iterdir())  # the probe file is removed


@pytest.mark.django_db
def test_with_redis_stopped_the_cache_misses_and_healthz_says_it_is_down(client, beating, settings):
    with redis_server() as url:
        use_redis(settings, url)
        assert client.get("/healthz").json()["cache"] == "ok"
        cache.set("kept", 1)
        assert cache.get("kept") == 1
        port = url.rsplit(":", 1)[1].split("/")[0]
    # The Redis is stopped: its port is closed.

    assert cache.get("kept", "missed") == "missed"
    cache.set("anything", 1)  # dropped, not raised
    assert cache.get_many(["kept", "anything"]) == {}
    assert client.get("/robots.txt").status_code == 200

    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["cache"] == "down"
    assert body["database"] == "ok"
    assert port not in response.content.decode()


@pytest.mark.django_db
def test_with_redis_stopped_every_kind_of_page_still_serves(client, beating, settings):
    with redis_server() as url:
        use_redis(settings, url)
        assert client.get("/").status_code == 200  # cached while Redis runs
    # The Redis is stopped: its port is closed.

    for path in ["/", "/forum/", "/trainings/", "/coworking/", "/accounts/login/", "/robots.txt"]:
        assert client.get(path).status_code == 200, path


@pytest.mark.django_db
def test_a_signed_in_newcomer_gets_their_portal_with_redis_down(alice_client, settings):
    use_redis(settings, "redis://127.0.0.1:9/6")  # the discard port: nothing listens there

    assert alice_client.get("/portal/").status_code == 200
    assert alice_client.get("/coworking/my-bookings/").status_code == 200


@pytest.mark.django_db
def test_the_staff_jobs_page_points_to_healthz(client, director):
    client.force_login(director)

    body = client.get("/staff/jobs/").content.decode()

    assert '<a href="/healthz"><code>/healthz</code></a>' in body
    assert "503" in body
