"""LeanSelect writes what Django's Select writes, without a template per option."""

import pytest
from django import forms
from django.test.html import parse_html

from telecentre.widgets import LeanSelect

CHOICES = [
    ("", "---------"),
    ("Open spaces", [("1", "La Cocotte <open> & “calme”"), ("2", "L'Atelier")]),
    ("Rooms", [(3, 'Salle "Plomb du Cantal"')]),
    (4, "Bureau 4"),
]


# What crispy adds to a field with an error, and a False attribute (left out).
CRISPY_ATTRS = {"class": "form-select is-invalid", "aria-describedby": "id_space_error", "required": True}


@pytest.mark.parametrize("value", [None, "", "2", 3, ["2"], "unknown"])
@pytest.mark.parametrize("attrs", [None, {**CRISPY_ATTRS, "hidden": False}])
def test_it_writes_what_django_s_select_writes(value, attrs):
    lean = LeanSelect(choices=CHOICES).render("space", value, attrs={"id": "id_space", **(attrs or {})})
    django = forms.Select(choices=CHOICES).render("space", value, attrs={"id": "id_space", **(attrs or {})})
    assert parse_html(lean) == parse_html(django)
    assert "<open>" not in lean and "&lt;open&gt;" in lean


def test_a_bound_model_choice_field_keeps_the_option_chosen(db):
    from coworking.forms import BookingForm
    from tests.coworking.factories import make_space

    spaces = [make_space(name=f"Espace {n}") for n in range(3)]
    form = BookingForm({"space": str(spaces[1].pk)}, member=None)
    html = str(form["space"])
    assert f'<option value="{spaces[1].pk}" selected>Espace 1</option>' in html
    assert html.count("<option") == 3
