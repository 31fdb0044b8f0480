"""What other apps may call in the journey.

`create_enquiry` turns a first contact (a forum visitor who said "I am thinking
of moving here" and consented to be contacted, a phone call...) into an Enquiry
that a referent follows up. The person needs no account yet.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from journey.models import Enquiry


def create_enquiry(*, first_name, last_name, email, phone="", source, origin="", notes=""):
    """Record an enquiry and return it.

    source: one of Enquiry.Source ("website", "forum", "phone", "immersion").
    Raises ValidationError (nothing written) on a bad email or source.
    """
    if source not in Enquiry.Source.values:
        raise ValidationError(_("Unknown enquiry source: %(source)s.") % {"source": source}, code="bad_source")
    email = (email or "").strip().lower()
    validate_email(email)
    enquiry = Enquiry(
        first_name=first_name.strip()[:100],
        last_name=last_name.strip()[:100],
        email=email,
        phone=phone.strip()[:30],
        source=source,
        origin=origin.strip()[:120],
        notes=notes,
    )
    enquiry.full_clean()
    enquiry.save()
    return enquiry
