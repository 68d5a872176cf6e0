"""The form renderer's pieces written in Python give the HTML of Django's templates, byte for
byte."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from ogp_portal.widgets import FormRenderer

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
@pytest.mark.parametrize("widget", [forms.Select, forms.SelectMultiple])
def test_select_writes_what_the_templates_write(value, attrs, widget_attrs, widget):
    select = widget(choices=CHOICES, attrs=widget_attrs)
    ours = select.render("institution", value, attrs, renderer=FormRenderer())
    assert ours == select.render("institution", value, attrs, renderer=DjangoTemplates())


def test_a_form_field_with_the_select_renders_as_with_django_s():
    class Levels(forms.Form):
        level = forms.ChoiceField(choices=CHOICES[:2], required=False)

    data = {"level": "nope"}  # invalid: the errors and aria attributes too
    ours = Levels(data, renderer=FormRenderer())["level"].as_field_group()
    assert str(ours) == str(Levels(data, renderer=DjangoTemplates())["level"].as_field_group())


class Fields(forms.Form):
    """A field of each kind FormRenderer writes, with help texts, errors and a fieldset."""

    q = forms.CharField(label="Search <all>", required=False, max_length=20)
    email = forms.EmailField(label=mark_safe("E-mail <b>address</b>"), help_text="We <i>reply</i>")
    count = forms.IntegerField(label="How many?", min_value=1)
    secret = forms.CharField(widget=forms.PasswordInput, label="")
    token = forms.CharField(widget=forms.HiddenInput, initial='a"b')
    stale = forms.BooleanField(label="Not updated recently", required=False)
    site = forms.URLField(required=False, label_suffix=" :", assume_scheme="https")
    kinds = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=False
    )


def renders(form: forms.Form) -> list[str]:
    written = [str(form[name].as_field_group()) for name in form.fields]
    return [*written, *(str(form[name]) for name in form.fields), str(form.errors), str(form)]


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"q": "x" * 30, "email": "no", "count": "0", "stale": "on", "site": 'a"<b>', "kinds": "c"},
        {"q": "ok & <fine>", "email": "a@example.org", "count": "3", "secret": "s", "token": "t"},
    ],
)
def test_the_form_renderer_writes_what_django_s_templates_write(data):
    ours = renders(Fields(data, renderer=FormRenderer(), auto_id="id_%s"))
    django_s = renders(Fields(data, renderer=DjangoTemplates(), auto_id="id_%s"))
    assert ours == django_s
    no_ids = Fields(data, renderer=FormRenderer(), auto_id=False)
    assert renders(no_ids) == renders(Fields(data, renderer=DjangoTemplates(), auto_id=False))


def test_the_portal_s_forms_use_the_python_renderer():
    assert isinstance(Fields().renderer, FormRenderer)
