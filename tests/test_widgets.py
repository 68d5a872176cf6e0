"""The widgets written in Python give the HTML of Django's templates, byte for byte."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from ogp_portal.widgets import Select

CHOICES = [
    ("", "All institutions"),
    ("MEF", "Ministère de l'Économie & des Finances"),
    ("Axes", [(1, "Axe 1 <transparence>"), (2, mark_safe("Axe <b>2</b>"))]),
    ('x"y', "Guillemets « »"),
]


@pytest.mark.parametrize(
    ("value", "attrs", "widget_attrs"),
    [
        ("", None, {}),
        ("MEF", {"id": "id_institution"}, {}),
        (1, {"id": "id_axis", "aria-describedby": "id_axis_error"}, {"required": True}),
        ('x"y', None, {"disabled": False, "data-x": "a&b", "class": mark_safe("a&amp;b")}),
        (["MEF", 2], None, {"multiple": True}),
    ],
)
def test_select_writes_what_the_templates_write(value, attrs, widget_attrs):
    django_select = forms.Select(choices=CHOICES, attrs=widget_attrs)
    ours = Select(choices=CHOICES, attrs=widget_attrs)
    assert ours.render("institution", value, attrs) == django_select.render(
        "institution", value, attrs
    )


def test_a_form_field_with_the_select_renders_as_with_django_s():
    class Django(forms.Form):
        level = forms.ChoiceField(choices=CHOICES[:2], required=False)

    class Ours(forms.Form):
        level = forms.ChoiceField(choices=CHOICES[:2], required=False, widget=Select)

    data = {"level": "nope"}  # invalid: the errors and aria attributes too
    assert str(Ours(data)["level"].as_field_group()) == str(Django(data)["level"].as_field_group())
