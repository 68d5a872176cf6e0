"""Names sorted as a reader of each language expects, on SQLite and on PostgreSQL."""

import pytest
from django.utils import translation

from commitments.models import Institution
from ogp_portal.collation import sort_key
from tests.factories import CommitmentFactory, InstitutionFactory

FRENCH = ["Transition", "l'Éducation", "Économie", "agence", "Zones", "École"]
ARABIC = ["وزارة", "باب", "أمن", "تنمية", "إدارة", "جهة"]


@pytest.fixture
def institutions(db):
    return [
        InstitutionFactory(code=f"I{i}", name_fr=fr, name_ar=ar, name_en=fr)
        for i, (fr, ar) in enumerate(zip(FRENCH, ARABIC, strict=True))
    ]


def test_french_names_ignore_accents_case_and_apostrophes(institutions):
    with translation.override("fr"):
        names = [i.name_fr for i in Institution.objects.by_name()]
    assert names == ["agence", "École", "Économie", "l'Éducation", "Transition", "Zones"]


def test_arabic_names_follow_the_alphabet_hamza_on_alif_counting_as_alif(institutions):
    with translation.override("ar"):
        names = [i.name_ar for i in Institution.objects.by_name()]
    assert names == ["إدارة", "أمن", "باب", "تنمية", "جهة", "وزارة"]


def test_a_missing_translation_sorts_by_its_french_name_after_the_arabic_ones(db):
    InstitutionFactory(code="B", name_fr="Banque", name_ar="")
    InstitutionFactory(code="A", name_fr="Zèbre", name_ar="ألف")
    InstitutionFactory(code="C", name_fr="Agence", name_ar="")
    with translation.override("ar"):
        assert [i.code for i in Institution.objects.by_name()] == ["A", "C", "B"]


def test_the_python_key_agrees_with_the_database(institutions):
    with translation.override("fr"):
        in_database = [i.name_fr for i in Institution.objects.by_name()]
    assert sorted(FRENCH, key=sort_key) == in_database
    with translation.override("ar"):
        in_database = [i.name_ar for i in Institution.objects.by_name()]
    assert sorted(ARABIC + ["Banque"], key=lambda n: sort_key(n, "ar"))[:-1] == in_database


def test_the_api_lists_institutions_in_the_requested_language_order(client, institutions):
    names = [row["name"] for row in client.get("/api/v1/institutions/?lang=fr").json()["results"]]
    assert names.index("l'Éducation") < names.index("Transition")


def test_the_institutions_page_lists_l_education_before_transition(client, db):
    plan = CommitmentFactory(lead_institution__name_fr="Transition").plan
    CommitmentFactory(plan=plan, number=2, lead_institution__name_fr="l'Éducation")
    page = client.get(f"/fr/institutions/?plan={plan.code}").content.decode()
    assert page.index("l&#x27;Éducation") < page.index("Transition")


def test_the_dashboard_filter_lists_lead_institutions_in_order(client, db):
    plan = CommitmentFactory(lead_institution__name_fr="Transition").plan
    CommitmentFactory(plan=plan, number=2, lead_institution__name_fr="l'Éducation")
    page = client.get(f"/fr/plans/{plan.code}/").content.decode()
    select = page[page.index('name="institution"') :]
    assert select.index("l&#x27;Éducation") < select.index("Transition")
