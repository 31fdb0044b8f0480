import pytest
from django.core.exceptions import ValidationError

from journey.api import create_enquiry
from journey.models import Enquiry

pytestmark = pytest.mark.django_db


def test_create_enquiry_records_a_person_without_an_account():
    enquiry = create_enquiry(
        first_name=" Léa ",
        last_name="Roux",
        email="Lea.Roux@Example.org",
        phone="06 12 34 56 78",
        source="forum",
        origin="Lyon",
        notes="Graphiste, veut s'installer à Murat.",
    )

    enquiry.refresh_from_db()
    assert enquiry.first_name == "Léa"
    assert enquiry.email == "lea.roux@example.org"
    assert enquiry.source == Enquiry.Source.FORUM
    assert enquiry.status == Enquiry.Status.NEW
    assert enquiry.project is None


def test_create_enquiry_accepts_every_source_with_defaults():
    for source in Enquiry.Source.values:
        create_enquiry(first_name="A", last_name="B", email=f"{source}@example.org", source=source)
    assert Enquiry.objects.count() == len(Enquiry.Source.values)


@pytest.mark.parametrize(
    "overrides",
    [{"email": "not-an-email"}, {"source": "newspaper"}, {"first_name": ""}],
)
def test_create_enquiry_rejects_bad_input_and_writes_nothing(overrides):
    data = {"first_name": "Léa", "last_name": "Roux", "email": "lea@example.org", "source": "forum", **overrides}
    with pytest.raises(ValidationError):
        create_enquiry(**data)
    assert not Enquiry.objects.exists()
