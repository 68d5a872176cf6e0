"""Sentences as each language writes them: punctuation joined to labels, list separators, the
article of a title, and the words for a person's role in her or his form."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from commitments.charts import level_bar_chart
from commitments.models import FocalPointAssignment
from notifications.models import Profile
from ogp_portal import grammar
from reports.contexts import build_report_context
from reports.models import Report
from tests.factories import FocalPointAssignmentFactory

NBSP, NNBSP = "\u00a0", "\u202f"
PLAN_FR = "Plan d'action national pour le gouvernement ouvert 2021-2023"


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "Titulaire: Ministère", f"Titulaire{NBSP}: Ministère"),
        ("fr", "Avancement : 75%", f"Avancement{NBSP}: 75{NBSP}%"),
        ("fr", "Pourquoi? Parce que; enfin!", f"Pourquoi{NNBSP}? Parce que{NNBSP}; enfin{NNBSP}!"),
        ("fr", "à 10:30, voir https://ogp.ma", "à 10:30, voir https://ogp.ma"),
        ("ar", "المسؤول: وزارة, ثم؟ نعم; 1,5", "المسؤول: وزارة، ثم؟ نعم؛ 1,5"),
        ("ar", "لماذا?", "لماذا؟"),
        ("en", "Owner: Ministry; why?", "Owner: Ministry; why?"),
    ],
)
def test_punctuate_writes_each_languages_punctuation(language, text, expected):
    assert grammar.punctuate(text, language) == expected


@pytest.mark.parametrize(
    ("language", "colon", "semicolon", "separator"),
    [("fr", f"{NBSP}:", f"{NNBSP};", ", "), ("ar", ":", "؛", "، "), ("en", ":", ";", ", ")],
)
def test_the_template_tags_join_labels_and_lists_per_language(
    language, colon, semicolon, separator
):
    template = Template(
        "{% load i18n %}Titular{% colon %} A{% semicolon %} {{ items|join_list }} · {{ x|label }}"
    )
    with translation.override(language):
        out = template.render(Context({"items": ["B", "C"], "x": "Owner"}))
    assert out == f"Titular{colon} A{semicolon} B{separator}C · Owner{colon}"


def test_percentages_keep_a_no_break_space_and_the_locale_decimal_mark():
    with translation.override("fr"):
        assert grammar.percent(83.33, 1) == f"83,3{NBSP}%"
    with translation.override("en"):
        assert grammar.percent(83.33, 1) == f"83.3{NBSP}%"


@pytest.mark.parametrize(
    ("language", "title", "expected"),
    [
        ("fr", PLAN_FR, "Le plan d'action national pour le gouvernement ouvert 2021-2023"),
        ("fr", "Stratégie nationale", "La stratégie nationale"),
        ("fr", "Agenda 2030", "L'agenda 2030"),
        ("fr", "PAN 2021-2023", "PAN 2021-2023"),
        ("en", "National Action Plan 2021", "The National Action Plan 2021"),
        ("en", "The Plan", "The Plan"),
        ("ar", "مخطط العمل الوطني", "مخطط العمل الوطني"),
    ],
)
def test_a_title_as_the_subject_of_a_sentence_takes_its_article(language, title, expected):
    assert grammar.subject(title, language) == expected


@pytest.mark.parametrize(
    ("civility", "gender"),
    [("Mme.", "feminine"), ("mme", "feminine"), ("M.", "masculine"), ("Mr", "masculine"), ("", "")],
)
def test_the_civility_gives_the_grammatical_gender(civility, gender):
    assert grammar.gender_of_civility(civility) == gender


@pytest.fixture
def alternate_woman(commitment):
    assignment = FocalPointAssignmentFactory(
        commitment=commitment, role=FocalPointAssignment.Role.ALTERNATE, user__username="hajar"
    )
    Profile.objects.create(user=assignment.user, gender="feminine")
    return assignment


def test_a_focal_points_role_follows_her_profile(alternate_woman):
    with translation.override("fr"):
        assert alternate_woman.role_label == "Suppléante"
    with translation.override("ar"):
        assert alternate_woman.role_label == "نائبة"
    with translation.override("en"):
        assert alternate_woman.role_label == "Alternate"


def test_without_a_profile_the_role_is_the_neutral_word(commitment):
    assignment = FocalPointAssignmentFactory(commitment=commitment, role="alternate")
    with translation.override("fr"):
        assert assignment.role_label == "Suppléant(e)"


def test_the_commitment_page_joins_the_role_to_its_institution_with_french_spacing(
    alternate_woman, commitment
):
    with translation.override("fr"):
        page = Client().get(commitment.get_absolute_url()).content.decode()
    assert f"Suppléante{NBSP}:" in page
    with translation.override("en"):
        page = Client().get(commitment.get_absolute_url()).content.decode()
    assert "Alternate:" in page


class TestDemo:
    """On the demo, as the seeds write the people."""

    def test_the_committees_page_writes_alternates_and_representatives_in_their_form(self, demo):
        page = Client().get("/fr/committees/").content.decode()
        hadi = page[page.index("Hajar HADI") :]
        assert hadi[: hadi.index("</tr>")].count("Suppléante") == 1
        assert "Représentante" in page and "Représentant<" in page
        arabic = Client().get("/ar/committees/").content.decode()
        hadi = arabic[arabic.index("Hajar HADI") :]
        assert "نائبة" in hadi[: hadi.index("</tr>")]

    def test_the_demo_gives_the_named_focal_points_their_form(self, demo):
        hadi = FocalPointAssignment.objects.get(user__last_name="HADI")
        with translation.override("fr"):
            assert hadi.role_label == "Suppléante"

    def test_the_report_says_le_plan_d_action_national_couvre_la_periode(self, demo):
        report = Report.objects.get(plan__code="PAN-2021-2023")
        with translation.override("fr"):
            context = build_report_context(report, "fr")
            html = unescape(render_to_string("reports/report_pdf.html", {"report": context}))
        assert "Le plan d'action national pour le gouvernement ouvert 2021-2023 couvre" in html
        with translation.override("en"):
            context = build_report_context(report, "en")
            html = unescape(render_to_string("reports/report_pdf.html", {"report": context}))
        assert "The National Action Plan for Open Government 2021-2023 runs from" in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", f"75{NBSP}% · 83,3{NBSP}%"), ("ar", f"75{NBSP}% · 83,3{NBSP}%")],
)
def test_the_percent_filter_writes_the_locale_number_and_a_no_break_space(language, expected):
    template = Template("{{ rate|percent }} · {{ mean|percent:1 }}")
    with translation.override(language):
        assert template.render(Context({"rate": 75, "mean": 83.33})) == expected


def test_the_level_chart_joins_each_level_to_its_count_with_french_spacing():
    with translation.override("fr"):
        svg = level_bar_chart([("limited", "Limité", 3)], title="Niveaux")
    assert f"<title>Limité{NBSP}: 3</title>" in svg


DAYS = [datetime.date(2023, 3, 28), datetime.date(2024, 1, 5), datetime.date(999, 12, 31)]


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
@pytest.mark.parametrize("format_name", ["SHORT_DATE_FORMAT", "DATE_FORMAT", "d/m/Y", r"j \d\e F"])
def test_dates_writes_each_day_as_date_format_does(language, format_name):
    with translation.override(language):
        assert grammar.dates(DAYS, format_name) == [date_format(d, format_name) for d in DAYS]


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_decimals_writes_each_value_as_floatformat_does(language):
    values = [Decimal(hundredths) / 100 for hundredths in range(10001)]
    with translation.override(language):
        assert grammar.decimals(values, 1) == [floatformat(value, 1) for value in values]
        assert grammar.decimals(values[:200], 0) == [floatformat(v, 0) for v in values[:200]]
